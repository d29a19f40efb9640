/**
 * The marketing assistant's rows: the tenant's assistant flow (kind `assistant`, one per tenant,
 * out of the flow list) and each console user's conversation with it. Raw SQL names `tenant_id`.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ValidGraph } from '../../core/graph/schema';
import { Flow, Message } from '../entities';

/** The tenant's assistant flow, created on first use (two first uses at once make one). */
export async function assistantFlowId(em: EntityManager, tenantId: string, name: string, graph: ValidGraph): Promise<string> {
  const conn = em.getConnection();
  await conn.execute(
    `insert into flows (id, tenant_id, name, description, draft, kind, created_at, updated_at)
     values (gen_random_uuid(), ?, ?, 'The console’s marketing assistant', ?::jsonb, 'assistant', now(), now())
     on conflict (tenant_id) where kind = 'assistant' do nothing`,
    [tenantId, name, JSON.stringify(graph)],
  );
  const [row] = await conn.execute<{ id: string }[]>(`select id from flows where tenant_id = ? and kind = 'assistant'`, [tenantId]);
  return row!.id;
}

export async function isAssistantFlow(em: EntityManager, flowId: string): Promise<boolean> {
  return (await em.findOne(Flow, { id: flowId, kind: 'assistant' }, { fields: ['id'] })) !== null;
}

/** The user's assistant conversation, if they have one (a conversation erased since is gone with it). */
export async function assistantConversationId(em: EntityManager, tenantId: string, userKey: string): Promise<string | null> {
  const [row] = await em.getConnection().execute<{ conversation_id: string }[]>(`select conversation_id from assistant_sessions where tenant_id = ? and user_key = ?`, [tenantId, userKey]);
  return row?.conversation_id ?? null;
}

/** Makes `conversationId` the user's assistant conversation (a new one replaces the old). */
export async function saveAssistantConversation(em: EntityManager, tenantId: string, userKey: string, conversationId: string): Promise<void> {
  await em.getConnection().execute(
    `insert into assistant_sessions (tenant_id, user_key, conversation_id) values (?, ?, ?)
     on conflict (tenant_id, user_key) do update set conversation_id = excluded.conversation_id, created_at = now()`,
    [tenantId, userKey, conversationId],
  );
}

/** Whether the conversation is one of the tenant's assistant conversations, and whose. */
export async function assistantConversationOwner(em: EntityManager, tenantId: string, conversationId: string): Promise<string | null> {
  const [row] = await em.getConnection().execute<{ user_key: string }[]>(`select user_key from assistant_sessions where tenant_id = ? and conversation_id = ?`, [tenantId, conversationId]);
  return row?.user_key ?? null;
}

/** The conversation's last `limit` messages, oldest first. */
export async function recentMessages(em: EntityManager, conversationId: string, limit: number): Promise<Message[]> {
  const rows = await em.find(Message, { conversation: conversationId }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit });
  return rows.reverse();
}
