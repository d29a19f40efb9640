import { z } from 'zod';
import { defineNode } from './define';

export const waitNode = defineNode({
  type: 'wait',
  label: 'Wait',
  description: 'Pauses the run on a durable timer (survives restarts).',
  category: 'flow',
  data: z.object({
    seconds: z.number().positive().max(365 * 24 * 3600).describe('How long to pause before continuing, in seconds (3600 is one hour)'),
  }),
  outputs: ['next'],
  summary: (d) => (d.seconds !== undefined ? `${d.seconds} s` : undefined),
});
