/**
 * Outbound webhook storage. Subscriptions and the delivery log are read through the tenant-scoped
 * EntityManager (the `tenant` filter); the delivery engine's state changes are single SQL
 * statements so that two workers (or a wake-up and a retry) can never both send one delivery.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { WebhookDeliveryStatus } from '../../core/webhooks';
import { User, WebhookAttempt, WebhookDelivery, WebhookSubscription } from '../entities';

export async function createWebhookSubscription(
  em: EntityManager,
  tenantId: string,
  input: { url: string; eventTypes: string[]; description: string; enabled: boolean; secretEncrypted: string },
): Promise<WebhookSubscription> {
  const sub = em.create(WebhookSubscription, { tenant: tenantId, ...input, disabledReason: null, consecutiveDead: 0 });
  await em.flush();
  return sub;
}

export const listWebhookSubscriptions = (em: EntityManager) => em.find(WebhookSubscription, {}, { orderBy: { createdAt: 'asc' } });

export const getWebhookSubscription = (em: EntityManager, id: string, opts: { secret?: boolean } = {}) =>
  em.findOne(WebhookSubscription, { id }, opts.secret ? { populate: ['secretEncrypted'] } : {});

export async function updateWebhookSubscription(em: EntityManager, sub: WebhookSubscription, patch: Partial<Pick<WebhookSubscription, 'url' | 'eventTypes' | 'description' | 'enabled' | 'secretEncrypted'>>) {
  em.assign(sub, patch);
  // Enabling by hand clears what the platform noted and gives the endpoint a fresh count.
  if (patch.enabled === true) em.assign(sub, { disabledReason: null, consecutiveDead: 0 });
  await em.flush();
  return sub;
}

export async function deleteWebhookSubscription(em: EntityManager, id: string): Promise<boolean> {
  return (await em.nativeDelete(WebhookSubscription, { id })) > 0;
}

export interface DeliveryFilter {
  status?: WebhookDeliveryStatus;
  subscriptionId?: string;
  limit: number;
  before?: string;
}

export async function listWebhookDeliveries(em: EntityManager, f: DeliveryFilter): Promise<WebhookDelivery[]> {
  const where: Record<string, unknown> = {};
  if (f.status) where.status = f.status;
  if (f.subscriptionId) where.subscription = f.subscriptionId;
  if (f.before) {
    const anchor = await em.findOne(WebhookDelivery, { id: f.before });
    if (anchor) where.$or = [{ createdAt: { $lt: anchor.createdAt } }, { createdAt: anchor.createdAt, id: { $lt: anchor.id } }];
  }
  return em.find(WebhookDelivery, where, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: f.limit });
}

export const getWebhookDelivery = (em: EntityManager, id: string) => em.findOne(WebhookDelivery, { id });

export const listWebhookAttempts = (em: EntityManager, deliveryId: string) => em.find(WebhookAttempt, { delivery: deliveryId }, { orderBy: { createdAt: 'asc' } });

/**
 * Puts finished deliveries back to `pending` with a fresh attempt budget and the same id; answers
 * the ids it reset (each needs a delivery job). `tenantId` is in the statement: this is raw SQL.
 */
export async function resetDeliveriesForReplay(em: EntityManager, tenantId: string, where: { ids: string[] } | { subscriptionId?: string }): Promise<{ id: string; orderKey: string | null }[]> {
  const params: unknown[] = [tenantId];
  let cond = `status = 'dead'`;
  if ('ids' in where) {
    cond = `status in ('dead', 'succeeded') and id = any(?::uuid[])`;
    params.push(`{${where.ids.join(',')}}`);
  } else if (where.subscriptionId) {
    cond += ` and subscription_id = ?`;
    params.push(where.subscriptionId);
  }
  return em.getConnection().execute(
    `update webhook_deliveries set status = 'pending', attempts = 0, next_attempt_at = now(), claimed_at = null, completed_at = null, updated_at = now()
     where tenant_id = ? and ${cond} returning id, order_key as "orderKey"`,
    params,
  );
}

// ---- the delivery engine (system scope: ids come from queue jobs, rows carry their tenant) ----

export interface NewDelivery {
  id: string;
  tenantId: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  eventAt: Date;
  /** The event's place in its conversation (events/queue.ts, nextEventSeq). */
  eventSeq: number;
  orderKey: string | null;
  payload: Record<string, unknown>;
}

