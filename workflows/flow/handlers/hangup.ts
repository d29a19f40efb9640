/** Hang up: an optional goodbye, then `<Hangup/>`; the call's status callback closes the run. In a chat, End. */
import { renderTemplate } from '../../../core/template';
import type { NodeHandler } from '../types';

export const hangup: NodeHandler<'hangup'> = {
  async run(node, rt) {
    const goodbye = node.data.message ? renderTemplate(node.data.message, rt.variables) : '';
    if (rt.call) {
      if (goodbye) rt.call.verb(await rt.call.speech(node.id, goodbye));
      rt.call.verb({ verb: 'hangup' });
    } else if (goodbye) await rt.say(node.id, goodbye, 'template');
    return { kind: 'end' };
  },
};
