import { z } from 'zod';
import { defineNode } from './define';

export const ASK_INPUT_TYPES = ['text', 'number', 'email', 'phone', 'yesno', 'choice'] as const;

export const askNode = defineNode({
  type: 'ask',
  label: 'Ask',
  description: 'Asks a question, waits for the reply, validates it and stores it in a variable.',
  category: 'messaging',
  data: z
    .object({
      prompt: z.string().min(1, 'prompt is required').max(4096).describe('Question template'),
      variable: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'variable must be an identifier').describe('Variable that receives the answer'),
      inputType: z.enum(ASK_INPUT_TYPES).default('text'),
      choices: z.array(z.string().min(1)).optional().describe('Allowed answers for inputType "choice"'),
      pattern: z.string().optional().describe('Regular expression the answer must match'),
      retryPrompt: z.string().optional().describe('Sent when the answer is not valid'),
      maxRetries: z.number().int().min(0).max(10).default(2),
      timeoutSeconds: z.number().int().positive().max(30 * 24 * 3600).optional().describe('Follows the "timeout" edge when no reply comes in time'),
    })
    .refine((d) => d.inputType !== 'choice' || (d.choices && d.choices.length > 0), {
      message: 'choices are required for inputType "choice"',
      path: ['choices'],
    })
    .refine((d) => d.pattern === undefined || isValidRegex(d.pattern), { message: 'pattern is not a valid regular expression', path: ['pattern'] }),
  outputs: ['next', 'invalid', 'timeout'],
  waitsForInput: true,
});

function isValidRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}
