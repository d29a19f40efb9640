/**
 * The campaign sender's writes for a whole page at once: each statement takes the page's rows as
 * one JSON parameter (jsonb_to_recordset), so a page of a thousand recipients costs a handful of
 * round trips instead of five per recipient. Raw SQL with explicit tenant conditions (the tenant
 * filter does not cover raw SQL); `em` is tenant-scoped. Recipient updates only touch rows still
 * pending or deferred: a row another attempt already finished stays as it is.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CampaignChannel } from '../../core/campaigns';
import { conversationWorkflowId } from '../../core/ids';

const rows = (list: readonly unknown[]) => JSON.stringify(list);
/**
 * The same values as an array the planner can drive an index scan with: joined to a recordset
 * alone (estimated at 100 rows), a large table may be scanned whole instead.
 */
const anyOf = (type: 'uuid' | 'text') => `any(array(select jsonb_array_elements_text(?::jsonb)::${type}))`;

/** The key a page's conversations are looked up by: the channel and the thread (the contact's address). */
export const threadOf = (channelId: string, threadKey: string) => `${channelId}\n${threadKey}`;

export interface CampaignConversation {
  id: string;
  lastInboundAt: Date | null;
  thread: Record<string, unknown>;
}

/** The open conversations (the ones a reply is routed to) of these threads, by `threadOf`. */
export async function openConversations(em: EntityManager, tenantId: string, threads: { channelId: string; threadKey: string }[]): Promise<Map<string, CampaignConversation>> {
  const found = new Map<string, CampaignConversation>();
  if (!threads.length) return found;
  const list = await em.getConnection().execute<{ id: string; channel_id: string; thread_key: string; last_inbound_at: Date | null; thread: Record<string, unknown> | null }[]>(
    `select c.id, c.channel_id, c.thread_key, c.last_inbound_at, c.thread
       from jsonb_to_recordset(?::jsonb) as v("channelId" uuid, "threadKey" text)
       join conversations c on c.channel_id = v."channelId" and c.thread_key = v."threadKey"
      where c.channel_id = ${anyOf('uuid')} and c.thread_key = ${anyOf('text')} and c.status <> 'closed' and c.tenant_id = ?`,
    [rows(threads), rows([...new Set(threads.map((t) => t.channelId))]), rows(threads.map((t) => t.threadKey)), tenantId],
  );
  for (const r of list) found.set(threadOf(r.channel_id, r.thread_key), { id: r.id, lastInboundAt: r.last_inbound_at ? new Date(r.last_inbound_at) : null, thread: r.thread ?? {} });
  return found;
}

export interface NewCampaignConversation {
  channelId: string;
  channelType: CampaignChannel;
  threadKey: string;
  contactId: string;
  flowId: string;
  version: number;
}

/**
 * Opens a conversation on each thread that has none, on its flow so a reply reaches it. Returns
 * the ones opened here; a thread opened meanwhile by someone else keeps theirs (the partial unique
 * index), so the caller reads those back.
 */
export async function insertConversations(em: EntityManager, tenantId: string, list: NewCampaignConversation[]): Promise<Map<string, CampaignConversation>> {
  const opened = new Map<string, CampaignConversation>();
  if (!list.length) return opened;
  const values = list.map((c) => {
    const id = randomUUID();
    return { id, flowId: c.flowId, version: c.version, contactId: c.contactId, channel: c.channelType, channelId: c.channelId, threadKey: c.threadKey, workflowId: conversationWorkflowId(tenantId, id) };
  });
  const inserted = await em.getConnection().execute<{ id: string; channel_id: string; thread_key: string }[]>(
    `insert into conversations (id, tenant_id, flow_id, flow_version, contact_id, channel, channel_id, thread_key, workflow_id)
     select v.id, ?, v."flowId", v.version, v."contactId", v.channel, v."channelId", v."threadKey", v."workflowId"
       from jsonb_to_recordset(?::jsonb) as v(id uuid, "flowId" uuid, version int, "contactId" uuid, channel text, "channelId" uuid, "threadKey" text, "workflowId" text)
     on conflict (channel_id, thread_key) where channel_id is not null and status <> 'closed' do nothing
     returning id, channel_id, thread_key`,
    [tenantId, rows(values)],
  );
  for (const r of inserted) opened.set(threadOf(r.channel_id, r.thread_key), { id: r.id, lastInboundAt: null, thread: {} });
  return opened;
}

export interface NewCampaignMessage {
  conversationId: string;
  /** The recipient's idempotency key, also the message's. */
  key: string;
  text: string;
  channelId: string;
  metadata: Record<string, unknown>;
}

export interface StoredCampaignMessage {
  id: string;
  externalId: string | null;
  status: string | null;
  error: string | null;
  /** An earlier attempt stored it: its send may have reached the provider. */
  existed: boolean;
  createdAt: Date;
}

/**
 * Stores each message once (by its key) and returns every one, new or stored by an earlier
 * attempt, by key. The conversations that got a new message move up the inbox, except those
 * `opened` just now (their last_message_at is already now: one index-touching update fewer).
 */
