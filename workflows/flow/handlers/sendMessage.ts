import { renderTemplate } from '../../../core/template';
import type { NodeHandler } from '../types';

export const sendMessage: NodeHandler<'sendMessage'> = {
  async run(node, rt) {
    await rt.say(node.id, renderTemplate(node.data.text, rt.variables), 'template');
    return { kind: 'follow', handle: 'next' };
  },
};
