import { z } from 'zod';
import { defineNode } from './define';

const uuid = (field: string) => z.string().uuid(`${field} must be an id`);

export const sendVideoNode = defineNode({
  type: 'sendVideo',
  label: 'Send video',
  description:
    'Sends a talking-avatar video on the contact’s channel (WhatsApp video, Messenger attachment, email link, web-chat player): rendered from a script — once per distinct script, so a personalized one renders per contact through the cache — or a stored render.',
  category: 'messaging',
  data: z
    .object({
      source: z.enum(['render', 'stored']).default('render').describe('Render the script with the avatar, or send a render that exists already'),
      avatarId: uuid('avatarId').optional().describe('The presenter (Videos → Avatars); needed to render'),
      voiceProfileId: uuid('voiceProfileId').optional().describe("The voice; empty uses the avatar's"),
      script: z.string().max(5000).optional().describe('What the presenter says; {{variables}} make it personal (one render per distinct text)'),
      renderId: uuid('renderId').optional().describe('The stored render to send (source: stored)'),
      text: z.string().max(1024).default('').describe('Caption sent with the video; may contain {{variables}}'),
    })
    .refine((d) => (d.source === 'render' ? !!d.avatarId && !!d.script?.trim() : !!d.renderId), { message: 'a render needs avatarId and script; a stored video needs renderId', path: ['script'] }),
  chatOnly: 'a phone call cannot show a video; use Say or Play',
  outputs: ['next', 'error'],
  // Unconnected, `error` fails the run with the reason.
  optionalOutputs: ['error'],
  templateFields: ['script', 'text'],
  longTextFields: ['script'],
  summary: (d) => (d.source === 'stored' ? 'stored video' : typeof d.script === 'string' ? `“${d.script.slice(0, 30)}”` : 'render'),
});
