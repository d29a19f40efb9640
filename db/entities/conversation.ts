import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { CONVERSATION_STATUSES } from '../../core/conversations';
import type { Channel } from '../../core/messages';
import type { ValidGraph } from '../../core/graph/schema';
import { createdAt, jsonObject, updatedAt, uuidPk } from './common';
import { Contact } from './contact';
import { Flow } from './flow';
import { Tenant } from './tenant';

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
    /** The configured channel (db/entities/channel.ts) an external conversation runs on. */
    channelId: p.uuid().nullable(),
    /** Which conversation within the channel: the contact's address, or an email thread's root id. */
    threadKey: p.string().nullable(),
    /** Provider context passed back to the adapter on every send (email subject, references…). */
    thread: jsonObject(),
    /** When the contact last wrote: WhatsApp's 24-hour customer-service window. */
    lastInboundAt: p.datetime().nullable(),
    status: p.enum(CONVERSATION_STATUSES).default('bot'),
    workflowId: p.string().unique(),
    variables: jsonObject(),
    currentNodeId: p.string().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    lastMessageAt: p.datetime().onCreate(() => new Date()).defaultRaw('now()'),
    /** A "Try it" conversation on a draft: left out of lists, counts and webhooks. */
    isTest: p.boolean().default(false),
    /** The draft graph a test conversation runs (version 0), to start it again after it closed. */
    testGraph: p.json<ValidGraph>().nullable().lazy(),
    /** Who took the conversation over (shown in the inbox); cleared on release. */
    assignedAgent: p.string().length(200).nullable(),
  },
  // The inbox lists a tenant's conversations by status, most recent first.
  indexes: [
    { properties: ['tenant', 'status', 'lastMessageAt'] },
    { properties: ['tenant', 'lastMessageAt'] },
    { properties: ['tenant', 'isTest', 'lastMessageAt'] },
  ],
});
export type Conversation = InferEntity<typeof Conversation>;
