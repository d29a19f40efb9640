/**
 * Messenger Platform webhooks → InboundEvents: text, attachments (files, shared locations,
 * `fallback` shared links), quick replies, postbacks, referrals (ads, m.me links), opt-ins,
 * reactions and edits (amendments), and delivery / read receipts. A `read` carries a watermark,
 * not message ids: it becomes a status event with externalId `watermark:{psid}` and `at` = the
 * watermark (see inbound processing). Meta batches entries: an item that does not parse is
 * reported and the others are kept (meta/batch.ts).
 */
import { z } from 'zod';
import { readable, type GeoLocation, type Referral } from '../../core/message-content';
import { BatchParser } from '../meta/batch';
import { isoFromUnix } from '../meta/common';
import { parsePayload } from '../meta/payload';
import type { InboundAttachment, InboundEvent, ParsedWebhook } from '../types';

export const WATERMARK_PREFIX = 'watermark:';
/** An opt-in from the checkbox plugin names the person by `user_ref` only; replies go to that ref. */
export const USER_REF_PREFIX = 'user_ref:';

const str = z.string().optional();
const attachment = z.object({
  type: z.string(),
  title: str,
  url: str,
  payload: z
    .object({ url: str, title: str, coordinates: z.object({ lat: z.number(), long: z.number() }).optional() })
    .passthrough()
    .nullish(),
});
const referral = z
  .object({ ref: str, source: str, type: str, ad_id: str, referer_uri: str, ads_context_data: z.object({ ad_title: str, photo_url: str, post_id: str }).passthrough().optional() })
  .passthrough();

const messaging = z.object({
  sender: z.object({ id: z.string().min(1) }).optional(),
  recipient: z.object({ id: z.string().min(1) }),
  timestamp: z.number().optional(),
  message: z
    .object({
      mid: z.string().min(1),
      text: str,
      is_echo: z.boolean().optional(),
      quick_reply: z.object({ payload: z.string() }).optional(),
      attachments: z.array(attachment).optional(),
      referral: referral.optional(),
      reply_to: z.object({ mid: str }).optional(),
    })
    .optional(),
  postback: z.object({ mid: str, title: str, payload: z.string(), referral: referral.optional() }).optional(),
  referral: referral.optional(),
  optin: z.object({ ref: str, user_ref: str, type: str, payload: str }).passthrough().optional(),
  reaction: z.object({ mid: z.string().min(1), action: z.enum(['react', 'unreact']), emoji: str, reaction: str }).optional(),
  message_edit: z.object({ mid: z.string().min(1), text: z.string() }).passthrough().optional(),
  delivery: z.object({ mids: z.array(z.string()).optional(), watermark: z.number() }).optional(),
  read: z.object({ watermark: z.number() }).optional(),
});

const entrySchema = z.object({ id: z.string(), messaging: z.array(z.unknown()).optional() });
const envelope = z.object({
  object: z.literal('page', { message: 'object must be "page"' }),
  entry: z.array(z.unknown()).min(1, 'entry must not be empty'),
});

type Messaging = z.infer<typeof messaging>;
type MessageEvent = Extract<InboundEvent, { kind: 'message' }>;

const FILE_TYPES = new Set(['image', 'audio', 'video', 'file']);

export function parseMessengerWebhook(body: unknown, pageId: string): ParsedWebhook {
  const payload = parsePayload(envelope, body);
  const batch = new BatchParser();
  const events: InboundEvent[] = [];
  batch.each(entrySchema, payload.entry, 'entry').forEach((entry, e) => {
    if (entry.id !== pageId) return;
    batch.each(messaging, entry.messaging, `entry.${e}.messaging`).forEach((m, i) => {
      const found = messagingEvents(m);
      if (found) events.push(...found);
      else batch.reject(`entry.${e}.messaging.${i}`, 'no sender, or an event this channel does not record');
    });
  });
  return { events, rejected: batch.rejected };
}

