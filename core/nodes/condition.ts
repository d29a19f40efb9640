import { z } from 'zod';
import { defineNode } from './define';

export const conditionNode = defineNode({
  type: 'condition',
  label: 'Condition',
  description: 'Branches on an expression over the variables, e.g. `age >= 18 and country == "NL"`.',
  category: 'logic',
  data: z.object({
    expression: z
      .string()
      .min(1, 'expression is required')
      .max(2000)
      .describe('Expression over the variables; true follows the "true" edge, anything else "false". E.g. age >= 18 and country == "NL"'),
  }),
  outputs: ['true', 'false'],
  expressionFields: ['expression'],
});
