/** Conversation messages. `em` must be tenant-scoped (tenantEm). */
import { randomUUID } from 'node:crypto';
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

/** The 16 values of a new message's row, in INSERT_ONCE's column order (from tenant_id to created_at). */
const messageValues = (tenantId: string, m: NewMessage, now: Date): unknown[] => [
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
];

export async function insertMessageOnce(em: EntityManager, tenantId: string, m: NewMessage): Promise<{ message: Message; created: boolean }> {
  const now = new Date();
  const rows = await em.getConnection().execute<(Record<string, unknown> & { created: boolean })[]>(INSERT_ONCE, [
    ...messageValues(tenantId, m, now),
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

/** An event stored in the same statement as its message (the `events` table's row). */
export interface MessageEventRow {
  id: string;
  type: string;
  data: Record<string, unknown>;
  /** Stored only when the message is the conversation's first (`conversation.started`). */
  onlyIfFirst?: boolean;
}

export interface StoredMessageEvent {
  id: string;
  type: string;
  data: Record<string, unknown>;
  createdAt: Date;
}

/**
 * INSERT_ONCE and the message's events in one statement: a new message of a conversation that is
 * not a test writes its events with it, atomically (no separate read, no queue in between). The
 * conversation's earlier messages are read in the statement's snapshot, which does not yet hold
 * the new row: none means this one is the first. Two reads ride along, each a statement a turn
 * no longer pays: the tenant's enabled webhook subscriptions (what the fan-out of the events
 * needs), and, for a contact's message, the contact's last-seen time moved and its SMS consent
 * (db/repos/contact-inbound.ts).
 */
const INSERT_WITH_EVENTS = `
with ins as (
  insert into messages (id, tenant_id, conversation_id, direction, author, text, idempotency_key, node_id, source, external_id,
                        prompt_tokens, completion_tokens, cost_usd, model, citations, metadata, created_at)
  values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  on conflict (idempotency_key) do nothing
  returning *
), conv as (
  select c.is_test, c.contact_id, not exists (select 1 from messages m where m.conversation_id = c.id) as first
  from conversations c where c.id = ? and c.tenant_id = ?
), bump as (
  update conversations set last_message_at = ? where id = ? and tenant_id = ? and exists (select 1 from ins)
), ev as (
  insert into events (id, tenant_id, type, workflow_id, data, created_at)
  select e.id, ?, e.type, ?, e.data, ?
  from jsonb_to_recordset(?::jsonb) as e(id uuid, type text, data jsonb, "onlyIfFirst" boolean), conv
  where exists (select 1 from ins) and not conv.is_test and (e."onlyIfFirst" is not true or conv.first)
  on conflict (id) do nothing
  returning id, type, data, created_at as "createdAt"
), seen as (
  update contacts c set last_seen_at = greatest(coalesce(c.last_seen_at, ?::timestamptz), ?::timestamptz)
  from conv where ?::boolean and c.id = conv.contact_id and c.tenant_id = ?
  returning c.id, c.locale,
    (select status from contact_consents where contact_id = c.id and channel = 'sms') as sms_status,
    (select source from contact_consents where contact_id = c.id and channel = 'sms') as sms_source
), subs as (
  select coalesce(jsonb_agg(jsonb_build_object('id', s.id, 'eventTypes', s.event_types)), '[]'::jsonb) as list
  from webhook_subscriptions s where s.tenant_id = ? and s.enabled
)
select ins.*, true as created, (select coalesce(jsonb_agg(ev), '[]'::jsonb) from ev) as events,
       (select to_jsonb(seen) from seen) as seen_contact, (select list from subs) as subscriptions from ins
union all
select m.*, false as created, null::jsonb, (select to_jsonb(seen) from seen), (select list from subs)
from messages m where m.idempotency_key = ? and m.tenant_id = ? and not exists (select 1 from ins)`;

/** The contact of a contact's message, as its storing statement moved its last-seen time. */
export interface SeenContact {
  id: string;
  locale: string | null;
  sms_status: string | null;
  sms_source: string | null;
}

/** A tenant's enabled webhook subscription, as the fan-out reads it (db/repos/webhooks.ts enabledSubscriptions). */
export interface EnabledSubscription {
  id: string;
  eventTypes: string[];
}

/**
 * Stores a message once per key with the events `eventsOf(messageId, createdAt)` names, and returns the
 * message and its stored events. A retry that finds the message stored by an earlier attempt
 * returns the events that attempt stored (their ids derive from the message), so what follows
 * the store (the webhook fan-out) can be done again; it must be idempotent.
 */
export async function insertMessageWithEvents(
  em: EntityManager,
  tenantId: string,
  m: NewMessage & { workflowId: string },
  eventsOf: (messageId: string, createdAt: Date) => MessageEventRow[],
): Promise<{ message: StoredMessage; created: boolean; events: StoredMessageEvent[]; subscriptions: EnabledSubscription[]; seenContact: SeenContact | null }> {
  const now = new Date();
  const id = randomUUID();
  type Row = Record<string, unknown> & { created: boolean; events: (StoredMessageEvent & { createdAt: string })[] | null; seen_contact: SeenContact | null; subscriptions: EnabledSubscription[] };
  const rows = await em.getConnection().execute<Row[]>(INSERT_WITH_EVENTS, [
    id,
    ...messageValues(tenantId, m, now),
    m.conversationId,
    tenantId,
    now,
    m.conversationId,
    tenantId,
    tenantId,
    m.workflowId,
    now,
    JSON.stringify(eventsOf(id, now)),
    now,
    now,
    m.direction === 'in',
    tenantId,
    tenantId,
    m.idempotencyKey,
    tenantId,
  ]);
  if (rows.length === 0) throw new AppError('conflict', 'idempotency key already used');
  const { created, events, seen_contact: seenContact, subscriptions, ...row } = rows[0];
  const message = messageFromRow(row);
  const rides = { subscriptions, seenContact };
  // In the order eventsOf gives them (the first message's `conversation.started` before it).
  const named = eventsOf(message.id, message.createdAt);
  const order = named.map((e) => e.id);
  const inOrder = (list: StoredMessageEvent[]) => list.map((e) => ({ ...e, createdAt: new Date(e.createdAt) })).sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  if (created) return { message, created, events: inOrder(events ?? []), ...rides };
  // The earlier attempt's events; one stored only with a first message, only when this message is that first one.
  const ids = (only: boolean) => `{${named.filter((e) => Boolean(e.onlyIfFirst) === only).map((e) => e.id).join(',')}}`;
  const stored = await em.getConnection().execute<StoredMessageEvent[]>(
    `select id, type, data, created_at as "createdAt" from events
     where tenant_id = ? and (id = any(?::uuid[]) or (id = any(?::uuid[]) and not exists (
       select 1 from messages m where m.conversation_id = ? and m.tenant_id = ? and (m.created_at, m.id) < (?::timestamptz, ?::uuid))))`,
    [tenantId, ids(false), ids(true), m.conversationId, tenantId, message.createdAt, message.id],
  );
  return { message, created, events: inOrder(stored), ...rides };
}

/** What a reply is made of (toReply): a Message entity, or a row as messageFromRow reads it. */
export type StoredMessage = Pick<Message, 'id' | 'idempotencyKey' | 'text' | 'author' | 'createdAt' | 'nodeId' | 'source' | 'model' | 'promptTokens' | 'completionTokens' | 'costUsd' | 'citations' | 'metadata'>;

/** A `messages` row as the driver returns it (snake_case, numeric as text), without hydrating an entity: a turn stores several. */
function messageFromRow(row: Record<string, any>): StoredMessage {
  return {
    id: row.id,
    idempotencyKey: row.idempotency_key,
    text: row.text,
    author: row.author,
    createdAt: new Date(row.created_at),
    nodeId: row.node_id ?? null,
    source: row.source ?? null,
    model: row.model ?? null,
    promptTokens: Number(row.prompt_tokens ?? 0),
    completionTokens: Number(row.completion_tokens ?? 0),
    costUsd: Number(row.cost_usd ?? 0),
    citations: row.citations ?? null,
    metadata: row.metadata ?? {},
  };
}

/** The API / workflow view of a stored outbound message. */
export function toReply(m: StoredMessage): Reply {
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
