import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { Author, OutboundMessage } from '../../core/messages';
import { createdAt, jsonObject, uuidPk } from './common';
import { Conversation } from './conversation';
import { Tenant } from './tenant';

export const Message = defineEntity({
  name: 'Message',
  tableName: 'messages',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk(),
    conversation: p.manyToOne(Conversation).mapToPk(),
    direction: p.enum(['in', 'out'] as const),
    author: p.enum(['contact', 'bot', 'agent', 'system'] as const).$type<Author>(),
    text: p.text(),
    nodeId: p.string().nullable(),
    source: p.string().nullable(),
    /** Deterministic key from the workflow: a retried activity stores (and sends) once. */
    idempotencyKey: p.string().unique(),
    /** The channel provider's message id; unique per configured channel. */
    externalId: p.string().nullable(),
    /** The configured channel an external message went out on (or came in through). */
    channelId: p.uuid().nullable(),
    /** Delivery status on external channels: pending → sent → delivered → read, or failed with `error`. */
    status: p.string().length(16).nullable(),
    error: p.text().nullable(),
    promptTokens: p.integer().default(0),
    completionTokens: p.integer().default(0),
    costUsd: p.decimal('number').precision(14).scale(8).default(0),
    model: p.string().nullable(),
    citations: p.json<NonNullable<OutboundMessage['citations']>>().nullable(),
    metadata: jsonObject(),
    createdAt: createdAt(),
  },
  // Conversation history is read in (createdAt, id) order with a keyset cursor.
  indexes: [{ properties: ['conversation', 'createdAt', 'id'] }, { properties: ['tenant', 'createdAt'] }],
});
export type Message = InferEntity<typeof Message>;
