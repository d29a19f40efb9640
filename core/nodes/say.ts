import { z } from 'zod';
import { defineNode } from './define';

/** A tenant voice profile's id (voice, model, settings); the channel's profile when unset. */
export const voiceProfileField = z.string().uuid('voiceProfileId must be a voice profile id').optional().describe("Voice profile to speak with; the voice channel's profile when empty");

export const sayNode = defineNode({
  type: 'say',
  label: 'Say',
  description: 'Speaks a text to the caller (ElevenLabs or espeak-ng audio, else Twilio’s own voice). `{{variable}}` placeholders are filled from the run variables. In a chat it sends the text.',
  category: 'voice',
  data: z.object({
    text: z.string().min(1, 'text is required').max(4096).describe('What to say, e.g. "Hello {{caller.name}}, thanks for calling."'),
    voiceProfileId: voiceProfileField,
    language: z
      .string()
      .regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'language must be a language tag such as en or en-US')
      .optional()
      .describe('Language of the text for Twilio’s own voice, e.g. en-US'),
  }),
  outputs: ['next'],
  templateFields: ['text'],
  longTextFields: ['text'],
});
