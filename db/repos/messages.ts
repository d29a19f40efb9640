/** Conversation messages. `em` must be tenant-scoped (tenantEm). */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Author, OutboundMessage, Reply } from '../../core/messages';
import { AppError } from '../../core/errors';
import { Message } from '../entities';
import { keysetAfter, pageLimit, toPage, type Page } from './cursor';
import type { EnabledSubscription } from './webhooks';

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

/** New messages as a recordset of `inputRow`s: one shape for the statement that stores one and for insert_messages_with_events, which reads a batch in the same columns. */
const MESSAGE_INPUT = `jsonb_to_recordset(?::jsonb) as m(ord int, id uuid, direction text, author text, text text, idempotency_key text,
    node_id text, source text, external_id text, prompt_tokens int, completion_tokens int, cost_usd numeric, model text,
    citations jsonb, metadata jsonb, created_at timestamptz)`;

/** The row's values, in the input recordset's columns. */
const inputRow = (m: NewMessage, ord: number, id: string, createdAt: Date) => ({
  ord,
  id,
  direction: m.direction,
  author: m.author,
  text: m.text,
  idempotency_key: m.idempotencyKey,
  node_id: m.nodeId ?? null,
  source: m.source ?? null,
  external_id: m.externalId ?? null,
  prompt_tokens: m.usage?.promptTokens ?? 0,
  completion_tokens: m.usage?.completionTokens ?? 0,
  cost_usd: m.usage?.costUsd ?? 0,
  model: m.usage?.model ?? null,
  citations: m.citations ?? null,
  metadata: m.metadata ?? {},
  created_at: createdAt.toISOString(),
});

/**
 * One statement, because every turn stores two messages: insert unless the key exists, bump the
 * conversation's lastMessageAt when it was new, and return the stored row either way (this call's
 * or an earlier attempt's). The explicit `tenant_id` conditions stand in for the tenant filter,
 * which raw SQL bypasses.
 */
