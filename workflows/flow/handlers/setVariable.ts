import { evaluate } from '../../../core/expressions';
import { renderTemplate } from '../../../core/template';
import type { NodeHandler } from '../types';

export const setVariable: NodeHandler<'setVariable'> = {
  run: async (node, rt) => {
    const { variable, expression, value } = node.data;
    const result = expression !== undefined ? evaluate(expression, rt.variables) : renderTemplate(value ?? '', rt.variables);
    rt.variables[variable] = result;
    return { kind: 'follow', handle: 'next', output: { [variable]: result } };
  },
};
