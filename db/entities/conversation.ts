import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { Channel } from '../../core/messages';
import { createdAt, jsonObject, updatedAt, uuidPk } from './common';
import { Contact } from './contact';
import { Flow } from './flow';
import { Tenant } from './tenant';

export const CONVERSATION_STATUSES = ['bot', 'waiting', 'human', 'closed'] as const;

export const Conversation = defineEntity({
  name: 'Conversation',
  tableName: 'conversations',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk(),
    flow: p.manyToOne(Flow).mapToPk().index(),
    /** The flow version the conversation's workflow is pinned to. */
    flowVersion: p.integer(),
    contact: p.manyToOne(Contact).mapToPk().nullable().index(),
    channel: p.string().$type<Channel>(),
    status: p.enum(CONVERSATION_STATUSES).default('bot'),
    workflowId: p.string().unique(),
    variables: jsonObject(),
    currentNodeId: p.string().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    lastMessageAt: p.datetime().onCreate(() => new Date()).defaultRaw('now()'),
  },
  // The inbox lists a tenant's conversations by status, most recent first.
  indexes: [{ properties: ['tenant', 'status', 'lastMessageAt'] }, { properties: ['tenant', 'lastMessageAt'] }],
});
export type Conversation = InferEntity<typeof Conversation>;
