import { z } from 'zod';
import { defineNode } from './define';

export const hangupNode = defineNode({
  type: 'hangup',
  label: 'Hang up',
  description: 'Ends the call (after an optional goodbye). In a chat it ends the run like End.',
  category: 'voice',
  data: z
    .object({ message: z.string().max(4096).optional().describe('Optional goodbye spoken before hanging up; may contain {{variables}}') })
    .default({}),
  outputs: [],
  templateFields: ['message'],
  longTextFields: ['message'],
});
