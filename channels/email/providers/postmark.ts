/**
 * Postmark Inbound: Postmark posts each received mail as JSON (`From`, `FromFull`, `To`, `ToFull`,
 * `Subject`, `MessageID`, `TextBody`, `HtmlBody`, `StrippedTextReply`, `Headers`, `Attachments` with
 * base64 `Content`) to the webhook URL, authenticated by the basic auth written into that URL
 * (`https://user:password@host/…`), as Postmark documents. The JSON is rebuilt into an RFC 822
 * message so it takes the same path as raw MIME: threading, quote stripping, attachments, the
 * empty-body rule and the auto-reply filter all apply unchanged.
 */
import { constantTimeEqual } from '../../../core/constant-time';
import { z } from 'zod';
import { AppError } from '../../../core/errors';
import type { InboundRequest } from '../../types';
import { headerOf } from '../../wire';
import { composeMime, KEPT_HEADERS } from './form';

/** The user name in the URL pasted into Postmark; the password is the channel's inboundSigningSecret. */
export const POSTMARK_USER = 'postmark';

/** Throws `unauthorized` naming what failed: no basic auth, another user, or another password. */
export function verifyBasicAuth(request: InboundRequest, user: string, password: string): void {
  const header = headerOf(request, 'authorization') ?? '';
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header.trim());
  if (!match) throw new AppError('unauthorized', 'the webhook URL must carry basic auth (https://user:password@…)', { field: 'authorization' });
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const given = { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  if (colon < 0 || given.user !== user) throw new AppError('unauthorized', `the basic-auth user must be ${user}`, { field: 'authorization' });
  if (!constantTimeEqual(given.password, password)) throw new AppError('unauthorized', 'the basic-auth password does not match this channel', { field: 'authorization' });
}

const address = z.object({ Email: z.string(), Name: z.string().optional() });
const postmarkInbound = z.object({
  FromFull: address,
  ToFull: z.array(address).default([]),
  CcFull: z.array(address).default([]),
  Subject: z.string().default(''),
  MessageID: z.string().min(1),
  Date: z.string().optional(),
  TextBody: z.string().default(''),
  HtmlBody: z.string().default(''),
  Headers: z.array(z.object({ Name: z.string(), Value: z.string() })).default([]),
  Attachments: z.array(z.object({ Name: z.string(), Content: z.string(), ContentType: z.string() })).default([]),
});


export function postmarkToMime(body: Buffer): Promise<Buffer> {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw new AppError('bad_request', 'a Postmark inbound post is JSON', { field: 'body' });
  }
  const parsed = postmarkInbound.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('bad_request', `Postmark inbound JSON: ${issue.message}`, { field: issue.path.join('.') || 'body' });
  }
  const mail = parsed.data;
  const header = (name: string) => mail.Headers.find((h) => h.Name.toLowerCase() === name)?.Value;
  const person = (a: z.infer<typeof address>) => (a.Name ? { name: a.Name, address: a.Email } : a.Email);
  const kept = Object.fromEntries(KEPT_HEADERS.filter((n) => header(n)).map((n) => [n, header(n)!]));
  return composeMime({
    from: person(mail.FromFull),
    to: mail.ToFull.map(person),
    ...(mail.CcFull.length ? { cc: mail.CcFull.map(person) } : {}),
    subject: mail.Subject,
    // The sender's Message-ID threads replies; Postmark's own id stands in when it is missing.
    messageId: header('message-id') ?? `<${mail.MessageID}@inbound.postmarkapp.com>`,
    ...(mail.Date ? { date: mail.Date } : {}),
    headers: kept,
    ...(mail.TextBody ? { text: mail.TextBody } : {}),
    ...(mail.HtmlBody ? { html: mail.HtmlBody } : {}),
    attachments: mail.Attachments.map((a) => ({ filename: a.Name, content: Buffer.from(a.Content, 'base64'), contentType: a.ContentType })),
  });
}
