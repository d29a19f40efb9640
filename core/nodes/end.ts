import { z } from 'zod';
import { defineNode } from './define';

export const endNode = defineNode({
  type: 'end',
  label: 'End',
  description: 'Ends the run. In a conversation the next message starts the flow again.',
  category: 'flow',
  data: z.object({ message: z.string().max(4096).optional().describe('Optional goodbye sent before the run ends; may contain {{variables}}') }).default({}),
  outputs: [],
  templateFields: ['message'],
  longTextFields: ['message'],
});
