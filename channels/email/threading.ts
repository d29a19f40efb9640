/**
 * Email threading (RFC 5322 §3.6.4): each conversation is one thread, keyed by its root
 * Message-ID. Replies carry In-Reply-To (the contact's last message) and References (the chain),
 * so mail clients file them under the same conversation and the contact's answers come back with
 * the same root.
 */
import { createHash } from 'node:crypto';

/** What an email conversation keeps in its `thread` context. */
export interface EmailThread {
  subject?: string;
  references: string[];
  lastMessageId?: string;
}

/** Clients keep the first id and the most recent ones when a chain grows; so do we. */
const MAX_REFERENCES = 20;

/** Message-ids (`<…>`) found in a header value or list, in order, without duplicates. */
export function messageIds(value: string | string[] | undefined | null): string[] {
  const text = Array.isArray(value) ? value.join(' ') : (value ?? '');
  const ids = text.match(/<[^<>\s]+>/g) ?? [];
  return [...new Set(ids)];
}

export function capReferences(ids: string[]): string[] {
  return ids.length <= MAX_REFERENCES ? ids : [ids[0], ...ids.slice(ids.length - (MAX_REFERENCES - 1))];
}

/** The thread an inbound message belongs to: the first reference, what it answers, or itself. */
export function threadRootOf(references: string[], inReplyTo: string[], ownId: string): string {
  return references[0] ?? inReplyTo[0] ?? ownId;
}

/** The conversation's stored thread context, read defensively (it is plain JSON). */
export function emailThreadOf(thread: Record<string, unknown>): EmailThread {
  const references = Array.isArray(thread.references) ? thread.references.filter((r): r is string => typeof r === 'string') : [];
  return {
    subject: typeof thread.subject === 'string' ? thread.subject : undefined,
    references,
    lastMessageId: typeof thread.lastMessageId === 'string' ? thread.lastMessageId : undefined,
  };
}

/** `Re: <subject>`, without stacking prefixes (`Re: Re:`, `RE:`, `Aw:`…). */
export function replySubject(subject: string): string {
  const bare = subject.replace(/^(\s*(re|aw|sv|antw|fwd?)\s*(\[\d+\])?\s*:\s*)+/i, '').trim();
  return `Re: ${bare}`;
}

/**
 * Our Message-ID for an outbound email: a digest of the channel and the send's idempotency key,
 * so a retried send produces the same id (mail clients and our own dedupe see one message).
 */
export function outboundMessageId(channelId: string, idempotencyKey: string, fromAddress: string): string {
  const digest = createHash('sha256').update(`${channelId}\n${idempotencyKey}`).digest('hex').slice(0, 32);
  const domain = fromAddress.split('@')[1] ?? 'localhost';
  return `<${digest}@${domain}>`;
}
