import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { SegmentFilter } from '../../core/campaigns';
import { createdAt, updatedAt, uuidPk } from './common';
import { Tenant } from './tenant';

/** A saved filter over the tenant's contacts (core/campaigns/segments.ts), compiled to SQL by db/repos/segments.ts. */
export const Segment = defineEntity({
  name: 'Segment',
  tableName: 'segments',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk(),
    name: p.text(),
    description: p.text().nullable(),
    filter: p.json<SegmentFilter>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type Segment = InferEntity<typeof Segment>;
