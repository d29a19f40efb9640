import { z } from 'zod';
import { defineNode } from './define';

export const sendMessageNode = defineNode({
  type: 'sendMessage',
  label: 'Send message',
  description: 'Sends a text. `{{variable}}` placeholders are filled from the run variables.',
  category: 'messaging',
  data: z.object({
    text: z.string().min(1, 'text is required').max(4096).describe('Message template, e.g. "Hi {{name}}!"'),
  }),
  outputs: ['next'],
});
