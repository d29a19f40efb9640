/**
 * What an inbound message carries beyond its text, as the channel adapters normalize it and the
 * stored message keeps it (`messages.metadata`): its kind, and per kind a structured part (a
 * location, contact cards, an order, the button or row tapped, the ad the contact came from).
 * The text is always a readable form of the same content, so flows and transcripts that read
 * only text still make sense of it. Pure: adapters, the workflow and the API all read it.
 */

/** Every kind of contact message; flows branch on it with `message.kind == "location"`. */
export const MESSAGE_KINDS = [
  'text',
  'image',
  'audio',
  'video',
  'document',
  'sticker',
  'location',
  'contacts',
  'order',
  'reply',
  'postback',
  'referral',
  'optin',
  'link',
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

export interface GeoLocation {
  latitude: number;
  longitude: number;
  name?: string;
  address?: string;
  url?: string;
}

/** A shared contact card (WhatsApp `contacts`), trimmed to what an agent or a flow uses. */
export interface ContactCard {
  name: string;
  phones: string[];
  emails: string[];
  organization?: string;
}

export interface OrderItem {
  productId: string;
  quantity: number;
  price?: number;
  currency?: string;
}

export interface Order {
  catalogId?: string;
  note?: string;
  items: OrderItem[];
}

/** Where a contact came from: a click-to-chat ad or a link with a `ref` (WhatsApp, Messenger, Twilio). */
export interface Referral {
  source?: string;
  sourceType?: string;
  sourceId?: string;
  sourceUrl?: string;
  headline?: string;
  body?: string;
  ref?: string;
  clickId?: string;
}

/** A reaction a contact put on a message; an empty emoji takes the reaction away. */
export interface Reaction {
  emoji: string;
  at: string;
}

/** A former text of an edited message, kept for audit. */
export interface EditRecord {
  text: string;
  at: string;
}

/** The kind of a message that is only a file, by its media type. */
export function kindOfMedia(contentType: string | undefined): MessageKind {
  const type = contentType ?? '';
  return (['image', 'video', 'audio'] as const).find((t) => type.startsWith(`${t}/`)) ?? 'document';
}

const PRICE = (item: OrderItem) => (item.price !== undefined ? ` @ ${item.price}${item.currency ? ` ${item.currency}` : ''}` : '');

/** Readable forms: the stored `text` of a message whose content is structured. */
export const readable = {
  location: (l: GeoLocation) => {
    const label = [l.name, l.address].filter(Boolean).join(', ');
    return `${label ? `${label} ` : ''}(${l.latitude}, ${l.longitude})`;
  },
  contacts: (cards: ContactCard[]) =>
    cards.map((c) => ['Contact: ' + c.name, ...c.phones, ...c.emails, ...(c.organization ? [c.organization] : [])].join(', ')).join('\n'),
  order: (o: Order) =>
    [`Order of ${o.items.length} item${o.items.length === 1 ? '' : 's'}:`, ...o.items.map((i) => `${i.quantity} × ${i.productId}${PRICE(i)}`), ...(o.note ? [o.note] : [])].join('\n'),
};

/**
 * The `message` variable a flow sees on each contact message: its kind and text, and the
 * structured part of that kind (never the HTML of an email or raw provider fields).
 */
export function messageVariable(text: string, metadata: Record<string, unknown> | undefined): Record<string, unknown> {
  const m = metadata ?? {};
  const kind = typeof m.kind === 'string' ? m.kind : m.location ? 'location' : m.reply ? 'reply' : m.postback ? 'postback' : typeof m.mediaType === 'string' ? m.mediaType : 'text';
  const attachments = Array.isArray(m.attachments) ? m.attachments.length : 0;
  const picked: Record<string, unknown> = { kind, text, attachments };
  for (const key of ['subject', 'location', 'contacts', 'order', 'reply', 'postback', 'referral', 'optin', 'links'] as const) {
    if (m[key] !== undefined) picked[key] = m[key];
  }
  return picked;
}
