import { z } from 'zod';
import { defineNode, variableIn } from './define';

export const setVariableNode = defineNode({
  type: 'setVariable',
  label: 'Set variable',
  description: 'Sets a variable from an expression (`expression`) or a text template (`value`).',
  category: 'logic',
  data: z
    .object({
      variable: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'variable must be an identifier').describe('Name of the variable to set, e.g. total'),
      expression: z.string().max(2000).optional().describe('Computes the value, e.g. price * quantity; leave empty when using Value'),
      value: z.string().max(4096).optional().describe('A text value that may contain {{variables}}; leave empty when using Expression'),
    })
    .refine((d) => (d.expression === undefined) !== (d.value === undefined), {
      message: 'set exactly one of expression or value',
      path: ['expression'],
    }),
  outputs: ['next'],
  expressionFields: ['expression'],
  templateFields: ['value'],
  longTextFields: ['value'],
  sets: (d) => variableIn(d.variable),
  summary: (d) => `${d.variable ?? '?'} = ${d.expression ?? d.value ?? ''}`,
});
