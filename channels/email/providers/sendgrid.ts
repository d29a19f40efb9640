/**
 * SendGrid Inbound Parse: SendGrid posts each received mail as multipart/form-data to the parse
 * URL, either parsed (`headers` — the raw header block —, `text`, `html`, `from`, `to`, `cc`,
 * `subject`, `envelope`, `charsets`, `attachments` — a count —, `attachment-info` and the files
 * `attachment1..N`) or, with "POST the raw, full MIME message" ticked, as `email` holding the whole
 * message. The parse webhook is not signed; SendGrid documents basic auth in the parse URL as its
 * protection (`https://user:password@host/…`), so that is what is checked. The parsed form is
 * rebuilt into RFC 822 so it takes the same path as raw MIME.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../../core/errors';
import type { InboundRequest } from '../../types';
import { composeMime, headerBlock, KEPT_HEADERS, parseJson, readForm, required } from './form';

/** The user name in the parse URL; the password is the channel's inboundSigningSecret. */
export const SENDGRID_USER = 'sendgrid';

const attachmentInfo = z.record(z.string(), z.object({ filename: z.string().optional(), name: z.string().optional(), type: z.string().optional() }));

export async function sendgridToMime(request: InboundRequest): Promise<Buffer> {
  const form = await readForm(request, 'SendGrid Inbound Parse');
  // "Send raw": the message itself, untouched.
  const raw = form.field('email');
  if (raw !== undefined) return Buffer.from(raw, 'utf8');

  const headersText = form.field('headers') ?? '';
  const header = headerBlock(headersText);
  const from = required(form, 'from', 'SendGrid');
  const text = form.field('text') ?? '';
  const html = form.field('html') ?? '';
  const subject = form.field('subject') ?? header('subject') ?? '';
  const info = parseJson(form.field('attachment-info'), attachmentInfo, 'attachment-info') ?? {};
  const count = Number(form.field('attachments') ?? '0');
  if (!Number.isInteger(count) || count < 0) throw new AppError('bad_request', 'attachments must be the number of attachment files', { field: 'attachments' });
  const attachments = [];
  for (let i = 1; i <= count; i++) {
    const file = form.file(`attachment${i}`);
    if (!file) throw new AppError('bad_request', `attachments says ${count} but attachment${i} is missing`, { field: `attachment${i}` });
    const meta = info[`attachment${i}`] ?? {};
    attachments.push({ filename: meta.filename ?? file.name ?? `attachment${i}`, content: file.data, contentType: meta.type ?? file.contentType });
  }
  const kept = Object.fromEntries(KEPT_HEADERS.flatMap((n) => (header(n) ? [[n, header(n)!]] : [])));
  // Without the sender's Message-ID, one derived from the post keeps a redelivery recognisable.
  const derivedId = `<${createHash('sha256').update(headersText).update(from).update(subject).update(text).digest('hex').slice(0, 32)}@inbound.sendgrid.invalid>`;
  return composeMime({
    from,
    to: form.field('to') ?? header('to') ?? '',
    ...(form.field('cc') ? { cc: form.field('cc') } : {}),
    subject,
    messageId: header('message-id') ?? derivedId,
    ...(header('date') ? { date: header('date') } : {}),
    headers: kept,
    ...(text ? { text } : {}),
    ...(html ? { html } : {}),
    attachments,
  });
}
