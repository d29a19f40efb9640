import { z } from 'zod';
import { defineNode, variableIn } from './define';

export const ASK_INPUT_TYPES = ['text', 'number', 'email', 'phone', 'yesno', 'choice'] as const;

export const askNode = defineNode({
  type: 'ask',
  label: 'Ask',
  description: 'Asks a question, waits for the reply, validates it and stores it in a variable.',
  category: 'messaging',
  data: z
    .object({
      prompt: z.string().min(1, 'prompt is required').max(4096).describe('The question sent to the contact; may contain {{variables}}'),
      variable: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'variable must be an identifier').describe('Variable that stores the answer, e.g. name'),
      inputType: z.enum(ASK_INPUT_TYPES).default('text').describe('What counts as a valid answer: free text, a number, an e-mail address, a phone number, yes/no or one of the choices'),
      choices: z.array(z.string().min(1)).optional().describe('The answers accepted when the input type is "choice"'),
      pattern: z.string().optional().describe('Optional regular expression the answer must also match, e.g. ^[A-Z]{2}\\d{4}$'),
      retryPrompt: z.string().optional().describe('Sent when the answer is not valid, before asking again; defaults to the question'),
      maxRetries: z.number().int().min(0).max(10).default(2).describe('How many invalid answers to allow before following the "invalid" edge'),
      timeoutSeconds: z.number().int().positive().max(30 * 24 * 3600).optional().describe('Seconds to wait for a reply before following the "timeout" edge; empty waits forever'),
    })
    .refine((d) => d.inputType !== 'choice' || (d.choices && d.choices.length > 0), {
      message: 'choices are required for inputType "choice"',
      path: ['choices'],
    })
    .refine((d) => d.pattern === undefined || isValidRegex(d.pattern), { message: 'pattern is not a valid regular expression', path: ['pattern'] }),
  outputs: ['next', 'invalid', 'timeout'],
  // Unconnected, `invalid` (after maxRetries invalid answers) and `timeout` end the walk: the next message starts over.
  optionalOutputs: ['invalid', 'timeout'],
  waitsForInput: true,
  templateFields: ['prompt', 'retryPrompt'],
  patternFields: ['pattern'],
  longTextFields: ['prompt', 'retryPrompt'],
  sets: (d) => variableIn(d.variable),
  summary: (d) => (d.variable ? `${d.prompt ?? ''} → ${d.variable}` : undefined),
});

function isValidRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}
