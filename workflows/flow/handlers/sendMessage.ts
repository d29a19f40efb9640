import type { RichContent } from '../../../core/messages';
import { renderTemplate } from '../../../core/template';
import type { NodeHandler, NodeOf } from '../types';

export const sendMessage: NodeHandler<'sendMessage'> = {
  async run(node, rt) {
    await rt.say(node.id, renderTemplate(node.data.text, rt.variables), 'template', undefined, undefined, richContent(node, rt.variables));
    return { kind: 'follow', handle: 'next' };
  },
};

/** The node's file and WhatsApp template with their placeholders filled; undefined for a plain text. */
function richContent({ data }: NodeOf<'sendMessage'>, variables: Record<string, unknown>): RichContent | undefined {
  const rich: RichContent = {};
  if (data.media) {
    const caption = data.media.caption ? renderTemplate(data.media.caption, variables) : undefined;
    const posterUrl = data.media.posterUrl ? renderTemplate(data.media.posterUrl, variables).trim() : undefined;
    rich.media = { url: renderTemplate(data.media.url, variables).trim(), contentType: data.media.contentType, ...(caption ? { caption } : {}), ...(posterUrl ? { posterUrl } : {}) };
  }
  if (data.template) {
    const { name, language, parameters } = data.template;
    rich.template = { name, language, parameters: parameters.map((p) => renderTemplate(p, variables)) };
  }
  return rich.media || rich.template ? rich : undefined;
}
