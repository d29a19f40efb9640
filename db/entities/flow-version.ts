import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { ValidGraph } from '../../core/graph/schema';
import { uuidPk } from './common';
import { Flow } from './flow';
import { Tenant } from './tenant';

/**
 * A published, immutable snapshot of a flow graph. Runs pin a version. Immutability is enforced
 * twice: the repository only inserts, and a database trigger rejects UPDATE (see the migration).
 */
export const FlowVersion = defineEntity({
  name: 'FlowVersion',
  tableName: 'flow_versions',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk().index(),
    flow: p.manyToOne(Flow).mapToPk(),
    version: p.integer(),
    graph: p.json<ValidGraph>(),
    note: p.text().nullable(),
    /** Who published it: a user's email, or `api-key:<name>`. */
    createdBy: p.string().length(320).nullable(),
    publishedAt: p.datetime().onCreate(() => new Date()).defaultRaw('now()'),
  },
  uniques: [{ properties: ['flow', 'version'] }],
});
export type FlowVersion = InferEntity<typeof FlowVersion>;
