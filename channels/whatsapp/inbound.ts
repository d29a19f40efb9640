/**
 * WhatsApp Cloud API webhooks → InboundEvents: text, media (a media id to resolve later), location,
 * shared contact cards, catalog orders, interactive button / list replies, template quick-reply
 * buttons, click-to-WhatsApp ad referrals, reactions, edits and deletions (amendments of the
 * message they name), and delivery statuses. Changes for another phone number of the same app are
 * skipped; an item that does not parse is reported, not fatal to the batch (meta/batch.ts).
 */
import { z } from 'zod';
import { readable, type ContactCard, type MessageKind, type Order, type Referral } from '../../core/message-content';
import { BatchParser } from '../meta/batch';
import { isoFromUnix } from '../meta/common';
import { parsePayload } from '../meta/payload';
import type { InboundAttachment, InboundEvent, ParsedWebhook } from '../types';

const media = z.object({ id: z.string().min(1), mime_type: z.string().optional(), caption: z.string().optional(), filename: z.string().optional() });
const str = z.string().optional();

const contactCard = z.object({
  name: z.object({ formatted_name: str, first_name: str, last_name: str }).passthrough().optional(),
  phones: z.array(z.object({ phone: str, wa_id: str, type: str })).optional(),
  emails: z.array(z.object({ email: str, type: str })).optional(),
  org: z.object({ company: str, department: str, title: str }).optional(),
});

const referral = z.object({ source_url: str, source_id: str, source_type: str, headline: str, body: str, media_type: str, ctwa_clid: str }).passthrough();

const message = z.object({
  from: z.string().min(1),
  id: z.string().min(1),
  timestamp: z.string().optional(),
  type: z.string().min(1),
  text: z.object({ body: z.string() }).optional(),
  image: media.optional(),
  audio: media.optional(),
  video: media.optional(),
  document: media.optional(),
  sticker: media.optional(),
  location: z.object({ latitude: z.number(), longitude: z.number(), name: str, address: str, url: str }).optional(),
  contacts: z.array(contactCard).min(1).optional(),
  order: z
    .object({
      catalog_id: str,
      text: str,
      product_items: z.array(z.object({ product_retailer_id: z.string(), quantity: z.coerce.number(), item_price: z.coerce.number().optional(), currency: str })),
    })
    .optional(),
  interactive: z
    .object({
      type: z.string(),
      button_reply: z.object({ id: z.string(), title: z.string() }).optional(),
      list_reply: z.object({ id: z.string(), title: z.string(), description: str }).optional(),
    })
    .optional(),
  button: z.object({ payload: str, text: z.string() }).optional(),
  reaction: z.object({ message_id: z.string().min(1), emoji: str }).optional(),
  edit: z
    .object({
      original_message_id: z.string().min(1),
      message: z.object({ text: z.object({ body: z.string() }).optional() }).catchall(z.unknown()),
    })
    .optional(),
  revoke: z.object({ original_message_id: z.string().min(1) }).optional(),
  referral: referral.optional(),
  context: z.object({ from: str, id: str }).optional(),
});

const status = z.object({
  id: z.string().min(1),
  status: z.string(),
  timestamp: z.string().optional(),
  recipient_id: z.string().optional(),
  errors: z.array(z.object({ code: z.number().optional(), title: z.string().optional(), message: z.string().optional(), error_data: z.object({ details: str }).optional() })).optional(),
});

const change = z.object({
  field: z.string(),
  value: z
    .object({
      metadata: z.object({ phone_number_id: z.string() }).optional(),
      contacts: z.array(z.object({ wa_id: z.string(), profile: z.object({ name: z.string().optional() }).optional() })).optional(),
      messages: z.unknown().optional(),
      statuses: z.unknown().optional(),
    })
    .passthrough(),
});

/** Meta's `message_template_status_update`: sent to the business account's webhook, for every number of it. */
const templateUpdate = z.object({
  event: z.string().min(1),
  message_template_id: z.union([z.string(), z.number()]).transform(String),
  message_template_name: z.string().default(''),
  message_template_language: z.string().default(''),
  reason: z.string().nullish(),
});

const entrySchema = z.object({ id: z.string().optional(), time: z.number().optional(), changes: z.array(z.unknown()) });

const envelope = z.object({
  object: z.literal('whatsapp_business_account', { message: 'object must be "whatsapp_business_account"' }),
  entry: z.array(z.unknown()).min(1, 'entry must not be empty'),
});

type WaMessage = z.infer<typeof message>;
type Content = { text: string; kind: MessageKind; attachments?: InboundAttachment[]; metadata?: Record<string, unknown> };

const MEDIA_TYPES = ['image', 'audio', 'video', 'document', 'sticker'] as const;
const STATUSES = new Set(['sent', 'delivered', 'read', 'failed']);