const INSERT_ONCE = `
with input as (
  select * from ${MESSAGE_INPUT}
), ins as (
  insert into messages (id, tenant_id, conversation_id, direction, author, text, idempotency_key, node_id, source, external_id,
                        prompt_tokens, completion_tokens, cost_usd, model, citations, metadata, created_at)
  select id, ?, ?, direction, author, text, idempotency_key, node_id, source, external_id,
         prompt_tokens, completion_tokens, cost_usd, model, citations, metadata, created_at
  from input
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
    JSON.stringify([inputRow(m, 0, randomUUID(), now)]),
    tenantId,
    m.conversationId,
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
 * Messages of one conversation and their events in one statement, the body of the PL/pgSQL function
 * `insert_messages_with_events` (Migration20261229100000_message_batch_function, which says what it
 * does and why it is a function: the session plans it once instead of on every turn). The new ones
 * are inserted (unless their key exists), and a conversation that is not a test writes each new
 * message's events with it, atomically (no separate read, no queue in between). Two reads ride
 * along: the tenant's enabled webhook subscriptions (what the fan-out of the events needs), and,
 * when the batch holds a contact's message, the contact's last-seen time moved and its SMS consent
 * (db/repos/contact-inbound.ts). Rows come back as JSON (one shape for the new rows, the existing
 * ones and the statement's summary row, `created` null).
 */
const INSERT_WITH_EVENTS = `select stored_row as row, is_new as created from insert_messages_with_events(?::jsonb, ?::uuid, ?::uuid, ?, ?::jsonb, ?::timestamptz, ?::boolean)`;

/** The contact of a contact's message, as its storing statement moved its last-seen time. */
export interface SeenContact {
  id: string;
  locale: string | null;
  sms_status: string | null;
  sms_source: string | null;
}

/** One message of a batch as stored: this call's row, or (`created` false) an earlier attempt's, with the events stored with it. */
export interface StoredInBatch {
  message: StoredMessage;
  created: boolean;
  events: StoredMessageEvent[];
}


/**
 * Stores the messages of one conversation once per key, in order, each with the events
 * `eventsOf(message, id, createdAt)` names (`onlyIfFirst` counts for the batch's first message
 * only), and returns them as stored with their events. A retry that finds a message stored by an
 * earlier attempt returns the events that attempt stored (their ids derive from the message), so
 * what follows the store (the webhook fan-out) can be done again; it must be idempotent. Each
 * message is a millisecond after the one before, so they list in order.
 */
export async function insertMessagesWithEvents(
  em: EntityManager,
  tenantId: string,
  ref: { conversationId: string; workflowId: string },
  messages: NewMessage[],
  eventsOf: (m: NewMessage, messageId: string, createdAt: Date) => MessageEventRow[],
): Promise<{ stored: StoredInBatch[]; subscriptions: EnabledSubscription[]; seenContact: SeenContact | null }> {
  if (messages.length === 0) return { stored: [], subscriptions: [], seenContact: null };
  const start = Date.now();
  const planned = messages.map((m, ord) => ({ m, ord, id: randomUUID(), createdAt: new Date(start + ord) }));
  const named = (m: NewMessage, ord: number, id: string, createdAt: Date) => eventsOf(m, id, createdAt).filter((e) => ord === 0 || !e.onlyIfFirst);
  const events = planned.flatMap(({ m, ord, id, createdAt }) => named(m, ord, id, createdAt).map((e) => ({ ...e, key: m.idempotencyKey, created_at: createdAt.toISOString() })));
  const inbound = planned.find((p) => p.m.direction === 'in');
  const seenAt = inbound?.createdAt ?? new Date(start);
  const rows = await em.getConnection().execute<{ row: Record<string, any>; created: boolean | null }[]>(INSERT_WITH_EVENTS, [
    JSON.stringify(planned.map((p) => inputRow(p.m, p.ord, p.id, p.createdAt))),
    tenantId,
    ref.conversationId,
    ref.workflowId,
    JSON.stringify(events),
    seenAt,
    Boolean(inbound),
  ]);
  const summary = rows.find((r) => r.created === null)!.row as { events: (StoredMessageEvent & { createdAt: string })[]; seen: SeenContact | null; subscriptions: EnabledSubscription[] };
  const byKey = new Map(rows.filter((r) => r.created !== null).map((r) => [r.row.idempotency_key as string, r]));
  const newEvents = summary.events.map((e) => ({ ...e, createdAt: new Date(e.createdAt) }));
  const stored: StoredInBatch[] = [];
  for (const { m, ord } of planned) {
    const found = byKey.get(m.idempotencyKey);
    // The key exists but belongs to another tenant: never return or overwrite it.
    if (!found) throw new AppError('conflict', 'idempotency key already used');
    const message = messageFromRow(found.row);
    // In the order eventsOf gives them (the first message's `conversation.started` before it).
    const own = named(m, ord, message.id, message.createdAt);
    const order = own.map((e) => e.id);
    const inOrder = (list: StoredMessageEvent[]) => list.filter((e) => order.includes(e.id)).sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
    if (found.created) stored.push({ message, created: true, events: inOrder(newEvents) });
    else stored.push({ message, created: false, events: inOrder(await eventsStoredWith(em, tenantId, ref.conversationId, message, own)) });
  }
  return { stored, subscriptions: summary.subscriptions, seenContact: summary.seen };
}

/** The events an earlier attempt stored with `message`; one stored only with a first message, only when this message is that first one. */
async function eventsStoredWith(em: EntityManager, tenantId: string, conversationId: string, message: StoredMessage, named: MessageEventRow[]): Promise<StoredMessageEvent[]> {
  const ids = (only: boolean) => `{${named.filter((e) => Boolean(e.onlyIfFirst) === only).map((e) => e.id).join(',')}}`;
  const stored = await em.getConnection().execute<StoredMessageEvent[]>(
    `select id, type, data, created_at as "createdAt" from events
     where tenant_id = ? and (id = any(?::uuid[]) or (id = any(?::uuid[]) and not exists (
       select 1 from messages m where m.conversation_id = ? and m.tenant_id = ? and (m.created_at, m.id) < (?::timestamptz, ?::uuid))))`,
    [tenantId, ids(false), ids(true), conversationId, tenantId, message.createdAt, message.id],
  );
  return stored.map((e) => ({ ...e, createdAt: new Date(e.createdAt) }));
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
