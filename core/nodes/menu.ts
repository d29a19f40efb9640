import { z } from 'zod';
import { defineNode, variableIn } from './define';
import { voiceProfileField } from './say';

export const MENU_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'] as const;
/** The output a menu option follows: `key1` … `key0`. */
export const menuHandle = (key: string) => `key${key}`;

const option = z.object({
  key: z.enum(MENU_KEYS).describe('The key the caller presses'),
  label: z.string().max(200).optional().describe('What the option is, e.g. Sales (shown on the canvas)'),
  keywords: z.array(z.string().min(1).max(100)).max(20).default([]).describe('Words the caller may say instead, e.g. sales, buy'),
});

export const menuNode = defineNode({
  type: 'menu',
  label: 'Menu',
  description:
    'Says the prompt and waits for a key press or a spoken keyword, then follows that option’s edge. No answer or an unknown one asks again (retries), then follows "noInput" or "noMatch". In a chat the contact types the key or the word.',
  category: 'voice',
  data: z
    .object({
      prompt: z.string().min(1, 'prompt is required').max(4096).describe('e.g. "For sales press 1 or say sales. For support press 2."; may contain {{variables}}'),
      options: z.array(option).min(1, 'options needs at least one option').max(10).describe('The choices, by key and by spoken keyword'),
      retries: z.number().int().min(0).max(5).default(2).describe('How many times to ask again after no answer or an unknown one'),
      timeoutSeconds: z.number().int().min(1).max(30).default(5).describe('Seconds of silence before the caller counts as not answering'),
      noMatchPrompt: z.string().max(1024).default('Sorry, I did not get that.').describe('Said before asking again after an unknown answer'),
      noInputPrompt: z.string().max(1024).default('Sorry, I did not hear anything.').describe('Said before asking again after silence'),
      variable: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'variable must be an identifier').optional().describe('Variable that stores the chosen key'),
      voiceProfileId: voiceProfileField,
      language: z.string().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'language must be a language tag such as en-US').optional().describe('Language for speech recognition and Twilio’s own voice'),
    })
    .refine((d) => new Set(d.options.map((o) => o.key)).size === d.options.length, { message: 'each option needs its own key', path: ['options'] }),
  outputs: [...MENU_KEYS.map(menuHandle), 'noInput', 'noMatch'],
  // Only the options a menu has need an edge; an unconnected one (or noInput / noMatch) ends the call.
  optionalOutputs: [...MENU_KEYS.map(menuHandle), 'noInput', 'noMatch'],
  waitsForInput: true,
  templateFields: ['prompt', 'noMatchPrompt', 'noInputPrompt'],
  longTextFields: ['prompt'],
  sets: (d) => variableIn(d.variable),
  summary: (d) => (Array.isArray(d.options) ? d.options.map((o: { key?: string; label?: string }) => `${o.key}${o.label ? ` ${o.label}` : ''}`).join(' · ') : undefined),
});
