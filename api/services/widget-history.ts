/**
 * The chat socket's `history` frame. A reconnecting client passes `since` (the id of the last
 * message it has) and gets only what came after it, in order; an id the conversation does not
 * have falls back to the full history, which the client dedupes by id.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Message } from '../../db/entities';
import { encodeCursor, listMessages } from '../../db/repos';
import type { FileLink } from './message-content';
import { messageDto } from './serialize';

/** A reconnect after a long outage still gets a bounded frame; older gaps stay in the REST transcript. */
const MAX_CATCH_UP = 1_000;

/** `fileLink` signs the links of stored files (and their thumbnails) in the messages. */
export async function historyFrame(em: EntityManager, conversationId: string, since?: string, fileLink?: FileLink) {
  if (!since) {
    const page = await listMessages(em, conversationId, { limit: 200 });
    return { type: 'history' as const, conversationId, since: null, messages: page.items.map((m) => messageDto(m, fileLink)) };
  }
  const anchor = await em.findOne(Message, { id: since, conversation: conversationId }, { fields: ['id', 'createdAt'] });
  if (!anchor) return historyFrame(em, conversationId, undefined, fileLink);
  const messages: Message[] = [];
  let cursor: string | null = encodeCursor(anchor.createdAt, anchor.id);
  while (cursor && messages.length < MAX_CATCH_UP) {
    const page = await listMessages(em, conversationId, { limit: 200, cursor });
    messages.push(...page.items);
    cursor = page.nextCursor;
  }
  return { type: 'history' as const, conversationId, since, messages: messages.map((m) => messageDto(m, fileLink)) };
}

/**
 * A live `message` frame with the stored message's content parts (files with signed links, a
 * location, delivery state), as the history frame has them: activities publish only the reply.
 */
export async function withStoredContent(em: EntityManager, conversationId: string, frame: { message: { id: string } }, fileLink: FileLink) {
  const stored = await em.findOne(Message, { id: frame.message.id, conversation: conversationId });
  return stored ? { ...frame, message: { ...frame.message, ...messageDto(stored, fileLink) } } : frame;
}

type MessageLike = { id: string; createdAt: string | Date };

/**
 * The newest message a socket has carried (history or live), so a catch-up after a gap in the
 * live feed asks only for what came after it.
 */
export function deliveredCursor() {
  let newest: { id: string; at: string } | undefined;
  const see = (m: MessageLike) => {
    const at = new Date(m.createdAt).toISOString();
    if (!newest || at > newest.at || (at === newest.at && m.id > newest.id)) newest = { id: m.id, at };
  };
  return {
    /** Notes the messages of a frame about to be sent. */
    see(frame: unknown) {
      const f = frame as { type?: string; message?: MessageLike; messages?: MessageLike[] };
      if (f.type === 'message' && f.message?.id) see(f.message);
      if (f.type === 'history') f.messages?.forEach(see);
    },
    get since() {
      return newest?.id;
    },
  };
}
