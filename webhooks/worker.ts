/**
 * Outbound webhook delivery, run by the worker process next to the event sink:
 * - `fanOut` turns a stored event into one delivery row per matching subscription (ids derived
 *   from subscription + event, so a redelivered event adds nothing) and queues their first attempt;
 * - the BullMQ worker claims a delivery in PostgreSQL, POSTs it, logs the attempt, and reschedules
 *   it (backoff with full jitter, or Retry-After) until it succeeds or its attempts run out (`dead`);
 * - deliveries of one conversation for one subscription form a chain: only its earliest unfinished
 *   delivery is claimable, and finishing one queues the next (ARCHITECTURE.md, "Outbound webhooks");
 * - a sweep re-queues deliveries whose job was lost (Redis flushed, worker killed mid-attempt).
 */
import { Worker, type ConnectionOptions } from 'bullmq';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../core/config';
import { uuidFromSeed } from '../core/ids';
import { subscriptionSelects, type WebhookEventType } from '../core/webhooks';
import type { StoredEvent } from '../events/sink';
import { configPolicy } from '../net/address-policy';
import { retryDelayMs } from './backoff';
import { systemMailer, type SystemMailer } from './mailer';
import { createWebhookQueue, enqueueDeliveries, type DeliveryJob } from './queue';
import { isSuccess, sendAttempt } from './send';
import * as store from './store';
import type { EnabledSubscription } from './store';
import { webhookDeliveries, webhookLatency } from '../metrics';

export interface WebhookDeliveryOptions {
  connection: ConnectionOptions;
  orm: MikroORM;
  config: Config;
  /** Defaults to SMTP_URL's mailer; null: notices are only logged. */
  mailer?: SystemMailer | null;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
  sweepEveryMs?: number;
}

