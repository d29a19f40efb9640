import { renderTemplate } from '../../../core/template';
import type { NodeHandler } from '../types';

export const end: NodeHandler<'end'> = {
  run: async (node, rt) => {
    if (node.data.message) await rt.say(node.id, renderTemplate(node.data.message, rt.variables), 'template');
    return { kind: 'end' };
  },
};