/** A tenant's enabled subscription, as the fan-out reads it (the caller filters by event type). */
export interface EnabledSubscription {
  id: string;
  eventTypes: string[];
}

/** The tenant's enabled subscriptions, for events stored without them (a message's statement reads them itself: db/repos/messages.ts). One plain query, no entities. */
export const enabledSubscriptions = (em: EntityManager, tenantId: string) =>
  em.getConnection().execute<EnabledSubscription[]>(`select id, event_types as "eventTypes" from webhook_subscriptions where tenant_id = ? and enabled`, [tenantId]);

/** Idempotent: a redelivered event finds its deliveries already there. */
export async function insertDeliveries(em: EntityManager, rows: NewDelivery[]): Promise<void> {
  if (rows.length === 0) return;
  await em
    .createQueryBuilder(WebhookDelivery)
    .insert(rows.map((r) => ({ id: r.id, tenant: r.tenantId, subscription: r.subscriptionId, eventId: r.eventId, eventType: r.eventType, eventAt: r.eventAt, eventSeq: r.eventSeq, orderKey: r.orderKey, payload: r.payload, status: 'pending' as const, nextAttemptAt: new Date() })))
    .onConflict('id')
    .ignore()
    .execute('run');
}

export interface ClaimedDelivery {
  id: string;
  tenantId: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  /** As the driver returns it from raw SQL. */
  eventAt: string | Date;
  orderKey: string | null;
  payload: Record<string, unknown>;
  attempts: number;
  /** Its subscription as the claim found it (one statement: the claim reads it in the same update). */
  subscription: { id: string; tenant: string; url: string; enabled: boolean; secretEncrypted: string; consecutiveDead: number };
}

/** `d` is the head of its chain: no earlier delivery of the same subscription and order key is unfinished. */
const CHAIN_HEAD = `(d.order_key is null or not exists (
         select 1 from webhook_deliveries e
         where e.subscription_id = d.subscription_id and e.order_key = d.order_key and e.status in ('pending', 'delivering')
           and (e.event_seq, e.chain_seq) < (d.event_seq, d.chain_seq)))`;

/** A claim older than this belongs to a worker that died mid-attempt (attempts time out far sooner). */
const STALE_CLAIM_SECONDS = 120;

/**
 * Takes a due delivery for one attempt, unless an earlier delivery of its chain (same
 * subscription and order key, of an earlier event) is unfinished. Null when there is nothing to do now.
 */
export async function claimDelivery(em: EntityManager, id: string): Promise<ClaimedDelivery | null> {
  const rows = await em.getConnection().execute<(Omit<ClaimedDelivery, 'subscription'> & { url: string; enabled: boolean; secretEncrypted: string; consecutiveDead: number })[]>(
    `update webhook_deliveries d set status = 'delivering', claimed_at = now(), updated_at = now()
     from webhook_subscriptions s
     where d.id = ? and s.id = d.subscription_id and d.next_attempt_at <= now()
       and (d.status = 'pending' or (d.status = 'delivering' and d.claimed_at < now() - interval '${STALE_CLAIM_SECONDS} seconds'))
       and ${CHAIN_HEAD}
     returning d.id, d.tenant_id as "tenantId", d.subscription_id as "subscriptionId", d.event_id as "eventId", d.event_type as "eventType",
       d.event_at as "eventAt", d.order_key as "orderKey", d.payload, d.attempts,
       s.url, s.enabled, s.secret_encrypted as "secretEncrypted", s.consecutive_dead as "consecutiveDead"`,
    [id],
  );
  const row = rows[0];
  if (!row) return null;
  const { url, enabled, secretEncrypted, consecutiveDead, ...delivery } = row;
  return { ...delivery, subscription: { id: row.subscriptionId, tenant: row.tenantId, url, enabled, secretEncrypted, consecutiveDead } };
}

export interface AttemptRecord {
  tenantId: string;
  deliveryId: string;
  attempt: number;
  statusCode: number | null;
  latencyMs: number;
  responseExcerpt: string | null;
  error: string | null;
}

/**
 * Logs the attempt and moves the delivery on: `succeeded`, `dead`, or `pending` until `retryAt`.
 * One statement (the insert is a data-modifying CTE): atomic, and one round trip, not a transaction's four.
 */
