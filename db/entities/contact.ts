import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { Channel } from '../../core/messages';
import { createdAt, jsonObject, uuidPk } from './common';
import { Tenant } from './tenant';

export const Contact = defineEntity({
  name: 'Contact',
  tableName: 'contacts',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk(),
    channel: p.string().$type<Channel>(),
    /** The channel's own id for the person (phone number, page-scoped id, session id…). */
    externalId: p.string().nullable(),
    name: p.string().nullable(),
    email: p.string().nullable(),
    phone: p.string().nullable(),
    attributes: jsonObject(),
    createdAt: createdAt(),
  },
  uniques: [{ properties: ['tenant', 'channel', 'externalId'] }],
});
export type Contact = InferEntity<typeof Contact>;
