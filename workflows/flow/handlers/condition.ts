import { evaluateBoolean } from '../../../core/expressions';
import type { NodeHandler } from '../types';

export const condition: NodeHandler<'condition'> = {
  run: async (node, rt) => {
    const result = evaluateBoolean(node.data.expression, rt.variables);
    return { kind: 'follow', handle: result ? 'true' : 'false', output: result };
  },
};
