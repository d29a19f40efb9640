/**
 * WhatsApp Cloud API webhooks → InboundEvents: text, media (a media id to resolve later), location,
 * interactive button / list replies, template quick-reply buttons, and delivery statuses.
 * Changes for another phone number of the same app are skipped.
 */
import { z } from 'zod';
import { isoFromUnix } from '../meta/common';
import { parsePayload } from '../meta/payload';
import type { InboundAttachment, InboundEvent } from '../types';

const media = z.object({ id: z.string().min(1), mime_type: z.string().optional(), caption: z.string().optional(), filename: z.string().optional() });

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
  location: z.object({ latitude: z.number(), longitude: z.number(), name: z.string().optional(), address: z.string().optional() }).optional(),
  interactive: z
    .object({
      type: z.string(),
      button_reply: z.object({ id: z.string(), title: z.string() }).optional(),
      list_reply: z.object({ id: z.string(), title: z.string(), description: z.string().optional() }).optional(),
    })
    .optional(),
  button: z.object({ payload: z.string().optional(), text: z.string() }).optional(),
});

const status = z.object({
  id: z.string().min(1),
  status: z.string(),
  timestamp: z.string().optional(),
  recipient_id: z.string().optional(),
  errors: z.array(z.object({ code: z.number().optional(), title: z.string().optional(), message: z.string().optional() })).optional(),
});

const change = z.object({
  field: z.string(),
  value: z
    .object({
      metadata: z.object({ phone_number_id: z.string() }).optional(),
      contacts: z.array(z.object({ wa_id: z.string(), profile: z.object({ name: z.string().optional() }).optional() })).optional(),
      messages: z.array(message).optional(),
      statuses: z.array(status).optional(),
    })
    .passthrough(),
});

const envelope = z.object({
  object: z.literal('whatsapp_business_account', { message: 'object must be "whatsapp_business_account"' }),
  entry: z.array(z.object({ id: z.string().optional(), changes: z.array(change) })).min(1, 'entry must not be empty'),
});

type WaMessage = z.infer<typeof message>;

const MEDIA_TYPES = ['image', 'audio', 'video', 'document', 'sticker'] as const;
const STATUSES = new Set(['sent', 'delivered', 'read', 'failed']);

export function parseWhatsAppWebhook(body: unknown, phoneNumberId: string): InboundEvent[] {
  const payload = parsePayload(envelope, body);
  const events: InboundEvent[] = [];
  for (const entry of payload.entry) {
    for (const { field, value } of entry.changes) {
      if (field !== 'messages') continue;
      if (value.metadata && value.metadata.phone_number_id !== phoneNumberId) continue;
      const names = new Map((value.contacts ?? []).map((c) => [c.wa_id, c.profile?.name]));
      for (const m of value.messages ?? []) {
        const event = messageEvent(m, names.get(m.from));
        if (event) events.push(event);
      }
      for (const s of value.statuses ?? []) {
        if (!STATUSES.has(s.status)) continue;
        const error = s.errors?.map((e) => [e.code, e.title ?? e.message].filter(Boolean).join(' ')).join('; ');
        events.push({ kind: 'status', externalId: s.id, status: s.status as 'sent', ...(error ? { error } : {}), at: isoFromUnix(s.timestamp) });
      }
    }
  }
  return events;
}

function messageEvent(m: WaMessage, contactName?: string): InboundEvent | null {
  const content = messageContent(m);
  if (!content) return null;
  return {
    kind: 'message',
    externalId: m.id,
    contactAddress: `+${m.from.replace(/^\+/, '')}`,
    ...(contactName ? { contactName } : {}),
    message: { channel: 'whatsapp', text: content.text, sentAt: isoFromUnix(m.timestamp), ...(content.attachments ? { attachments: content.attachments } : {}) },
    ...(content.metadata ? { metadata: content.metadata } : {}),
  };
}

function messageContent(m: WaMessage): { text: string; attachments?: InboundAttachment[]; metadata?: Record<string, unknown> } | null {
  if (m.type === 'text' && m.text) return { text: m.text.body };
  const mediaType = MEDIA_TYPES.find((t) => t === m.type);
  const file = mediaType ? m[mediaType] : undefined;
  if (mediaType && file) {
    return {
      text: file.caption ?? `[${mediaType}]`,
      attachments: [{ kind: 'remote', ref: file.id, ...(file.mime_type ? { contentType: file.mime_type } : {}), ...(file.filename ? { name: file.filename } : {}) }],
      metadata: { mediaType },
    };
  }
  if (m.type === 'location' && m.location) {
    const { latitude, longitude, name, address } = m.location;
    const label = [name, address].filter(Boolean).join(', ');
    return { text: `${label ? `${label} ` : ''}(${latitude}, ${longitude})`, metadata: { location: m.location } };
  }
  if (m.type === 'interactive' && m.interactive) {
    const reply = m.interactive.button_reply ?? m.interactive.list_reply;
    if (!reply) return null;
    return { text: reply.title, metadata: { reply: { type: m.interactive.type, id: reply.id, title: reply.title } } };
  }
  if (m.type === 'button' && m.button) return { text: m.button.text, metadata: { reply: { type: 'template_button', id: m.button.payload ?? m.button.text, title: m.button.text } } };
  return null;
}
