/**
 * Messenger Platform webhooks → InboundEvents: text, attachments, quick replies, postbacks, and
 * delivery / read receipts. A `read` carries a watermark, not message ids: it becomes a status
 * event with externalId `watermark:{psid}` and `at` = the watermark (see inbound processing).
 */
import { z } from 'zod';
import { isoFromUnix } from '../meta/common';
import { parsePayload } from '../meta/payload';
import type { InboundAttachment, InboundEvent } from '../types';

export const WATERMARK_PREFIX = 'watermark:';

const attachment = z.object({ type: z.string(), payload: z.object({ url: z.string().optional() }).passthrough().nullish() });

const messaging = z.object({
  sender: z.object({ id: z.string().min(1) }),
  recipient: z.object({ id: z.string().min(1) }),
  timestamp: z.number().optional(),
  message: z
    .object({
      mid: z.string().min(1),
      text: z.string().optional(),
      is_echo: z.boolean().optional(),
      quick_reply: z.object({ payload: z.string() }).optional(),
      attachments: z.array(attachment).optional(),
    })
    .optional(),
  postback: z.object({ mid: z.string().optional(), title: z.string().optional(), payload: z.string() }).optional(),
  delivery: z.object({ mids: z.array(z.string()).optional(), watermark: z.number() }).optional(),
  read: z.object({ watermark: z.number() }).optional(),
});

const envelope = z.object({
  object: z.literal('page', { message: 'object must be "page"' }),
  entry: z.array(z.object({ id: z.string(), messaging: z.array(messaging).optional() })).min(1, 'entry must not be empty'),
});

type Messaging = z.infer<typeof messaging>;

const FILE_TYPES = new Set(['image', 'audio', 'video', 'file']);

export function parseMessengerWebhook(body: unknown, pageId: string): InboundEvent[] {
  const payload = parsePayload(envelope, body);
  const events: InboundEvent[] = [];
  for (const entry of payload.entry) {
    if (entry.id !== pageId) continue;
    for (const m of entry.messaging ?? []) events.push(...messagingEvents(m));
  }
  return events;
}

function messagingEvents(m: Messaging): InboundEvent[] {
  const psid = m.sender.id;
  const at = isoFromUnix(m.timestamp);
  if (m.message && !m.message.is_echo) {
    const attachments: InboundAttachment[] = (m.message.attachments ?? [])
      .filter((a) => FILE_TYPES.has(a.type) && a.payload?.url)
      .map((a) => ({ kind: 'remote', ref: a.payload!.url! }));
    const text = m.message.text ?? (attachments.length ? `[${m.message.attachments![0].type}]` : '');
    if (!text) return [];
    const metadata: Record<string, unknown> = {};
    if (m.message.quick_reply) metadata.reply = { type: 'quick_reply', id: m.message.quick_reply.payload, title: text };
    return [
      {
        kind: 'message',
        externalId: m.message.mid,
        contactAddress: psid,
        message: { channel: 'messenger', text, sentAt: at, ...(attachments.length ? { attachments } : {}) },
        ...(Object.keys(metadata).length ? { metadata } : {}),
      },
    ];
  }
  if (m.postback) {
    const title = m.postback.title ?? m.postback.payload;
    return [
      {
        kind: 'message',
        // Older postbacks have no mid: the sender and timestamp name the tap.
        externalId: m.postback.mid ?? `postback:${psid}:${m.timestamp ?? 0}`,
        contactAddress: psid,
        message: { channel: 'messenger', text: title, sentAt: at },
        metadata: { postback: { payload: m.postback.payload, title } },
      },
    ];
  }
  if (m.delivery) return (m.delivery.mids ?? []).map((mid) => ({ kind: 'status', externalId: mid, status: 'delivered', at: isoFromUnix(m.delivery!.watermark) }));
  if (m.read) return [{ kind: 'status', externalId: `${WATERMARK_PREFIX}${psid}`, status: 'read', at: isoFromUnix(m.read.watermark) }];
  return [];
}
