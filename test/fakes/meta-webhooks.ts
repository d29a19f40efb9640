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

// ---- Message kinds as Meta's webhook references document them ----

/** WhatsApp `contacts`: a shared contact card, every documented field present. */
export const whatsappContacts = (opts: WaMessageOpts) =>
  whatsappMessage(opts, {
    type: 'contacts',
    contacts: [
      {
        addresses: [{ city: 'Menlo Park', country: 'United States', country_code: 'us', state: 'CA', street: '1 Hacker Way', type: 'WORK', zip: '94025' }],
        birthday: '1990-01-01',
        emails: [{ email: 'grace@example.com', type: 'WORK' }],
        name: { formatted_name: 'Grace Hopper', first_name: 'Grace', last_name: 'Hopper', middle_name: 'B', suffix: '', prefix: 'Rear Adm.' },
        org: { company: 'US Navy', department: 'Computing', title: 'Admiral' },
        phones: [{ phone: '+1 555 0100', wa_id: '15550100', type: 'CELL' }],
        urls: [{ url: 'https://example.com', type: 'WORK' }],
      },
    ],
  });

/** WhatsApp `order`: a cart from the catalog (quantities and prices as the docs show them). */
export const whatsappOrder = (opts: WaMessageOpts) =>
  whatsappMessage(opts, {
    type: 'order',
    order: {
      catalog_id: '1234567890',
      text: 'Please deliver after 5pm',
      product_items: [
        { product_retailer_id: 'SKU-TOOTHBRUSH', quantity: 2, item_price: 3.5, currency: 'EUR' },
        { product_retailer_id: 'SKU-FLOSS', quantity: '1', item_price: '2', currency: 'EUR' },
      ],
    },
    context: { from: '15550100', id: wamid() },
  });

export const whatsappReaction = (opts: WaMessageOpts, messageId: string, emoji?: string) =>
  whatsappMessage(opts, { type: 'reaction', reaction: { message_id: messageId, ...(emoji !== undefined ? { emoji } : {}) } });

export const whatsappEdit = (opts: WaMessageOpts, originalId: string, body: string) =>
  whatsappMessage(opts, { type: 'edit', edit: { original_message_id: originalId, message: { context: { id: originalId }, type: 'text', text: { body } } } });

export const whatsappRevoke = (opts: WaMessageOpts, originalId: string) => whatsappMessage(opts, { type: 'revoke', revoke: { original_message_id: originalId } });

/** A click-to-WhatsApp ad's first message: text with the `referral` object. */
export const whatsappReferral = (opts: WaMessageOpts, body: string) =>
  whatsappMessage(opts, {
    type: 'text',
    text: { body },
    referral: {
      source_url: 'https://fb.me/3cr4Wqqkv',
      source_id: '120210000000000000',
      source_type: 'ad',
      headline: 'Whitening special',
      body: 'Book a whitening session this month',
      media_type: 'image',
      image_url: 'https://scontent.xx.fbcdn.net/ad.jpg',
      ctwa_clid: 'ARAkLkA8rmlFeiCktEJQ',
    },
  });

/** Several `messaging` items in one delivery, as Meta batches them. */
export function messengerBatch(pageId: string, items: Record<string, unknown>[]) {
  return { object: 'page', entry: items.map((item) => ({ id: pageId, time: Date.now(), messaging: [{ recipient: { id: pageId }, timestamp: Date.now(), ...item }] })) };
}

export const messengerLocationItem = (psid: string) => ({
  sender: { id: psid },
  message: { mid: mid(), attachments: [{ type: 'location', title: 'Harbor Dental', url: 'https://l.facebook.com/l.php?u=https%3A%2F%2Fbing.com%2Fmaps', payload: { coordinates: { lat: 52.52, long: 13.405 } } }] },
});
export const messengerFallbackItem = (psid: string) => ({
  sender: { id: psid },
  message: { mid: mid(), attachments: [{ type: 'fallback', title: 'Teeth whitening, explained', url: 'https://example.com/whitening', payload: null }] },
});
/** The checkbox plugin's opt-in: a `user_ref`, no `sender`. */
export const messengerOptinItem = (userRef: string) => ({ optin: { ref: 'checkout-page', user_ref: userRef } });
export const messengerReferralItem = (psid: string) => ({ sender: { id: psid }, referral: { ref: 'spring-promo', source: 'SHORTLINK', type: 'OPEN_THREAD' } });
export const messengerPostbackReferralItem = (psid: string) => ({
  sender: { id: psid },
  postback: { mid: mid(), title: 'Get Started', payload: 'GET_STARTED', referral: { ref: 'ad-42', source: 'ADS', type: 'OPEN_THREAD', ad_id: '6045246247433' } },
});
