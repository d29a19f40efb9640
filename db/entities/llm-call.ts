import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAt, uuidPk } from './common';
import { Conversation } from './conversation';
import { Tenant } from './tenant';

/** One chat-completion attempt against one provider: usage, cost and latency accounting. */
export const LlmCall = defineEntity({
  name: 'LlmCall',
  tableName: 'llm_calls',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk(),
    workflowId: p.string(),
    conversation: p.manyToOne(Conversation).mapToPk().nullable().index(),
    nodeId: p.string(),
    provider: p.string(),
    model: p.string(),
    promptTokens: p.integer().default(0),
    completionTokens: p.integer().default(0),
    costUsd: p.decimal('number').precision(14).scale(8).default(0),
    latencyMs: p.integer(),
    ok: p.boolean(),
    error: p.text().nullable(),
    createdAt: createdAt(),
  },
  indexes: [{ properties: ['tenant', 'createdAt'] }],
});
export type LlmCall = InferEntity<typeof LlmCall>;
