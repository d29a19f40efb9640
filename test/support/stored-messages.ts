/** What the database holds, for exactly-once checks that must not trust what a client shows. */
import type { Orm } from '../../db/orm';

export interface StoredMessageCount {
  conversationId: string;
  author: string;
  externalId: string | null;
  text: string;
  count: number;
}

/**
 * Stored messages of the given conversations (or of every conversation on `channelId`), counted
 * per conversation, author, provider id and text: a message stored twice shows as `count: 2`.
 */
export async function storedMessageCounts(orm: Orm, scope: { conversationIds: string[] } | { channelId: string }): Promise<StoredMessageCount[]> {
  const [where, params] = 'channelId' in scope
    ? ['c.channel_id = ?', [scope.channelId]]
    : [`m.conversation_id in (${scope.conversationIds.map(() => '?').join(', ')})`, scope.conversationIds];
  const rows = await orm.em.fork().getConnection().execute<{ conversation_id: string; author: string; external_id: string | null; text: string; count: string }[]>(
    `select m.conversation_id, m.author, m.external_id, m.text, count(*) as count
       from messages m join conversations c on c.id = m.conversation_id
      where ${where}
      group by m.conversation_id, m.author, m.external_id, m.text
      order by min(m.created_at)`,
    params,
  );
  return rows.map((r) => ({ conversationId: r.conversation_id, author: r.author, externalId: r.external_id, text: r.text, count: Number(r.count) }));
}

/** The counts above 1: empty when every message was stored once. */
export const duplicatedMessages = (counts: StoredMessageCount[]) => counts.filter((c) => c.count > 1);
