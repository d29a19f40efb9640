import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAt, updatedAt, uuidPk } from './common';
import { Location } from './location';
import { Tenant } from './tenant';

/**
 * Something bookable: its duration, buffers, seats (capacity > 1 is a group session), slot grid,
 * notice and horizon, and who can deliver it (staff and/or resources, by id).
 */
export const Service = defineEntity({
  name: 'Service',
  tableName: 'services',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk().index(),
    location: p.manyToOne(Location).mapToPk().deleteRule('cascade'),
    name: p.text(),
    description: p.text().default(''),
    durationMinutes: p.integer(),
    bufferBeforeMinutes: p.integer().default(0),
    bufferAfterMinutes: p.integer().default(0),
    priceCents: p.integer().nullable(),
    currency: p.string().length(3).default('EUR'),
    capacity: p.integer().default(1),
    slotIntervalMinutes: p.integer().default(30),
    minNoticeMinutes: p.integer().default(0),
    maxHorizonDays: p.integer().default(90),
    staffIds: p.json<string[]>(),
    resourceIds: p.json<string[]>(),
    active: p.boolean().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type Service = InferEntity<typeof Service>;
