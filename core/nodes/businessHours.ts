import { z } from 'zod';
import { defineNode, variableIn } from './define';

/**
 * Branches on the tenant's opening hours (Settings → Opening hours, read in the tenant's
 * timezone at the moment the node runs): `open`, `closed`, or `holiday` on a date an exception
 * closes (unconnected: such a day follows `closed`). Hours never set count as open.
 */
export const businessHoursNode = defineNode({
  type: 'businessHours',
  label: 'Business hours',
  description: 'Branches on whether the business is open now, by the opening hours and timezone in Settings → Opening hours (holidays included).',
  category: 'logic',
  data: z.object({
    variable: z
      .string()
      .regex(/^([A-Za-z_][A-Za-z0-9_]*)?$/, 'variable must be an identifier')
      .default('')
      .describe('Optional: a variable that receives "open", "closed" or "holiday", e.g. hours (leave empty to only branch)'),
  }),
  outputs: ['open', 'closed', 'holiday'],
  optionalOutputs: ['holiday'],
  sets: (d) => variableIn(d.variable),
  summary: () => 'open / closed by Settings → Opening hours',
});
