import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { WeeklyHours } from '../../core/scheduling/types';
import { createdAt, updatedAt, uuidPk } from './common';
import { Location } from './location';
import { Tenant } from './tenant';

/** A room, table, chair… a booking may need, with its own weekly hours. */
export const Resource = defineEntity({
  name: 'Resource',
  tableName: 'resources',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk().index(),
    location: p.manyToOne(Location).mapToPk().deleteRule('cascade'),
    name: p.text(),
    kind: p.enum(['room', 'table', 'chair', 'other'] as const).default('other'),
    weeklyHours: p.json<WeeklyHours>(),
    active: p.boolean().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type Resource = InferEntity<typeof Resource>;
