import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAt, updatedAt, uuidPk } from './common';
import { Tenant } from './tenant';

/**
 * A tenant's outbound webhook endpoint: which event types go to which URL, signed with a secret
 * that is stored encrypted (db/secrets.ts) and shown only when created or rotated.
 */
export const WebhookSubscription = defineEntity({
  name: 'WebhookSubscription',
  tableName: 'webhook_subscriptions',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk().index(),
    url: p.text(),
    eventTypes: p.json<string[]>(),
    description: p.text().default(''),
    secretEncrypted: p.text().lazy(),
    enabled: p.boolean().default(true),
    /** `gone` (the receiver answered 410) or `failing` (too many consecutive dead deliveries); null when enabled by hand. */
    disabledReason: p.text().nullable(),
    /** Dead deliveries since the last success; reaching WEBHOOK_DISABLE_AFTER_DEAD disables the subscription. */
    consecutiveDead: p.integer().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type WebhookSubscription = InferEntity<typeof WebhookSubscription>;
