import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { WEBHOOK_DELIVERY_STATUSES } from '../../core/webhooks';
import { createdAt, jsonObject, updatedAt, uuidPk } from './common';
import { Tenant } from './tenant';
import { WebhookSubscription } from './webhook-subscription';

/**
 * One event for one subscription. Its id, derived from (subscription, event), is the
 * `Switchboard-Delivery-Id` the receiver dedupes by; replays keep it. Deliveries with the same
 * `orderKey` (the conversation) for the same subscription go out one at a time in the order of
 * `eventSeq`, then of the `chain_seq` column (an identity the database numbers rows by as they
 * are created). Only the chain's SQL reads `chain_seq` (db/repos/webhooks.ts), so the entity
 * leaves it out: inserts must not name it.
 */
export const WebhookDelivery = defineEntity({
  name: 'WebhookDelivery',
  tableName: 'webhook_deliveries',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk(),
    subscription: p.manyToOne(WebhookSubscription).mapToPk().deleteRule('cascade'),
    eventId: p.uuid(),
    eventType: p.string(),
    /** The event's time (when the workflow emitted it). */
    eventAt: p.datetime(),
    /** The event's place among its conversation's (events/queue.ts, nextEventSeq): µs since the epoch. */
    eventSeq: p.bigint('number'),
    orderKey: p.string().nullable(),
    /** The body's `data`. */
    payload: jsonObject(),
    status: p.enum(WEBHOOK_DELIVERY_STATUSES).default('pending'),
    /** Attempts since the delivery was created or last replayed. */
    attempts: p.integer().default(0),
    nextAttemptAt: p.datetime().nullable(),
    claimedAt: p.datetime().nullable(),
    lastStatusCode: p.integer().nullable(),
    lastLatencyMs: p.integer().nullable(),
    lastError: p.text().nullable(),
    lastResponseExcerpt: p.text().nullable(),
    completedAt: p.datetime().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  // The chain's index (subscription_id, order_key, event_seq, chain_seq) is in its migration.
  indexes: [{ properties: ['tenant', 'status', 'createdAt'] }],
});
export type WebhookDelivery = InferEntity<typeof WebhookDelivery>;
