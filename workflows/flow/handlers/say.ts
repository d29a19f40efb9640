/** Say: speaks the text on a call (voice profile, language); in a chat it is a message like sendMessage. */
import { renderTemplate } from '../../../core/template';
import type { NodeHandler } from '../types';

export const say: NodeHandler<'say'> = {
  async run(node, rt) {
    const text = renderTemplate(node.data.text, rt.variables);
    if (rt.call) rt.call.verb(await rt.call.speech(node.id, text, { voiceProfileId: node.data.voiceProfileId ?? null, language: node.data.language }));
    else await rt.say(node.id, text, 'template');
    return { kind: 'follow', handle: 'next' };
  },
};
