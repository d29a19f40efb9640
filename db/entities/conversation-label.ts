import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Conversation } from './conversation';
import { Tenant } from './tenant';

/** A conversation's intent and sentiment, by the model or the offline classifier; deleted with the conversation. */
export const ConversationLabel = defineEntity({
  name: 'ConversationLabel',
  tableName: 'conversation_labels',
  properties: {
    conversation: p.manyToOne(Conversation).mapToPk().primary().deleteRule('cascade'),
    tenant: p.manyToOne(Tenant).mapToPk(),
    /** Null: no intent fits (below the confidence threshold, or the tenant has none). */
    intent: p.string().length(100).nullable(),
    intentConfidence: p.float().nullable(),
    sentiment: p.string().length(16).$type<'positive' | 'neutral' | 'negative'>(),
    /** −1 (most negative) … 1 (most positive). */
    sentimentScore: p.float(),
    labelledBy: p.string().length(16).$type<'model' | 'offline'>(),
    /** What was labelled (last contact message, closed or not): the same input is not labelled twice. */
    inputKey: p.string().length(200),
    labelledAt: p.datetime(),
  },
  indexes: [{ properties: ['tenant', 'labelledAt'] }],
});
export type ConversationLabel = InferEntity<typeof ConversationLabel>;
