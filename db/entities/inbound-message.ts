import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAt, updatedAt, uuidPk } from './common';
import { Channel } from './channel';
import { Tenant } from './tenant';

export const INBOUND_STATUSES = ['pending', 'dispatched', 'failed'] as const;
export type InboundStatus = (typeof INBOUND_STATUSES)[number];

/**
 * A provider event, stored before the webhook is answered: the unique (channel, externalId) makes
 * a provider's retries no-ops, and `pending` rows are dispatched to the conversation workflow by
 * the worker (queue + sweeper), so nothing is lost while Temporal or Redis is away.
 */
export const InboundMessage = defineEntity({
  name: 'InboundMessage',
  tableName: 'inbound_messages',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk(),
    channel: p.manyToOne(Channel).mapToPk().deleteRule('cascade'),
    /** The provider's message id (`status:` + id + status for delivery receipts, the change's own id for an `amend`). */
    externalId: p.string(),
    kind: p.enum(['message', 'status', 'amend', 'template'] as const),
    /** The normalized InboundEvent (attachments still remote). */
    payload: p.json<Record<string, unknown>>(),
    status: p.enum(INBOUND_STATUSES).default('pending'),
    attempts: p.integer().default(0),
    error: p.text().nullable(),
    conversationId: p.uuid().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  uniques: [{ properties: ['channel', 'externalId'] }],
});
export type InboundMessage = InferEntity<typeof InboundMessage>;