export function parseWhatsAppWebhook(body: unknown, phoneNumberId: string): ParsedWebhook {
  const payload = parsePayload(envelope, body);
  const batch = new BatchParser();
  const events: InboundEvent[] = [];
  batch.each(entrySchema, payload.entry, 'entry').forEach((entry, e) => {
    batch.each(change, entry.changes, `entry.${e}.changes`).forEach(({ field, value }, c) => {
      if (field === 'message_template_status_update') {
        const [t] = batch.each(templateUpdate, [value], `entry.${e}.changes.${c}.value`);
        if (t) events.push({ kind: 'template', externalId: t.message_template_id, name: t.message_template_name, language: t.message_template_language, event: t.event, ...(t.reason && t.reason !== 'NONE' ? { reason: t.reason } : {}), at: isoFromUnix(entry.time) });
        return;
      }
      if (field !== 'messages') return;
      if (value.metadata && value.metadata.phone_number_id !== phoneNumberId) return;
      const path = `entry.${e}.changes.${c}.value`;
      const names = new Map((value.contacts ?? []).map((contact) => [contact.wa_id, contact.profile?.name]));
      for (const m of batch.each(message, value.messages, `${path}.messages`)) {
        const event = messageEvent(m, names.get(m.from));
        if (event) events.push(event);
        else batch.reject(`${path}.messages`, `message ${m.id} of type "${m.type}" is not supported`);
      }
      for (const s of batch.each(status, value.statuses, `${path}.statuses`)) {
        if (!STATUSES.has(s.status)) continue;
        const error = s.errors?.map((err) => [err.code, err.title ?? err.message, err.error_data?.details].filter(Boolean).join(' ')).join('; ');
        events.push({ kind: 'status', externalId: s.id, status: s.status as 'sent', ...(error ? { error } : {}), at: isoFromUnix(s.timestamp) });
      }
    });
  });
  return { events, rejected: batch.rejected };
}

function messageEvent(m: WaMessage, contactName?: string): InboundEvent | null {
  const at = isoFromUnix(m.timestamp);
  if (m.type === 'reaction' && m.reaction) return { kind: 'amend', externalId: m.id, targetExternalId: m.reaction.message_id, change: { type: 'reaction', emoji: m.reaction.emoji ?? '' }, at };
  if (m.type === 'revoke' && m.revoke) return { kind: 'amend', externalId: m.id, targetExternalId: m.revoke.original_message_id, change: { type: 'revoke' }, at };
  if (m.type === 'edit' && m.edit) {
    const edited = m.edit.message;
    const caption = MEDIA_TYPES.map((t) => (edited[t] as { caption?: unknown } | undefined)?.caption).find((c) => typeof c === 'string') as string | undefined;
    const text = edited.text?.body ?? caption;
    if (text === undefined) return null;
    return { kind: 'amend', externalId: m.id, targetExternalId: m.edit.original_message_id, change: { type: 'edit', text }, at };
  }
  const content = messageContent(m);
  if (!content) return null;
  const metadata: Record<string, unknown> = { kind: content.kind, ...content.metadata };
  if (m.referral) metadata.referral = referralOf(m.referral);
  if (m.context?.id) metadata.replyTo = m.context.id;
  return {
    kind: 'message',
    externalId: m.id,
    contactAddress: `+${m.from.replace(/^\+/, '')}`,
    ...(contactName ? { contactName } : {}),
    message: { channel: 'whatsapp', text: content.text, sentAt: at, ...(content.attachments ? { attachments: content.attachments } : {}) },
    metadata,
  };
}

function messageContent(m: WaMessage): Content | null {
  if (m.type === 'text' && m.text) return { kind: 'text', text: m.text.body };
  const mediaType = MEDIA_TYPES.find((t) => t === m.type);
  const file = mediaType ? m[mediaType] : undefined;
  if (mediaType && file) {
    return {
      kind: mediaType,
      text: file.caption ?? `[${mediaType}]`,
      attachments: [{ kind: 'remote', ref: file.id, ...(file.mime_type ? { contentType: file.mime_type } : {}), ...(file.filename ? { name: file.filename } : {}) }],
      metadata: { mediaType },
    };
  }
  if (m.type === 'location' && m.location) return { kind: 'location', text: readable.location(m.location), metadata: { location: m.location } };
  if (m.type === 'contacts' && m.contacts) {
    const contacts = m.contacts.map(cardOf);
    return { kind: 'contacts', text: readable.contacts(contacts), metadata: { contacts } };
  }
  if (m.type === 'order' && m.order) {
    const order: Order = {
      ...(m.order.catalog_id ? { catalogId: m.order.catalog_id } : {}),
      ...(m.order.text ? { note: m.order.text } : {}),
      items: m.order.product_items.map((i) => ({ productId: i.product_retailer_id, quantity: i.quantity, ...(i.item_price !== undefined ? { price: i.item_price } : {}), ...(i.currency ? { currency: i.currency } : {}) })),
    };
    return { kind: 'order', text: readable.order(order), metadata: { order } };
  }
  if (m.type === 'interactive' && m.interactive) {
    const reply = m.interactive.button_reply ?? m.interactive.list_reply;
    if (!reply) return null;
    return { kind: 'reply', text: reply.title, metadata: { reply: { type: m.interactive.type, id: reply.id, title: reply.title } } };
  }
  if (m.type === 'button' && m.button) return { kind: 'reply', text: m.button.text, metadata: { reply: { type: 'template_button', id: m.button.payload ?? m.button.text, title: m.button.text } } };
  return null;
}

function cardOf(c: z.infer<typeof contactCard>): ContactCard {
  const name = c.name?.formatted_name ?? ([c.name?.first_name, c.name?.last_name].filter(Boolean).join(' ') || 'Unnamed contact');
  return {
    name,
    phones: (c.phones ?? []).flatMap((p) => (p.phone ? [p.phone] : p.wa_id ? [`+${p.wa_id}`] : [])),
    emails: (c.emails ?? []).flatMap((e) => (e.email ? [e.email] : [])),
    ...(c.org?.company ? { organization: c.org.company } : {}),
  };
}

function referralOf(r: z.infer<typeof referral>): Referral {
  const out: Referral = { source: 'ad' };
  if (r.source_type) out.sourceType = r.source_type;
  if (r.source_id) out.sourceId = r.source_id;
  if (r.source_url) out.sourceUrl = r.source_url;
  if (r.headline) out.headline = r.headline;
  if (r.body) out.body = r.body;
  if (r.ctwa_clid) out.clickId = r.ctwa_clid;
  return out;
}
