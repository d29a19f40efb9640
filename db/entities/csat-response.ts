import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { CSAT_SCALES } from '../../core/csat';
import type { Channel } from '../../core/messages';
import { createdAt, uuidPk } from './common';
import { Contact } from './contact';
import { Conversation } from './conversation';
import { Tenant } from './tenant';

/**
 * One rating a contact gave at a `csat` node. `score` is 1–5 whatever the scale (thumbs up 5,
 * down 1); `answer` is what the contact wrote or tapped. Written by the `recordCsat` activity,
 * once per `idempotency_key` (the node's delivery key), so a retried activity stores it once.
 */
export const CsatResponse = defineEntity({
  name: 'CsatResponse',
  tableName: 'csat_responses',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk(),
    conversation: p.manyToOne(Conversation).mapToPk().deleteRule('cascade').index(),
    contact: p.manyToOne(Contact).mapToPk().deleteRule('cascade').nullable().index(),
    flowId: p.uuid(),
    flowVersion: p.integer(),
    nodeId: p.string(),
    channel: p.string().$type<Channel>(),
    scale: p.enum(CSAT_SCALES),
    score: p.smallint(),
    answer: p.text(),
    comment: p.text().nullable(),
    idempotencyKey: p.text(),
    createdAt: createdAt(),
  },
  uniques: [{ properties: ['tenant', 'idempotencyKey'] }],
  indexes: [{ properties: ['tenant', 'createdAt'] }],
});
export type CsatResponse = InferEntity<typeof CsatResponse>;
