import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { Graph } from '../../core/graph/schema';
import { createdAt, updatedAt, uuidPk } from './common';
import { Tenant } from './tenant';

export const Flow = defineEntity({
  name: 'Flow',
  tableName: 'flows',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk().index(),
    name: p.string(),
    description: p.text().nullable(),
    /** Work in progress from the builder: only structurally valid; publishing validates fully. */
    draft: p.json<Graph>(),
    /** `assistant`: the tenant's marketing assistant (its graph is built in code), kept out of the flow list and the builder. */
    kind: p.string().length(16).$type<'flow' | 'assistant'>().default('flow'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type Flow = InferEntity<typeof Flow>;
