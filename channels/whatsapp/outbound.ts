/** OutboundSend → the Cloud API's `/{phone-number-id}/messages` request bodies. */
import type { OutboundSend } from '../types';

const BUTTON_TITLE_MAX = 20;
const ROW_TITLE_MAX = 24;
const MAX_BUTTONS = 3;
const MAX_ROWS = 10;

type Body = Record<string, unknown>;

export function whatsappBody(to: string, message: OutboundSend): Body {
  const base = { messaging_product: 'whatsapp', recipient_type: 'individual', to: to.replace(/^\+/, '') };
  if (message.template) {
    const { name, language, parameters } = message.template;
    const components: Body[] = parameters.length ? [{ type: 'body', parameters: parameters.map((text) => ({ type: 'text', text })) }] : [];
    // A template with a media header (a campaign's video) takes the file as the header's parameter.
    if (message.media) {
      const type = mediaType(message.media.contentType);
      if (type !== 'audio') components.unshift({ type: 'header', parameters: [{ type, [type]: { link: message.media.url } }] });
    }
    return { ...base, type: 'template', template: { name, language: { code: language }, components } };
  }
  if (message.media) {
    const type = mediaType(message.media.contentType);
    const caption = message.media.caption ?? (message.text || undefined);
    const payload: Body = { link: message.media.url };
    if (caption && type !== 'audio') payload.caption = caption;
    if (type === 'document' && message.media.name) payload.filename = message.media.name;
    return { ...base, type, [type]: payload };
  }
  const options = message.interactive?.options ?? [];
  if (message.interactive?.type === 'buttons' && options.length > 0 && options.length <= MAX_BUTTONS) {
    return {
      ...base,
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: message.text },
        action: { buttons: options.map((o) => ({ type: 'reply', reply: { id: o.id, title: o.title.slice(0, BUTTON_TITLE_MAX) } })) },
      },
    };
  }
  if (message.interactive && options.length > 0) {
    return {
      ...base,
      type: 'interactive',
      interactive: {
        type: 'list',
        body: { text: message.text },
        action: {
          button: (message.interactive.button ?? 'Choose').slice(0, BUTTON_TITLE_MAX),
          sections: [{ title: 'Options', rows: options.slice(0, MAX_ROWS).map((o) => ({ id: o.id, title: o.title.slice(0, ROW_TITLE_MAX) })) }],
        },
      },
    };
  }
  return { ...base, type: 'text', text: { preview_url: false, body: message.text } };
}

function mediaType(contentType: string): 'image' | 'video' | 'audio' | 'document' {
  if (contentType.startsWith('image/')) return 'image';
  if (contentType.startsWith('video/')) return 'video';
  if (contentType.startsWith('audio/')) return 'audio';
  return 'document';
}
