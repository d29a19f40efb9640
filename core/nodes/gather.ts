import { z } from 'zod';
import { ASK_INPUT_TYPES } from './ask';
import { defineNode, variableIn } from './define';
import { voiceProfileField } from './say';

export const gatherNode = defineNode({
  type: 'gather',
  label: 'Gather',
  description:
    'Says the prompt, then collects digits or speech into a variable and validates it like Ask (number, e-mail, phone, yes/no, choices, a pattern). An invalid answer asks again up to maxRetries, then "invalid"; silence follows "noInput".',
  category: 'voice',
  data: z
    .object({
      prompt: z.string().min(1, 'prompt is required').max(4096).describe('e.g. "Please enter your booking number, then press hash."; may contain {{variables}}'),
      variable: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'variable must be an identifier').describe('Variable that stores the answer'),
      input: z.enum(['digits', 'speech', 'both']).default('digits').describe('Key presses, speech, or either'),
      numDigits: z.number().int().min(1).max(32).optional().describe('Stop after this many digits (else at the finish key)'),
      finishOnKey: z.enum(['#', '*', '']).default('#').describe('Key that ends the entry'),
      timeoutSeconds: z.number().int().min(1).max(30).default(5).describe('Seconds of silence before the caller counts as not answering'),
      inputType: z.enum(ASK_INPUT_TYPES).default('text').describe('What counts as a valid answer, as for Ask'),
      choices: z.array(z.string().min(1)).optional().describe('The answers accepted when the input type is "choice"'),
      pattern: z.string().optional().describe('Optional regular expression the answer must also match'),
      retryPrompt: z.string().max(1024).optional().describe('Said after an invalid answer, before asking again'),
      maxRetries: z.number().int().min(0).max(10).default(2).describe('Invalid answers (or silences) allowed before following "invalid" (or "noInput")'),
      voiceProfileId: voiceProfileField,
      language: z.string().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'language must be a language tag such as en-US').optional().describe('Language for speech recognition and Twilio’s own voice'),
    })
    .refine((d) => d.inputType !== 'choice' || (d.choices && d.choices.length > 0), { message: 'choices are required for inputType "choice"', path: ['choices'] }),
  outputs: ['next', 'invalid', 'noInput'],
  optionalOutputs: ['invalid', 'noInput'],
  waitsForInput: true,
  templateFields: ['prompt', 'retryPrompt'],
  patternFields: ['pattern'],
  longTextFields: ['prompt'],
  sets: (d) => variableIn(d.variable),
  summary: (d) => (d.variable ? `${d.input ?? 'digits'} → ${d.variable}` : undefined),
});
