/**
 * The durable inbound log. The webhook route records provider events here before answering; the
 * worker dispatches `pending` rows to conversations. (channel, external id) is unique, so a
 * provider's redelivery inserts nothing and is never dispatched twice. Cross-tenant by design
 * (webhooks and the sweeper name rows by channel / id), hence raw SQL with explicit conditions.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { InboundEvent } from '../../core/inbound';

export interface InboundRow {
  id: string;
  tenantId: string;
  channelId: string;
  externalId: string;
  kind: 'message' | 'status' | 'amend' | 'template';
  payload: StoredEvent;
  status: 'pending' | 'dispatched' | 'failed';
  attempts: number;
  conversationId: string | null;
}

/** An InboundEvent as stored: inline attachment bytes as base64. */
export type StoredEvent = Record<string, any>;

/** Receipts have no id of their own: the message id, the status and its time name one receipt. */
export function inboundKey(event: InboundEvent): string {
  if (event.kind === 'template') return `template:${event.externalId}:${event.event}:${event.at ?? ''}`;
  return event.kind === 'status' ? `status:${event.externalId}:${event.status}:${event.at ?? ''}` : event.externalId;
}

export function toStoredEvent(event: InboundEvent): StoredEvent {
  if (event.kind !== 'message' || !event.message.attachments?.some((a) => a.kind === 'inline')) return event;
  const attachments = event.message.attachments.map((a) => (a.kind === 'inline' ? { ...a, data: a.data.toString('base64') } : a));
  return { ...event, message: { ...event.message, attachments } };
}

export interface InboundEventRow {
  tenantId: string;
  channelId: string;
  event: InboundEvent;
}

/**
 * Inserts events of any channels in one statement (one commit for a whole batch of webhooks);
 * returns the ids of rows that are new, i.e. to dispatch. Redeliveries insert nothing.
 */
export async function recordInboundEvents(em: EntityManager, events: InboundEventRow[]): Promise<string[]> {
  const seen = new Set<string>();
  const values: unknown[] = [];
  for (const { tenantId, channelId, event } of events) {
    const key = inboundKey(event).slice(0, 255);
    if (seen.has(`${channelId}:${key}`)) continue;
    seen.add(`${channelId}:${key}`);
    values.push(tenantId, channelId, key, event.kind, JSON.stringify(toStoredEvent(event)));
  }
  if (seen.size === 0) return [];
  const rows = await em.getConnection().execute<{ id: string }[]>(
    `insert into inbound_messages (tenant_id, channel_id, external_id, kind, payload)
     values ${Array.from({ length: seen.size }, () => '(?, ?, ?, ?, ?::jsonb)').join(', ')}
     on conflict (channel_id, external_id) do nothing returning id`,
    values,
  );
  return rows.map((r) => r.id);
}

const COLUMNS = `id, tenant_id as "tenantId", channel_id as "channelId", external_id as "externalId", kind, payload, status, attempts, conversation_id as "conversationId"`;

/** Counts an attempt and returns the row while it is still pending (null once handled). */
export async function beginInboundAttempt(em: EntityManager, id: string): Promise<InboundRow | null> {
  const rows = await em.getConnection().execute<InboundRow[]>(
    `update inbound_messages set attempts = attempts + 1, updated_at = now() where id = ? and status = 'pending' returning ${COLUMNS}`,
    [id],
  );
  return rows[0] ?? null;
}

/** The row's outcome, and the conversation it went to (so an operator can follow it). */
export async function finishInbound(em: EntityManager, id: string, status: 'dispatched' | 'failed', opts: { error?: string; conversationId?: string } = {}): Promise<void> {
  await em.getConnection().execute(`update inbound_messages set status = ?, error = ?, conversation_id = coalesce(?, conversation_id), updated_at = now() where id = ?`, [
    status,
    opts.error?.slice(0, 2000) ?? null,
    opts.conversationId ?? null,
    id,
  ]);
}

export async function noteInboundError(em: EntityManager, id: string, error: string): Promise<void> {
  await em.getConnection().execute(`update inbound_messages set error = ? where id = ?`, [error.slice(0, 2000), id]);
}

/** Pending rows nobody touched for `staleMs`: their queue job was lost (Redis keeps nothing on disk) or gave up. */
export async function stalePendingInbound(em: EntityManager, staleMs: number, limit = 500): Promise<string[]> {
  const rows = await em.getConnection().execute<{ id: string }[]>(
    `select id from inbound_messages where status = 'pending' and updated_at < now() - (? * interval '1 millisecond') order by updated_at limit ?`,
    [staleMs, limit],
  );
  return rows.map((r) => r.id);
}
