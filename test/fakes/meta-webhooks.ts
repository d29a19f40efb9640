/** Webhook bodies exactly as Meta posts them (WhatsApp Cloud API and Messenger Platform). */
import { randomBytes } from 'node:crypto';

/**
 * JSON as Meta writes webhook bodies: `/` escaped as `\/` and every non-ASCII character as
 * `\uXXXX` (UTF-16 units, so an emoji is a surrogate pair). The signature is over these bytes,
 * so a receiver that re-serializes the parsed body before checking it fails.
 */
export function metaJson(body: unknown): string {
  return JSON.stringify(body)
    .replace(/\//g, '\\/')
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const unix = (at = Date.now()) => String(Math.floor(at / 1000));
export const wamid = () => `wamid.${randomBytes(16).toString('base64url')}`;
export const mid = () => `m_${randomBytes(16).toString('base64url')}`;

function whatsappEnvelope(phoneNumberId: string, value: Record<string, unknown>) {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550100', phone_number_id: phoneNumberId }, ...value } }] }],
  };
}

export interface WaMessageOpts {
  phoneNumberId: string;
  from: string;
  id?: string;
  name?: string;
  at?: number;
}

export function whatsappMessage(opts: WaMessageOpts, content: Record<string, unknown>) {
  return whatsappEnvelope(opts.phoneNumberId, {
    contacts: [{ profile: { name: opts.name ?? 'Kerry Fisher' }, wa_id: opts.from }],
    messages: [{ from: opts.from, id: opts.id ?? wamid(), timestamp: unix(opts.at), ...content }],
  });
}

export const whatsappText = (opts: WaMessageOpts, body: string) => whatsappMessage(opts, { type: 'text', text: { body } });
export const whatsappImage = (opts: WaMessageOpts, mediaId: string, caption?: string) =>
  whatsappMessage(opts, { type: 'image', image: { id: mediaId, mime_type: 'image/jpeg', sha256: 'x', ...(caption ? { caption } : {}) } });
export const whatsappLocation = (opts: WaMessageOpts) =>
  whatsappMessage(opts, { type: 'location', location: { latitude: 52.52, longitude: 13.405, name: 'Harbor Dental', address: '1 Dock St' } });
export const whatsappButtonReply = (opts: WaMessageOpts, id: string, title: string) =>
  whatsappMessage(opts, { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id, title } } });
export const whatsappListReply = (opts: WaMessageOpts, id: string, title: string) =>
  whatsappMessage(opts, { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id, title, description: 'row' } } });

export function whatsappStatus(phoneNumberId: string, id: string, status: 'sent' | 'delivered' | 'read' | 'failed', recipient: string, error?: { code: number; title: string }) {
  return whatsappEnvelope(phoneNumberId, {
    statuses: [{ id, status, timestamp: unix(), recipient_id: recipient, ...(error ? { errors: [{ ...error, message: error.title }] } : {}) }],
  });
}

function messengerEnvelope(pageId: string, messaging: Record<string, unknown>) {
  return { object: 'page', entry: [{ id: pageId, time: Date.now(), messaging: [{ recipient: { id: pageId }, timestamp: Date.now(), ...messaging }] }] };
}

export const messengerText = (pageId: string, psid: string, text: string, id = mid(), extra: Record<string, unknown> = {}) =>
  messengerEnvelope(pageId, { sender: { id: psid }, message: { mid: id, text, ...extra } });
export const messengerQuickReply = (pageId: string, psid: string, text: string, payload: string) => messengerText(pageId, psid, text, mid(), { quick_reply: { payload } });
export const messengerAttachment = (pageId: string, psid: string, url: string, type = 'image') =>
  messengerEnvelope(pageId, { sender: { id: psid }, message: { mid: mid(), attachments: [{ type, payload: { url } }] } });
export const messengerPostback = (pageId: string, psid: string, title: string, payload: string) =>
  messengerEnvelope(pageId, { sender: { id: psid }, postback: { mid: mid(), title, payload } });
export const messengerDelivery = (pageId: string, psid: string, mids: string[]) => messengerEnvelope(pageId, { sender: { id: psid }, delivery: { mids, watermark: Date.now() } });
export const messengerRead = (pageId: string, psid: string, watermark = Date.now()) => messengerEnvelope(pageId, { sender: { id: psid }, read: { watermark } });