export async function finishAttempt(em: EntityManager, a: AttemptRecord, next: { status: 'succeeded' | 'dead' } | { status: 'pending'; retryAt: Date }): Promise<void> {
  await em.getConnection().execute(
    `with logged as (
       insert into webhook_attempts (tenant_id, delivery_id, attempt, status_code, latency_ms, response_excerpt, error) values (?, ?, ?, ?, ?, ?, ?)
     )
     update webhook_deliveries set status = ?, attempts = ?, next_attempt_at = ?, claimed_at = null, last_status_code = ?, last_latency_ms = ?, last_error = ?,
       last_response_excerpt = ?, completed_at = ?, updated_at = now() where id = ?`,
    [
      ...[a.tenantId, a.deliveryId, a.attempt, a.statusCode, a.latencyMs, a.responseExcerpt, a.error],
      ...[next.status, a.attempt, next.status === 'pending' ? next.retryAt : null, a.statusCode, a.latencyMs, a.error, a.responseExcerpt, next.status === 'pending' ? null : new Date(), a.deliveryId],
    ],
    'run',
  );
}

/** Ends a delivery without an attempt (its subscription is gone or disabled): it waits in the dead-letter queue. */
export async function abandonDelivery(em: EntityManager, id: string, reason: string): Promise<void> {
  await em.getConnection().execute(`update webhook_deliveries set status = 'dead', claimed_at = null, last_error = ?, completed_at = now(), updated_at = now() where id = ?`, [reason, id]);
}

/** The chain's new head once a delivery is finished: the earliest unfinished delivery after it. */
export async function nextInChain(em: EntityManager, subscriptionId: string, orderKey: string): Promise<{ id: string; nextAttemptAt: string | Date | null } | null> {
  const rows = await em.getConnection().execute<{ id: string; nextAttemptAt: string | Date | null }[]>(
    `select id, next_attempt_at as "nextAttemptAt" from webhook_deliveries where subscription_id = ? and order_key = ? and status = 'pending' order by event_seq, chain_seq limit 1`,
    [subscriptionId, orderKey],
  );
  return rows[0] ?? null;
}

/** Counts a dead delivery against its subscription; answers the new count. */
export async function noteDeadDelivery(em: EntityManager, subscriptionId: string): Promise<number> {
  const rows = await em.getConnection().execute<{ n: number }[]>(
    `update webhook_subscriptions set consecutive_dead = consecutive_dead + 1, updated_at = now() where id = ? returning consecutive_dead as n`,
    [subscriptionId],
  );
  return rows[0]?.n ?? 0;
}

export async function noteDelivered(em: EntityManager, subscriptionId: string): Promise<void> {
  await em.getConnection().execute(`update webhook_subscriptions set consecutive_dead = 0 where id = ? and consecutive_dead <> 0`, [subscriptionId]);
}

/** Disables an enabled subscription; false when it was already disabled (so one notice goes out). */
export async function disableSubscription(em: EntityManager, subscriptionId: string, reason: string): Promise<boolean> {
  const rows = await em.getConnection().execute(`update webhook_subscriptions set enabled = false, disabled_reason = ?, updated_at = now() where id = ? and enabled returning id`, [reason, subscriptionId]);
  return rows.length > 0;
}

export async function tenantAdminEmails(em: EntityManager, tenantId: string): Promise<string[]> {
  const admins = await em.find(User, { tenant: tenantId, role: 'admin', disabled: false }, { filters: false, fields: ['email'] });
  return admins.map((u) => u.email);
}

/**
 * Chain heads whose job is overdue by a minute (lost with Redis, or a wake-up that never ran) and
 * claims left by a worker that died mid-attempt: the sweep queues them again.
 */
export async function overdueDeliveries(em: EntityManager, limit = 500): Promise<string[]> {
  const rows = await em.getConnection().execute<{ id: string }[]>(
    // A chain's later deliveries wait for its head, which wakes them: only heads are swept.
    `select id from webhook_deliveries d where ((d.status = 'pending' and d.next_attempt_at < now() - interval '1 minute')
       or (d.status = 'delivering' and d.claimed_at < now() - interval '${STALE_CLAIM_SECONDS} seconds')) and ${CHAIN_HEAD}
     order by d.next_attempt_at limit ?`,
    [limit],
  );
  return rows.map((r) => r.id);
}
