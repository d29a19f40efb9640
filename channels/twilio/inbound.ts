/**
 * Twilio Messaging webhooks → InboundEvents: SMS, MMS (an empty Body is fine: the media is the
 * message), WhatsApp-over-Twilio extras (shared locations, quick-reply buttons, click-to-WhatsApp
 * `Referral*` fields) and delivery status callbacks. Bodies are form posts (Twilio's default) or
 * JSON objects with the same field names (JSON-body webhooks, signed through `bodySHA256`).
 */
import { AppError } from '../../core/errors';
import { kindOfMedia, readable, type MessageKind, type Referral } from '../../core/message-content';
import type { InboundAttachment, InboundEvent, InboundRequest } from '../types';
import { mediaTypeOf } from '../wire';
import { formValue, parseForm, type FormParams } from './signature';

const MAX_MEDIA = 10;
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

/** Twilio's delivery statuses that the platform records; queued/accepted/sending are not news. */
const STATUS_MAP: Record<string, 'sent' | 'delivered' | 'read' | 'failed'> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  undelivered: 'failed',
  failed: 'failed',
  canceled: 'failed',
};

/** Delivery error codes worth naming to whoever reads the failed message. */
const DELIVERY_ERRORS: Record<string, string> = {
  '21610': 'the recipient has unsubscribed (replied STOP)',
  '30003': 'unreachable destination handset',
  '30004': 'message blocked',
  '30005': 'unknown destination handset',
  '30006': 'landline or unreachable carrier',
  '30007': 'filtered by the carrier',
  '30008': 'unknown error',
};

export function parseTwilioWebhook(request: InboundRequest): InboundEvent[] {
  const params = inboundParams(request);
  const sid = formValue(params, 'MessageSid') ?? formValue(params, 'SmsSid');
  if (!sid) throw badRequest('MessageSid', 'MessageSid is missing');
  const status = formValue(params, 'MessageStatus');
  if (status && status !== 'received') return statusEvents(sid, status, params);
  return [messageEvent(sid, params)];
}

function inboundParams(request: InboundRequest): FormParams {
  const type = mediaTypeOf(request);
  if (type === FORM) return parseForm(request.rawBody);
  if (type !== JSON_TYPE) throw badRequest('content-type', `Twilio webhooks are ${FORM} (or ${JSON_TYPE})`);
  let body: unknown;
  try {
    body = JSON.parse(request.rawBody.toString('utf8'));
  } catch {
    throw badRequest('body', 'body is not valid JSON');
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('body', 'body must be a JSON object');
  const params: FormParams = {};
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') params[name] = String(value);
  }
  return params;
}

function messageEvent(sid: string, params: FormParams): InboundEvent {
  const from = formValue(params, 'From')?.trim();
  if (!from) throw badRequest('From', 'From is missing');
  const body = formValue(params, 'Body');
  const attachments = mediaOf(params);
  const content = contentOf(body, attachments, params);
  if (!content) throw badRequest('Body', 'Body is missing (and the message has no media)');
  const optOut = formValue(params, 'OptOutType');
  const referral = referralOf(params);
  return {
    kind: 'message',
    externalId: sid,
    contactAddress: from,
    message: {
      channel: 'sms',
      externalId: sid,
      text: content.text,
      contact: { phone: from, externalId: from },
      ...(attachments.length ? { attachments } : {}),
    },
    metadata: { kind: content.kind, to: formValue(params, 'To'), ...content.metadata, ...(optOut ? { optOutType: optOut } : {}), ...(referral ? { referral } : {}) },
  };
}

/** The text and kind: the Body, else what the message carries (a location, a button, its media). */
function contentOf(body: string | undefined, attachments: InboundAttachment[], params: FormParams): { text: string; kind: MessageKind; metadata?: Record<string, unknown> } | null {
  const lat = Number(formValue(params, 'Latitude'));
  const long = Number(formValue(params, 'Longitude'));
  if (formValue(params, 'Latitude') && Number.isFinite(lat) && Number.isFinite(long)) {
    const label = formValue(params, 'Label');
    const address = formValue(params, 'Address');
    const location = { latitude: lat, longitude: long, ...(label ? { name: label } : {}), ...(address ? { address } : {}) };
    return { text: body || readable.location(location), kind: 'location', metadata: { location } };
  }
  const button = formValue(params, 'ButtonText');
  if (button) return { text: body || button, kind: 'reply', metadata: { reply: { type: 'button', id: formValue(params, 'ButtonPayload') ?? button, title: button } } };
  if (attachments.length) {
    const kind = kindOfMedia(attachments[0].contentType);
    return { text: body || `[${kind}]`, kind, metadata: { mediaType: kind } };
  }
  return body !== undefined ? { text: body, kind: 'text' } : null;
}

/** Click-to-WhatsApp ads through Twilio: the `Referral*` fields. */
function referralOf(params: FormParams): Referral | null {
  const fields: [keyof Referral, string][] = [
    ['sourceId', 'ReferralSourceId'],
    ['sourceType', 'ReferralSourceType'],
    ['sourceUrl', 'ReferralSourceUrl'],
    ['headline', 'ReferralHeadline'],
    ['body', 'ReferralBody'],
    ['clickId', 'ReferralCtwaClid'],
  ];
  const out: Referral = {};
  for (const [key, name] of fields) {
    const value = formValue(params, name);
    if (value) out[key] = value;
  }
  return Object.keys(out).length ? { source: 'ad', ...out } : null;
}

function mediaOf(params: FormParams): InboundAttachment[] {
  const raw = formValue(params, 'NumMedia') ?? '0';
  const count = Number(raw);
  if (!/^\d+$/.test(raw) || count > MAX_MEDIA) throw badRequest('NumMedia', `NumMedia must be a whole number from 0 to ${MAX_MEDIA}`);
  const media: InboundAttachment[] = [];
  for (let i = 0; i < count; i++) {
    const url = formValue(params, `MediaUrl${i}`);
    if (!url || !/^https?:\/\//.test(url)) throw badRequest(`MediaUrl${i}`, `MediaUrl${i} is missing or not a URL`);
    media.push({ kind: 'remote', ref: url, contentType: formValue(params, `MediaContentType${i}`) });
  }
  return media;
}

function statusEvents(sid: string, twilioStatus: string, params: FormParams): InboundEvent[] {
  const status = STATUS_MAP[twilioStatus];
  if (!status) return [];
  const code = formValue(params, 'ErrorCode');
  const detail = formValue(params, 'ErrorMessage') ?? (code ? DELIVERY_ERRORS[code] : undefined);
  const error = status === 'failed' ? [code && `Twilio error ${code}`, detail ?? twilioStatus].filter(Boolean).join(': ') : undefined;
  return [{ kind: 'status', externalId: sid, status, ...(error ? { error } : {}) }];
}

function badRequest(field: string, message: string): AppError {
  return new AppError('bad_request', message, { field });
}
