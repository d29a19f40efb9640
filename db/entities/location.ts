import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAt, updatedAt, uuidPk } from './common';
import { Tenant } from './tenant';

/** A place where services are delivered; its IANA timezone is the one weekly hours are read in. */
export const Location = defineEntity({
  name: 'Location',
  tableName: 'locations',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk().index(),
    name: p.text(),
    timezone: p.string(),
    address: p.text().default(''),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type Location = InferEntity<typeof Location>;
