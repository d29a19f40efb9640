import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { LocalInterval } from '../../core/scheduling/types';
import { createdAt, uuidPk } from './common';
import { Location } from './location';
import { Resource } from './resource';
import { StaffMember } from './staff-member';
import { Tenant } from './tenant';

/**
 * One local date whose hours differ: for a whole location (a holiday), a staff member or a
 * resource. Closed, or open only `hours` (replacing the weekly hours; for a location, cutting everyone's).
 */
export const AvailabilityException = defineEntity({
  name: 'AvailabilityException',
  tableName: 'availability_exceptions',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk().index(),
    location: p.manyToOne(Location).mapToPk().nullable().deleteRule('cascade'),
    staff: p.manyToOne(StaffMember).mapToPk().nullable().deleteRule('cascade'),
    resource: p.manyToOne(Resource).mapToPk().nullable().deleteRule('cascade'),
    /** Local date `YYYY-MM-DD` in the location's timezone. */
    date: p.string().length(10),
    closed: p.boolean().default(true),
    hours: p.json<LocalInterval[]>(),
    reason: p.text().default(''),
    createdAt: createdAt(),
  },
});
export type AvailabilityException = InferEntity<typeof AvailabilityException>;