/** Null when the item cannot be recorded (no one to answer, or an event kind not handled). */
function messagingEvents(m: Messaging): InboundEvent[] | null {
  const at = isoFromUnix(m.timestamp);
  if (m.optin) return optinEvent(m, m.optin, at);
  if (!m.sender) return null;
  const psid = m.sender.id;
  const message = (externalId: string, text: string, metadata: Record<string, unknown>, attachments: InboundAttachment[] = []): MessageEvent => ({
    kind: 'message',
    externalId,
    contactAddress: psid,
    message: { channel: 'messenger', text, sentAt: at, ...(attachments.length ? { attachments } : {}) },
    metadata,
  });
  if (m.message) return m.message.is_echo ? [] : [contentEvent(m.message, message)];
  if (m.postback) {
    const title = m.postback.title ?? m.postback.payload;
    const metadata: Record<string, unknown> = { kind: 'postback', postback: { payload: m.postback.payload, title } };
    if (m.postback.referral) metadata.referral = referralOf(m.postback.referral);
    // Older postbacks have no mid: the sender and timestamp name the tap.
    return [message(m.postback.mid ?? `postback:${psid}:${m.timestamp ?? 0}`, title, metadata)];
  }
  if (m.referral) {
    const r = referralOf(m.referral);
    return [message(`referral:${psid}:${m.timestamp ?? 0}`, `Referral: ${r.ref ?? r.headline ?? r.source ?? 'link'}`, { kind: 'referral', referral: r })];
  }
  if (m.reaction) {
    const emoji = m.reaction.action === 'unreact' ? '' : (m.reaction.emoji ?? m.reaction.reaction ?? '');
    return [{ kind: 'amend', externalId: `reaction:${m.reaction.mid}:${psid}:${m.timestamp ?? 0}`, targetExternalId: m.reaction.mid, change: { type: 'reaction', emoji }, at }];
  }
  if (m.message_edit) {
    return [{ kind: 'amend', externalId: `edit:${m.message_edit.mid}:${m.timestamp ?? 0}`, targetExternalId: m.message_edit.mid, change: { type: 'edit', text: m.message_edit.text }, at }];
  }
  if (m.delivery) return (m.delivery.mids ?? []).map((mid) => ({ kind: 'status', externalId: mid, status: 'delivered', at: isoFromUnix(m.delivery!.watermark) }));
  if (m.read) return [{ kind: 'status', externalId: `${WATERMARK_PREFIX}${psid}`, status: 'read', at: isoFromUnix(m.read.watermark) }];
  return null;
}

function contentEvent(msg: NonNullable<Messaging['message']>, message: (id: string, text: string, metadata: Record<string, unknown>, attachments?: InboundAttachment[]) => MessageEvent): MessageEvent {
  const all = msg.attachments ?? [];
  const files: InboundAttachment[] = all.filter((a) => FILE_TYPES.has(a.type) && a.payload?.url).map((a) => ({ kind: 'remote', ref: a.payload!.url! }));
  const place = all.find((a) => a.type === 'location');
  const links = all.filter((a) => a.type === 'fallback').map((a) => ({ url: a.url ?? a.payload?.url ?? '', ...((a.title ?? a.payload?.title) ? { title: a.title ?? a.payload?.title } : {}) }));
  const metadata: Record<string, unknown> = {};
  let text = msg.text ?? '';
  if (place) {
    const c = place.payload?.coordinates;
    const location: GeoLocation | null = c ? { latitude: c.lat, longitude: c.long, ...(place.title ? { name: place.title } : {}), ...(place.url ? { url: place.url } : {}) } : null;
    if (location) Object.assign(metadata, { kind: 'location', location });
    text ||= location ? readable.location(location) : (place.title ?? '[location]');
  }
  if (links.length) {
    metadata.links = links;
    metadata.kind ??= 'link';
    text ||= links.map((l) => [l.title, l.url].filter(Boolean).join(' ')).join('\n');
  }
  if (files.length) {
    const type = all.find((a) => FILE_TYPES.has(a.type))!.type;
    const kind = type === 'file' ? 'document' : type;
    metadata.kind ??= kind;
    metadata.mediaType = kind;
    text ||= `[${type}]`;
  }
  if (msg.quick_reply) Object.assign(metadata, { kind: 'reply', reply: { type: 'quick_reply', id: msg.quick_reply.payload, title: text } });
  if (msg.referral) metadata.referral = referralOf(msg.referral);
  if (msg.reply_to?.mid) metadata.replyTo = msg.reply_to.mid;
  metadata.kind ??= 'text';
  // A sticker or an attachment type not listed still arrives as something an agent can see.
  text ||= all.length ? `[${all[0].type}]` : '[empty message]';
  return message(msg.mid, text, metadata, files);
}

/** "Send to Messenger" opt-ins name the sender; checkbox-plugin ones only a user_ref, which replies go to. */
function optinEvent(m: Messaging, optin: NonNullable<Messaging['optin']>, at: string | undefined): InboundEvent[] | null {
  const address = m.sender ? m.sender.id : optin.user_ref ? `${USER_REF_PREFIX}${optin.user_ref}` : null;
  if (!address) return null;
  const ref = optin.ref ?? optin.payload;
  return [
    {
      kind: 'message',
      externalId: `optin:${address}:${m.timestamp ?? 0}`,
      contactAddress: address,
      message: { channel: 'messenger', text: `Opt-in${ref ? `: ${ref}` : ''}`, sentAt: at },
      metadata: { kind: 'optin', optin: { ...(ref ? { ref } : {}), ...(optin.user_ref ? { userRef: optin.user_ref } : {}), ...(optin.type ? { type: optin.type } : {}) } },
    },
  ];
}

function referralOf(r: z.infer<typeof referral>): Referral {
  const out: Referral = {};
  if (r.source) out.source = r.source;
  if (r.type) out.sourceType = r.type;
  if (r.ad_id) out.sourceId = r.ad_id;
  if (r.ref) out.ref = r.ref;
  if (r.referer_uri) out.sourceUrl = r.referer_uri;
  if (r.ads_context_data?.ad_title) out.headline = r.ads_context_data.ad_title;
  return out;
}