export function startWebhookDelivery(opts: WebhookDeliveryOptions) {
  const { orm, config } = opts;
  const queue = createWebhookQueue(opts.connection, config.WEBHOOK_QUEUE_NAME);
  const mailer = opts.mailer === undefined ? systemMailer(config) : opts.mailer;
  const log = opts.log ?? ((msg, fields) => console.warn(JSON.stringify({ msg, ...fields })));
  const box = store.secretBoxFromConfig(config);
  const policy = configPolicy(config);
  const backoff = { baseMs: config.WEBHOOK_BACKOFF_BASE_MS, capMs: config.WEBHOOK_BACKOFF_CAP_MS, retryAfterMaxMs: config.WEBHOOK_RETRY_AFTER_MAX_MS };

  /**
   * `fanOut` for several events (a stored message's), with one read of the tenants'
   * subscriptions — none when the caller has them (`read`: the events' one tenant's, read by the
   * statement that stored them).
   */
  async function fanOutMany(events: StoredEvent[], read?: EnabledSubscription[]): Promise<void> {
    const em = store.systemEm(orm);
    const tenants = new Set(events.map((e) => e.tenantId));
    const subsOf = new Map<string, EnabledSubscription[]>();
    if (read && tenants.size === 1) subsOf.set(events[0].tenantId, read);
    else for (const tenantId of tenants) subsOf.set(tenantId, await store.enabledSubscriptions(em, tenantId));
    // A conversation's chain follows the events' seq; ties (none from one process) by insertion.
    const rows = events.flatMap((event) =>
      subsOf
        .get(event.tenantId)!
        .filter((s) => subscriptionSelects(s.eventTypes, event.type))
        .map((s) => ({
          id: uuidFromSeed(`webhook:${s.id}:${event.id}`),
          tenantId: event.tenantId,
          subscriptionId: s.id,
          eventId: event.id,
          eventType: event.type,
          eventAt: event.createdAt,
          eventSeq: event.seq,
          orderKey: typeof event.data.conversationId === 'string' ? event.data.conversationId : null,
          payload: event.data,
        })),
    );
    if (rows.length === 0) return;
    await store.insertDeliveries(em, rows);
    await enqueueDeliveries(queue, rows.filter((r) => r.orderKey).map((r) => r.id), config.WEBHOOK_ORDER_SETTLE_MS);
    await enqueueDeliveries(queue, rows.filter((r) => !r.orderKey).map((r) => r.id), 0);
  }

  const fanOut = (event: StoredEvent): Promise<void> => fanOutMany([event]);

  async function wakeNext(subscriptionId: string, orderKey: string | null): Promise<void> {
    if (!orderKey) return;
    const next = await store.nextInChain(store.systemEm(orm), subscriptionId, orderKey);
    // Raw rows carry timestamps as the driver gives them (a string here): parse, do not assume a Date.
    if (next) await enqueueDeliveries(queue, [next.id], next.nextAttemptAt ? new Date(next.nextAttemptAt).getTime() - Date.now() : 0);
  }

  async function disable(sub: { id: string; url: string; tenant: string }, reason: 'gone' | 'failing', detail: string): Promise<void> {
    const em = store.systemEm(orm);
    if (!(await store.disableSubscription(em, sub.id, reason))) return;
    log('webhook subscription disabled', { tenantId: sub.tenant, subscriptionId: sub.id, reason });
    const to = await store.tenantAdminEmails(em, sub.tenant);
    if (!mailer || to.length === 0) return;
    try {
      await mailer({
        to,
        subject: `Webhook endpoint disabled: ${sub.url}`,
        text: `Switchboard stopped sending events to ${sub.url} (subscription ${sub.id}): ${detail}\n\nFix the endpoint, enable the subscription again in the console (Webhooks), then replay its dead deliveries.`,
      });
    } catch (err) {
      log('webhook disable notice not sent', { tenantId: sub.tenant, subscriptionId: sub.id, error: (err as Error).message });
    }
  }

  async function deliver(deliveryId: string): Promise<void> {
    const em = store.systemEm(orm);
    const d = await store.claimDelivery(em, deliveryId);
    if (!d) return;
    const sub = d.subscription;
    if (!sub.enabled) {
      await store.abandonDelivery(em, d.id, 'the subscription is disabled');
      return wakeNext(d.subscriptionId, d.orderKey);
    }
    const attempt = d.attempts + 1;
    const result = await sendAttempt({
      url: sub.url,
      secret: box.decrypt(sub.secretEncrypted),
      deliveryId: d.id,
      payload: { id: d.eventId, type: d.eventType as WebhookEventType, createdAt: new Date(d.eventAt).toISOString(), tenantId: d.tenantId, data: d.payload },
      policy,
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    });
    const record = { tenantId: d.tenantId, deliveryId: d.id, attempt, ...result };
    webhookLatency.observe(result.latencyMs / 1000);
    const finalAttempt = result.statusCode === 410 || attempt >= config.WEBHOOK_MAX_ATTEMPTS;
    webhookDeliveries.inc({ outcome: isSuccess(result) ? 'succeeded' : finalAttempt ? 'dead' : 'retry' });
    if (isSuccess(result)) {
      await store.finishAttempt(em, record, { status: 'succeeded' });
      if (sub.consecutiveDead > 0) await store.noteDelivered(em, sub.id);
    } else if (result.statusCode === 410) {
      await store.finishAttempt(em, record, { status: 'dead' });
      await disable(sub, 'gone', 'the endpoint answered 410 Gone.');
    } else if (attempt >= config.WEBHOOK_MAX_ATTEMPTS) {
      await store.finishAttempt(em, record, { status: 'dead' });
      const dead = await store.noteDeadDelivery(em, sub.id);
      if (dead >= config.WEBHOOK_DISABLE_AFTER_DEAD) await disable(sub, 'failing', `${dead} deliveries in a row failed every attempt.`);
    } else {
      const delay = retryDelayMs(attempt, result.statusCode === null ? null : { status: result.statusCode, retryAfter: result.retryAfter }, backoff);
      await store.finishAttempt(em, record, { status: 'pending', retryAt: new Date(Date.now() + delay) });
      await enqueueDeliveries(queue, [d.id], delay);
      return;
    }
    await wakeNext(d.subscriptionId, d.orderKey);
  }

  const worker = new Worker<DeliveryJob>(config.WEBHOOK_QUEUE_NAME, (job) => deliver(job.data.deliveryId), { connection: opts.connection, concurrency: config.WEBHOOK_CONCURRENCY });
  worker.on('error', (err) => log('webhook worker error', { error: err.message }));

  const sweep = async () => {
    try {
      await enqueueDeliveries(queue, await store.overdueDeliveries(store.systemEm(orm)));
    } catch (err) {
      log('webhook sweep failed', { error: (err as Error).message });
    }
  };
  const timer = setInterval(() => void sweep(), opts.sweepEveryMs ?? 60_000);
  timer.unref();

  return {
    fanOut,
    fanOutMany,
    queue,
    worker,
    async close(closeWorker: (w: Worker) => Promise<void> = (w) => w.close()) {
      clearInterval(timer);
      await closeWorker(worker);
      await queue.close();
    },
  };
}
