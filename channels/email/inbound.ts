/**
 * Raw MIME (`message/rfc822`) → an inbound message event: the visible reply text (quoted history
 * and "On … wrote:" blocks stripped, so the flow sees what the contact actually wrote), the HTML,
 * attachments as bytes, and the thread it belongs to.
 */
import { createHash } from 'node:crypto';
import EmailReplyParser from 'email-reply-parser';
import type { AddressObject, ParsedMail } from 'mailparser';
import { AppError } from '../../core/errors';
import { kindOfMedia, type MessageKind } from '../../core/message-content';
import type { InboundAttachment, InboundEvent } from '../types';
import { capReferences, messageIds, threadRootOf, type EmailThread } from './threading';

const MAX_STORED_HTML = 100_000;

/** A parsed message's plain text, without what the contact quoted. */
export function visibleText(text: string): string {
  const reply = new EmailReplyParser().parseReply(text).trim();
  // A message that is nothing but a quote (a bare forward) keeps its text rather than arriving empty.
  return reply || text.trim();
}

/**
 * Mail the bot must not answer: auto-replies, bounces and list traffic (RFC 3834), which would
 * otherwise start an endless exchange with another robot.
 */
function isAutomatic(mail: ParsedMail): boolean {
  const autoSubmitted = String(mail.headers.get('auto-submitted') ?? 'no').toLowerCase();
  const precedence = String(mail.headers.get('precedence') ?? '').toLowerCase();
  return autoSubmitted !== 'no' || ['bulk', 'junk', 'list', 'auto_reply'].includes(precedence);
}

export async function parseInboundEmail(raw: Buffer): Promise<InboundEvent[]> {
  if (raw.length === 0) throw new AppError('bad_request', 'the body is empty: post the raw message (message/rfc822)', { field: 'body' });
  // Loaded on the first inbound email: half a second of every worker and API start otherwise.
  const { simpleParser } = await import('mailparser');
  let mail: ParsedMail;
  try {
    mail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
  } catch (err) {
    throw new AppError('bad_request', `the message is not valid MIME: ${(err as Error).message}`, { field: 'body' });
  }
  const from = firstAddress(mail.from);
  if (!from?.address) throw new AppError('bad_request', 'the message has no From address', { field: 'from' });
  if (isAutomatic(mail)) return [];

  // A message without a Message-ID (rare, but legal) gets one derived from its bytes, so a
  // repeated post of it is still recognised as the same message.
  const ownId = messageIds(mail.messageId)[0] ?? `<${createHash('sha256').update(raw).digest('hex').slice(0, 32)}@inbound.invalid>`;
  const references = messageIds(mail.references);
  const inReplyTo = messageIds(mail.inReplyTo);
  const address = from.address.toLowerCase();
  const thread: EmailThread = {
    subject: mail.subject ?? '',
    references: capReferences(messageIds([...references, ...inReplyTo, ownId])),
    lastMessageId: ownId,
  };
  const attachments: InboundAttachment[] = mail.attachments.map((a) => ({
    kind: 'inline',
    data: a.content,
    contentType: a.contentType || 'application/octet-stream',
    ...(a.filename ? { name: a.filename } : {}),
  }));

  return [
    {
      kind: 'message',
      externalId: ownId,
      contactAddress: address,
      ...(from.name ? { contactName: from.name } : {}),
      threadKey: threadRootOf(references, inReplyTo, ownId),
      ...(inReplyTo.length || references.length ? { repliesTo: [...new Set([...inReplyTo, ...[...references].reverse()])] } : {}),
      thread: { ...thread },
      message: {
        channel: 'email',
        externalId: ownId,
        text: textOf(visibleText(mail.text ?? ''), mail.subject ?? '', attachments),
        ...(mail.date ? { sentAt: mail.date.toISOString() } : {}),
        contact: { email: address, externalId: address, ...(from.name ? { name: from.name } : {}) },
        ...(attachments.length ? { attachments } : {}),
      },
      metadata: {
        kind: kindOf(mail.text ?? '', attachments),
        subject: mail.subject ?? '',
        messageId: ownId,
        ...(inReplyTo.length ? { inReplyTo: inReplyTo[0] } : {}),
        ...(references.length ? { references: capReferences(references) } : {}),
        to: addresses(mail.to),
        ...(mail.cc ? { cc: addresses(mail.cc) } : {}),
        // The HTML is kept for the inbox, unless it is too large for a message row.
        ...(mail.html && mail.html.length <= MAX_STORED_HTML ? { html: mail.html } : {}),
      },
    },
  ];
}

/**
 * A message with no body still reaches the flow: its subject is the text, else the names of its
 * attachments (the workflow drops an empty text, and with it the bot's turn).
 */
function textOf(body: string, subject: string, attachments: InboundAttachment[]): string {
  if (body.trim()) return body;
  if (subject.trim()) return subject.trim();
  if (attachments.length) return `[attachment: ${attachments.map((a) => a.name ?? a.contentType).join(', ')}]`;
  return '[empty message]';
}

/** `text` when the contact wrote something; otherwise what the first attachment is. */
function kindOf(body: string, attachments: InboundAttachment[]): MessageKind {
  if (body.trim() || !attachments.length) return 'text';
  return kindOfMedia(attachments[0].contentType);
}

function firstAddress(field: AddressObject | AddressObject[] | undefined) {
  const list = Array.isArray(field) ? field : field ? [field] : [];
  return list.flatMap((f) => f.value).find((v) => v.address);
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(field) ? field : field ? [field] : [];
  return list.flatMap((f) => f.value).flatMap((v) => (v.address ? [v.address.toLowerCase()] : []));
}
