/** Play: an audio file on a call (its caption in the transcript); in a chat, the file as a message. */
import { renderTemplate } from '../../../core/template';
import type { NodeHandler } from '../types';

export const play: NodeHandler<'play'> = {
  async run(node, rt) {
    const url = renderTemplate(node.data.url, rt.variables).trim();
    const caption = node.data.caption ? renderTemplate(node.data.caption, rt.variables) : '';
    if (rt.call) {
      rt.call.verb({ verb: 'play', url, ...(node.data.loop > 1 ? { loop: node.data.loop } : {}) });
      rt.call.note(node.id, caption || `[audio] ${url}`, 'audio');
    } else await rt.say(node.id, caption || url, 'template', undefined, undefined, { media: { url, contentType: 'audio/mpeg', ...(caption ? { caption } : {}) } });
    return { kind: 'follow', handle: 'next' };
  },
};
