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
 * One statement, because every turn stores two messages: insert unless the key exists, bump the
 * conversation's lastMessageAt when it was new, and return the stored row either way (this call's
 * or an earlier attempt's). The explicit `tenant_id` conditions stand in for the tenant filter,
 * which raw SQL bypasses.
 */
const INSERT_ONCE = `
with ins as (
  insert into messages (tenant_id, conversation_id, direction, author, text, idempotency_key, node_id, source, external_id,
                        prompt_tokens, completion_tokens, cost_usd, model, citations, metadata, created_at)
  values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  on conflict (idempotency_key) do nothing
  returning *
), bump as (
  update conversations set last_message_at = ? where id = ? and tenant_id = ? and exists (select 1 from ins)
)
select ins.*, true as created from ins
union all
select m.*, false as created from messages m where m.idempotency_key = ? and m.tenant_id = ? and not exists (select 1 from ins)`;

export async function insertMessageOnce(em: EntityManager, tenantId: string, m: NewMessage): Promise<{ message: Message; created: boolean }> {
  const now = new Date();
  const rows = await em.getConnection().execute<(Record<string, unknown> & { created: boolean })[]>(INSERT_ONCE, [
    tenantId,
    m.conversationId,
    m.direction,
    m.author,
    m.text,
    m.idempotencyKey,
    m.nodeId ?? null,
    m.source ?? null,
    m.externalId ?? null,
    m.usage?.promptTokens ?? 0,
    m.usage?.completionTokens ?? 0,
    m.usage?.costUsd ?? 0,
    m.usage?.model ?? null,
    m.citations ? JSON.stringify(m.citations) : null,
    JSON.stringify(m.metadata ?? {}),
    now,
    now,
    m.conversationId,
    tenantId,
    m.idempotencyKey,
    tenantId,
  ]);
  // The key exists but belongs to another tenant: never return or overwrite it.
  if (rows.length === 0) throw new AppError('conflict', 'idempotency key already used');
  const { created, ...row } = rows[0];
  return { message: em.map(Message, row), created };
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
    ...(typeof m.metadata?.agentName === 'string' ? { agentName: m.metadata.agentName } : {}),
  };
}

/** Chronological; keyset pagination on (createdAt, id). */
export async function listMessages(em: EntityManager, conversationId: string, opts: { limit?: number; cursor?: string } = {}): Promise<Page<Message>> {
  const limit = pageLimit(opts.limit);
  const where = { conversation: conversationId, ...keysetAfter(opts.cursor, 'createdAt', 'asc') };
  const rows = await em.find(Message, where, { orderBy: { createdAt: 'asc', id: 'asc' }, limit: limit + 1 });
  return toPage(rows, limit, (m) => m.createdAt);
}
