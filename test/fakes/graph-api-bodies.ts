/**
 * What the real Graph API accepts as message bodies, checked the way it checks them: a problem
 * string (answered as a `(#100)` error) or null when the body is valid.
 */
const isText = (v: unknown, max: number) => typeof v === 'string' && v.length > 0 && v.length <= max;
const MEDIA = ['image', 'video', 'audio', 'document', 'sticker'];

export function validateWhatsAppBody(b: any): string | null {
  if (!b || typeof b !== 'object') return 'body must be a JSON object';
  if (b.messaging_product !== 'whatsapp') return 'The parameter messaging_product is required.';
  if (typeof b.to !== 'string' || !/^\+?\d{6,15}$/.test(b.to)) return 'Invalid parameter: to';
  switch (b.type ?? 'text') {
    case 'text':
      return isText(b.text?.body, 4096) ? null : 'The parameter text[body] is required.';
    case 'template': {
      const t = b.template;
      if (!isText(t?.name, 512)) return 'The parameter template[name] is required.';
      if (!isText(t?.language?.code, 16)) return 'The parameter template[language][code] is required.';
      for (const c of t.components ?? []) {
        if (!['header', 'body', 'button'].includes(c.type)) return `Invalid component type ${c.type}`;
        for (const p of c.parameters ?? []) if (p.type === 'text' && typeof p.text !== 'string') return 'Parameter text is required.';
      }
      return null;
    }
    case 'interactive': {
      const i = b.interactive;
      if (!isText(i?.body?.text, 1024)) return 'The parameter interactive[body][text] is required.';
      if (i.type === 'button') {
        const buttons = i.action?.buttons;
        if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > 3) return 'interactive[action][buttons] must have 1 to 3 buttons';
        return buttons.every((x: any) => x.type === 'reply' && isText(x.reply?.id, 256) && isText(x.reply?.title, 20)) ? null : 'Invalid button';
      }
      if (i.type === 'list') {
        if (!isText(i.action?.button, 20)) return 'The parameter interactive[action][button] is required.';
        const rows = (i.action.sections ?? []).flatMap((s: any) => s.rows ?? []);
        if (rows.length < 1 || rows.length > 10) return 'a list must have 1 to 10 rows';
        return rows.every((r: any) => isText(r.id, 200) && isText(r.title, 24)) ? null : 'Invalid row';
      }
      return `Invalid interactive type ${i?.type}`;
    }
    default:
      if (!MEDIA.includes(b.type)) return `Invalid message type ${b.type}`;
      // Captions: image, video and document only, up to 1024 characters.
      if (b[b.type]?.caption !== undefined && (!['image', 'video', 'document'].includes(b.type) || !isText(b[b.type].caption, 1024))) return `Invalid parameter ${b.type}[caption]`;
      return isText(b[b.type]?.link, 2048) || isText(b[b.type]?.id, 128) ? null : `The parameter ${b.type}[link] or ${b.type}[id] is required.`;
  }
}

export function validateMessengerBody(b: any): string | null {
  if (!b || typeof b !== 'object') return 'body must be a JSON object';
  // A recipient is a PSID, or the user_ref of a checkbox-plugin opt-in (which sender actions cannot use).
  if (!isText(b.recipient?.id, 64) && !isText(b.recipient?.user_ref, 256)) return 'The parameter recipient is required';
  if (b.sender_action !== undefined) {
    if (!b.recipient.id) return 'sender_action requires recipient[id]';
    if (b.message) return 'sender_action cannot be sent with message';
    return ['mark_seen', 'typing_on', 'typing_off'].includes(b.sender_action) ? null : 'Invalid sender_action';
  }
  if (!['RESPONSE', 'UPDATE', 'MESSAGE_TAG'].includes(b.messaging_type)) return 'The parameter messaging_type is required';
  const m = b.message;
  if (!m || typeof m !== 'object') return 'The parameter message is required';
  if (m.text !== undefined && m.attachment !== undefined) return 'message cannot have both text and attachment';
  if (m.text !== undefined) {
    if (!isText(m.text, 2000)) return 'message[text] must be 1 to 2000 characters';
  } else if (m.attachment) {
    const a = m.attachment;
    if (['image', 'video', 'audio', 'file'].includes(a.type)) {
      if (!isText(a.payload?.url, 2048)) return 'attachment payload url is required';
    } else if (a.type === 'template') {
      if (a.payload?.template_type !== 'button' || !isText(a.payload.text, 640)) return 'Invalid template payload';
      const buttons = a.payload.buttons;
      if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > 3) return 'a button template has 1 to 3 buttons';
      if (!buttons.every((x: any) => x.type === 'postback' && isText(x.title, 20) && isText(x.payload, 1000))) return 'Invalid button';
    } else return `Invalid attachment type ${a.type}`;
  } else return 'message must have text or attachment';
  if (m.quick_replies !== undefined) {
    if (!Array.isArray(m.quick_replies) || m.quick_replies.length > 13) return 'at most 13 quick replies';
    if (!m.quick_replies.every((q: any) => q.content_type === 'text' && isText(q.title, 20) && isText(q.payload, 1000))) return 'Invalid quick reply';
  }
  return null;
}
