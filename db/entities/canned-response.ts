import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAt, updatedAt, uuidPk } from './common';
import { Tenant } from './tenant';

/** A reply agents insert by its shortcut (`/hours`) in the inbox. */
export const CannedResponse = defineEntity({
  name: 'CannedResponse',
  tableName: 'canned_responses',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk(),
    shortcut: p.string().length(64),
    text: p.text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  uniques: [{ properties: ['tenant', 'shortcut'] }],
});
export type CannedResponse = InferEntity<typeof CannedResponse>;
