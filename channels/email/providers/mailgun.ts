/**
 * Mailgun Routes: a route's `forward("https://…")` action posts each received mail as
 * multipart/form-data (urlencoded when it has no attachments) with `sender`, `from`, `recipient`,
 * `subject`, `body-plain`, `stripped-text`, `body-html`, `Message-Id`, `In-Reply-To`, `References`,
 * `message-headers` (JSON `[[name, value], …]`), `attachment-count`, the files `attachment-1..N`,
 * and the signature fields `timestamp`, `token`, `signature` =
 * hex HMAC-SHA256(webhook signing key, timestamp + token), as Mailgun documents. A URL ending in
 * `mime` gets `body-mime` (the whole message) instead of the parsed body; both are accepted.
 */
import { createHash, createHmac } from 'node:crypto';
import { constantTimeEqual } from '../../../core/constant-time';
import { z } from 'zod';
import { AppError } from '../../../core/errors';
import type { InboundRequest, VerifiedDelivery } from '../../types';
import { composeMime, KEPT_HEADERS, parseJson, readForm, required } from './form';

/** Mailgun's documented freshness bound: a post older than this is refused. */
export const MAILGUN_MAX_AGE_SECONDS = 300;
const PROVIDER = 'Mailgun';

export function signMailgun(signingKey: string, timestamp: string, token: string): string {
  return createHmac('sha256', signingKey).update(timestamp + token).digest('hex');
}

/**
 * Throws `unauthorized` naming what failed (no key, a missing field, a stale timestamp, a wrong
 * signature); returns the token, which Mailgun uses once, for the caller's replay check.
 */
export async function verifyMailgun(request: InboundRequest, signingKey: string | undefined, nowMs = Date.now()): Promise<VerifiedDelivery> {
  if (!signingKey) throw new AppError('unauthorized', 'the channel has no mailgunSigningKey credential to verify Mailgun posts', { field: 'mailgunSigningKey' });
  const form = await readForm(request, PROVIDER);
  const fields = { timestamp: form.field('timestamp'), token: form.field('token'), signature: form.field('signature') };
  for (const [name, value] of Object.entries(fields)) {
    if (!value) throw new AppError('unauthorized', `a Mailgun post carries ${name}`, { field: name });
  }
  const { timestamp, token, signature } = fields as Record<keyof typeof fields, string>;
  if (!/^\d{1,12}$/.test(timestamp)) throw new AppError('unauthorized', 'timestamp must be Unix seconds', { field: 'timestamp' });
  if (!constantTimeEqual(signature.trim().toLowerCase(), signMailgun(signingKey, timestamp, token))) {
    throw new AppError('unauthorized', 'the signature does not match this channel’s Mailgun signing key', { field: 'signature' });
  }
  // Checked after the MAC, so the age named in an error is one Mailgun really signed.
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > MAILGUN_MAX_AGE_SECONDS) {
    throw new AppError('unauthorized', `timestamp is more than ${MAILGUN_MAX_AGE_SECONDS / 60} minutes from now`, { field: 'timestamp' });
  }
  // Kept a little past the freshness window: after it, the timestamp check refuses the post anyway.
  return { onceToken: `mailgun:${token}`, ttlSeconds: MAILGUN_MAX_AGE_SECONDS * 2, field: 'token' };
}

const messageHeaders = z.array(z.tuple([z.string(), z.string()]));

export async function mailgunToMime(request: InboundRequest): Promise<Buffer> {
  const form = await readForm(request, PROVIDER);
  const raw = form.field('body-mime');
  if (raw !== undefined) return Buffer.from(raw, 'utf8');

  const headers = parseJson(form.field('message-headers'), messageHeaders, 'message-headers') ?? [];
  const header = (name: string) => headers.find(([n]) => n.toLowerCase() === name)?.[1];
  const from = form.field('from') ?? form.field('From') ?? required(form, 'sender', PROVIDER);
  const text = form.field('body-plain') ?? '';
  const html = form.field('body-html') ?? '';
  const subject = form.field('subject') ?? header('subject') ?? '';
  const count = Number(form.field('attachment-count') ?? '0');
  if (!Number.isInteger(count) || count < 0) throw new AppError('bad_request', 'attachment-count must be the number of attachment files', { field: 'attachment-count' });
  const attachments = [];
  for (let i = 1; i <= count; i++) {
    const file = form.file(`attachment-${i}`);
    if (!file) throw new AppError('bad_request', `attachment-count says ${count} but attachment-${i} is missing`, { field: `attachment-${i}` });
    attachments.push({ filename: file.name ?? `attachment-${i}`, content: file.data, contentType: file.contentType });
  }
  const fieldOrHeader = (field: string, name: string) => form.field(field) ?? header(name);
  const kept = Object.fromEntries(
    KEPT_HEADERS.flatMap((n) => {
      const value = n === 'in-reply-to' ? fieldOrHeader('In-Reply-To', n) : n === 'references' ? fieldOrHeader('References', n) : header(n);
      return value ? [[n, value]] : [];
    }),
  );
  const messageId = fieldOrHeader('Message-Id', 'message-id') ?? `<${createHash('sha256').update(from).update(subject).update(text).digest('hex').slice(0, 32)}@inbound.mailgun.invalid>`;
  return composeMime({
    from,
    to: header('to') ?? form.field('To') ?? form.field('recipient') ?? '',
    ...(header('cc') ? { cc: header('cc') } : {}),
    subject,
    messageId,
    ...(header('date') ? { date: header('date') } : {}),
    headers: kept,
    ...(text ? { text } : {}),
    ...(html ? { html } : {}),
    attachments,
  });
}
