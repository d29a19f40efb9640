/**
 * Raw MIME (`message/rfc822`) → an inbound message event: the visible reply text (quoted history
 * and "On … wrote:" blocks stripped, so the flow sees what the contact actually wrote), the HTML,
 * attachments as bytes, and the thread it belongs to.
 */
import { createHash } from 'node:crypto';
import EmailReplyParser from 'email-reply-parser';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { AppError } from '../../core/errors';
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
      thread: { ...thread },
      message: {
        channel: 'email',
        externalId: ownId,
        text: visibleText(mail.text ?? ''),
        ...(mail.date ? { sentAt: mail.date.toISOString() } : {}),
        contact: { email: address, externalId: address, ...(from.name ? { name: from.name } : {}) },
        ...(attachments.length ? { attachments } : {}),
      },
      metadata: {
        subject: mail.subject ?? '',
        messageId: ownId,
        to: addresses(mail.to),
        ...(mail.cc ? { cc: addresses(mail.cc) } : {}),
        // The HTML is kept for the inbox, unless it is too large for a message row.
        ...(mail.html && mail.html.length <= MAX_STORED_HTML ? { html: mail.html } : {}),
      },
    },
  ];
}

function firstAddress(field: AddressObject | AddressObject[] | undefined) {
  const list = Array.isArray(field) ? field : field ? [field] : [];
  return list.flatMap((f) => f.value).find((v) => v.address);
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(field) ? field : field ? [field] : [];
  return list.flatMap((f) => f.value).flatMap((v) => (v.address ? [v.address.toLowerCase()] : []));
}
