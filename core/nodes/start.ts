import { z } from 'zod';
import { defineNode } from './define';

export const startNode = defineNode({
  type: 'start',
  label: 'Start',
  description: 'Where every run begins. Exactly one per flow.',
  category: 'flow',
  data: z.object({}).strict().default({}),
  outputs: ['next'],
  entry: true,
  // Every contact message sets `message` (kind, text and its structured part, core/message-content.ts).
  sets: () => ['message'],
});
