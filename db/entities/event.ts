import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAt, jsonObject, uuidPk } from './common';
import { Tenant } from './tenant';

/** Analytics sink: every platform event, as the events queue delivered it. */
export const Event = defineEntity({
  name: 'Event',
  tableName: 'events',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk(),
    type: p.string(),
    workflowId: p.string(),
    data: jsonObject(),
    createdAt: createdAt(),
  },
  indexes: [{ properties: ['tenant', 'type', 'createdAt'] }],
});
export type Event = InferEntity<typeof Event>;