export async function storeCampaignMessages(em: EntityManager, tenantId: string, list: NewCampaignMessage[], opened: ReadonlySet<string> = new Set()): Promise<Map<string, StoredCampaignMessage>> {
  const stored = new Map<string, StoredCampaignMessage>();
  if (!list.length) return stored;
  const conn = em.getConnection();
  const inserted = await conn.execute<{ id: string; idempotency_key: string; conversation_id: string; created_at: Date }[]>(
    `insert into messages (id, tenant_id, conversation_id, direction, author, text, source, idempotency_key, channel_id, metadata)
     select v.id, ?, v."conversationId", 'out', 'bot', v.text, 'campaign', v.key, v."channelId", v.metadata
       from jsonb_to_recordset(?::jsonb) as v(id uuid, "conversationId" uuid, text text, key text, "channelId" uuid, metadata jsonb)
     on conflict (idempotency_key) do nothing returning id, idempotency_key, conversation_id, created_at`,
    [tenantId, rows(list.map((m) => ({ id: randomUUID(), ...m })))],
  );
  for (const r of inserted) stored.set(r.idempotency_key, { id: r.id, externalId: null, status: null, error: null, existed: false, createdAt: new Date(r.created_at) });
  const conversations = [...new Set(inserted.map((r) => r.conversation_id))].filter((id) => !opened.has(id));
  if (conversations.length) {
    await conn.execute(`update conversations set last_message_at = now(), updated_at = now() where id = ${anyOf('uuid')} and tenant_id = ?`, [rows(conversations), tenantId]);
  }
  const earlier = list.filter((m) => !stored.has(m.key)).map((m) => m.key);
  if (earlier.length) {
    const found = await conn.execute<{ id: string; idempotency_key: string; external_id: string | null; status: string | null; error: string | null; created_at: Date }[]>(
      `select m.id, m.idempotency_key, m.external_id, m.status, m.error, m.created_at
         from messages m where m.idempotency_key = ${anyOf('text')} and m.tenant_id = ?`,
      [rows(earlier), tenantId],
    );
    for (const r of found) stored.set(r.idempotency_key, { id: r.id, externalId: r.external_id, status: r.status, error: r.error, existed: true, createdAt: new Date(r.created_at) });
    for (const key of earlier) if (!stored.has(key)) throw new Error(`campaign message ${key} vanished`);
  }
  return stored;
}

/** The provider accepted these messages: their provider ids (a receipt finds them by it). */
export async function markMessagesSent(em: EntityManager, tenantId: string, list: { messageId: string; channelId: string; providerMessageId: string }[]): Promise<void> {
  if (!list.length) return;
  await em.getConnection().execute(
    `update messages m set external_id = v."providerMessageId", channel_id = v."channelId", status = coalesce(m.status, 'sent'), error = null
       from jsonb_to_recordset(?::jsonb) as v("messageId" uuid, "channelId" uuid, "providerMessageId" text)
      where m.id = v."messageId" and m.id = ${anyOf('uuid')} and m.tenant_id = ?`,
    [rows(list), rows(list.map((m) => m.messageId)), tenantId],
  );
}

/** The provider refused these messages for good: the reason on each. */
export async function markMessagesFailed(em: EntityManager, tenantId: string, list: { messageId: string; channelId: string; error: string }[]): Promise<void> {
  if (!list.length) return;
  await em.getConnection().execute(
    `update messages m set status = 'failed', error = v.error, channel_id = coalesce(m.channel_id, v."channelId")
       from jsonb_to_recordset(?::jsonb) as v("messageId" uuid, "channelId" uuid, error text)
      where m.id = v."messageId" and m.id = ${anyOf('uuid')} and m.tenant_id = ?`,
    [rows(list.map((m) => ({ ...m, error: m.error.slice(0, 2000) }))), rows(list.map((m) => m.messageId)), tenantId],
  );
}

export interface RecipientOutcome {
  id: string;
  status: 'sent' | 'failed';
  conversationId: string | null;
  messageId: string | null;
  error?: string;
}

/** The outcome of each send. */
export async function finishRecipients(em: EntityManager, tenantId: string, list: RecipientOutcome[]): Promise<void> {
  if (!list.length) return;
  await em.getConnection().execute(
    `update campaign_recipients r set status = v.status, conversation_id = v."conversationId", message_id = v."messageId", error = v.error,
            sent_at = case when v.status = 'sent' then now() else r.sent_at end, failed_at = case when v.status = 'failed' then now() else r.failed_at end
       from jsonb_to_recordset(?::jsonb) as v(id uuid, status text, "conversationId" uuid, "messageId" uuid, error text)
      where r.id = v.id and r.id = ${anyOf('uuid')} and r.tenant_id = ? and r.status in ('pending', 'deferred')`,
    [rows(list.map((o) => ({ ...o, error: o.error?.slice(0, 2000) ?? null }))), rows(list.map((o) => o.id)), tenantId],
  );
}

/** Opted out of the channel since materialization: skipped, never sent. */
export async function skipOptedOut(em: EntityManager, tenantId: string, ids: string[]): Promise<void> {
  if (!ids.length) return;
  await em.getConnection().execute(
    `update campaign_recipients set status = 'skipped', skip_reason = 'opted_out', opted_out_at = coalesce(opted_out_at, now())
      where id = ${anyOf('uuid')} and tenant_id = ? and status in ('pending', 'deferred')`,
    [rows(ids), tenantId],
  );
}

/** Inside their quiet hours: due again when the window ends. */
export async function deferRecipients(em: EntityManager, tenantId: string, list: { id: string; until: Date }[]): Promise<void> {
  if (!list.length) return;
  await em.getConnection().execute(
    `update campaign_recipients r set status = 'deferred', send_after = v.until
       from jsonb_to_recordset(?::jsonb) as v(id uuid, until timestamptz)
      where r.id = v.id and r.id = ${anyOf('uuid')} and r.tenant_id = ? and r.status in ('pending', 'deferred')`,
    [rows(list), rows(list.map((d) => d.id)), tenantId],
  );
}
