/** Conversation messages. `em` must be tenant-scoped (tenantEm). */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Author, OutboundMessage, Reply } from '../../core/messages';
import { AppError } from '../../core/errors';
import { Message } from '../entities';
import { keysetAfter, pageLimit, toPage, type Page } from './cursor';

export interface NewMessage {
  conversationId: string;
  direction: 'in' | 'out';
  author: Author;
  text: string;
  idempotencyKey: string;
  nodeId?: string;
  source?: string;
  externalId?: string;
  usage?: OutboundMessage['usage'];
  citations?: OutboundMessage['citations'];
  metadata?: Record<string, unknown>;
}

/**
 * Inserts once per idempotency key and returns the stored row, whether this call or an earlier
 * attempt wrote it. Also bumps the conversation's lastMessageAt.
 */
export async function insertMessageOnce(em: EntityManager, tenantId: string, m: NewMessage): Promise<{ message: Message; created: boolean }> {
  const now = new Date();
  const inserted = await em
    .createQueryBuilder(Message)
    .insert({
      tenant: tenantId,
      conversation: m.conversationId,
      direction: m.direction,
      author: m.author,
      text: m.text,
      idempotencyKey: m.idempotencyKey,
      nodeId: m.nodeId ?? null,
      source: m.source ?? null,
      externalId: m.externalId ?? null,
      promptTokens: m.usage?.promptTokens ?? 0,
      completionTokens: m.usage?.completionTokens ?? 0,
      costUsd: m.usage?.costUsd ?? 0,
      model: m.usage?.model ?? null,
      citations: m.citations ?? null,
      metadata: m.metadata ?? {},
      createdAt: now,
    })
    .onConflict('idempotencyKey')
    .ignore()
    .execute('run');
  const created = (inserted.affectedRows ?? 0) > 0;
  const message = await em.findOne(Message, { idempotencyKey: m.idempotencyKey }, { refresh: true });
  // The key exists but the tenant filter hides it: another tenant's row, never return or overwrite it.
  if (!message) throw new AppError('conflict', 'idempotency key already used');
  if (created) await em.getConnection().execute('update conversations set last_message_at = ? where id = ? and tenant_id = ?', [now, m.conversationId, tenantId]);
  return { message, created };
}

/** The API / workflow view of a stored outbound message. */
export function toReply(m: Message): Reply {
  return {
    id: m.id,
    key: m.idempotencyKey,
    text: m.text,
    author: m.author as Reply['author'],
    createdAt: m.createdAt.toISOString(),
    ...(m.nodeId ? { nodeId: m.nodeId } : {}),
    ...(m.source ? { source: m.source } : {}),
    ...(m.model || m.promptTokens || m.completionTokens
      ? { usage: { promptTokens: m.promptTokens, completionTokens: m.completionTokens, costUsd: Number(m.costUsd), ...(m.model ? { model: m.model } : {}) } }
      : {}),
    ...(m.citations ? { citations: m.citations } : {}),
  };
}

/** Chronological; keyset pagination on (createdAt, id). */
export async function listMessages(em: EntityManager, conversationId: string, opts: { limit?: number; cursor?: string } = {}): Promise<Page<Message>> {
  const limit = pageLimit(opts.limit);
  const where = { conversation: conversationId, ...keysetAfter(opts.cursor, 'createdAt', 'asc') };
  const rows = await em.find(Message, where, { orderBy: { createdAt: 'asc', id: 'asc' }, limit: limit + 1 });
  return toPage(rows, limit, (m) => m.createdAt);
}
