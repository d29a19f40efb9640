import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAt, uuidPk } from './common';
import { Tenant } from './tenant';
import { WebhookDelivery } from './webhook-delivery';

/** The delivery log: one row per HTTP attempt, with what the receiver answered (or why there was no answer). */
export const WebhookAttempt = defineEntity({
  name: 'WebhookAttempt',
  tableName: 'webhook_attempts',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk(),
    delivery: p.manyToOne(WebhookDelivery).mapToPk().deleteRule('cascade').index(),
    attempt: p.integer(),
    statusCode: p.integer().nullable(),
    latencyMs: p.integer(),
    responseExcerpt: p.text().nullable(),
    error: p.text().nullable(),
    createdAt: createdAt(),
  },
});
export type WebhookAttempt = InferEntity<typeof WebhookAttempt>;
