import { z } from 'zod';
import { defineNode } from './define';

export const playNode = defineNode({
  type: 'play',
  label: 'Play audio',
  description: 'Plays an audio file to the caller (an MP3 or WAV by URL). In a chat it sends the file as a message.',
  category: 'voice',
  data: z.object({
    url: z
      .string()
      .min(1, 'url is required')
      .max(2048)
      .refine((u) => /^https?:\/\//i.test(u) || u.trimStart().startsWith('{{'), { message: 'url must start with http:// or https:// (or be a {{variable}})' })
      .describe('Public URL of the audio Twilio fetches (e.g. a media asset’s link); may contain {{variables}}'),
    loop: z.number().int().min(1).max(10).default(1).describe('How many times to play it'),
    caption: z.string().max(1024).optional().describe('What the audio says, for the transcript (and the chat fallback)'),
  }),
  outputs: ['next'],
  templateFields: ['url', 'caption'],
  summary: (d) => (typeof d.caption === 'string' && d.caption ? d.caption : typeof d.url === 'string' ? d.url : undefined),
});
