import { z } from 'zod';
import { defineNode } from './define';

const media = z
  .object({
    url: z
      .string()
      .min(1, 'media.url is required')
      .max(2048)
      .refine((u) => /^https?:\/\//i.test(u) || u.trimStart().startsWith('{{'), { message: 'media.url must start with http:// or https:// (or be a {{variable}})' })
      .describe('Public URL of the file; may contain {{variables}}'),
    contentType: z
      .string()
      .regex(/^[\w.+-]+\/[\w.+-]+$/, 'media.contentType must be a MIME type such as image/jpeg or application/pdf')
      .describe('MIME type: image/* is sent as an image, video/* and audio/* as such, anything else as a document'),
    caption: z.string().max(1024).optional().describe('Shown under the file; defaults to the message text. May contain {{variables}}'),
    posterUrl: z
      .string()
      .max(2048)
      .refine((u) => /^https?:\/\//i.test(u) || u.trimStart().startsWith('{{'), { message: 'media.posterUrl must start with http:// or https:// (or be a {{variable}})' })
      .optional()
      .describe('A video’s still: players show it before playing, email shows it linking to the video. May contain {{variables}}'),
  })
  .describe('A file sent with the message (WhatsApp, Messenger, MMS attach it; other channels get a link)');

const template = z
  .object({
    name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'template.name must be the approved template name (lowercase letters, digits, _)').describe('Approved WhatsApp template name'),
    language: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'template.language must be a language code such as en or en_US').describe('Template language code, e.g. en_US'),
    parameters: z.array(z.string().max(1024)).max(20).default([]).describe('Body parameters {{1}}, {{2}}… in order; each may contain {{variables}}'),
  })
  .describe('WhatsApp message template, needed to write first or after 24 hours of silence; other channels send the text');

export const sendMessageNode = defineNode({
  type: 'sendMessage',
  label: 'Send message',
  description: 'Sends a text, optionally with a file or as a WhatsApp template. `{{variable}}` placeholders are filled from the run variables.',
  category: 'messaging',
  data: z.object({
    text: z.string().min(1, 'text is required').max(4096).describe('Message template, e.g. "Hi {{name}}!"'),
    media: media.optional(),
    template: template.optional(),
  }),
  outputs: ['next'],
  templateFields: ['text', 'media.url', 'media.caption', 'template.parameters', 'media.posterUrl'],
  longTextFields: ['text'],
});
