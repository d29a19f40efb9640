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
    firstName: p.text().nullable(),
    lastName: p.text().nullable(),
    /** Lower-case. */
    email: p.string().nullable(),
    /** E.164. */
    phone: p.string().nullable(),
    /** Messenger's page-scoped id: the address a Messenger campaign sends to. */
    messengerPsid: p.text().nullable(),
    tags: p.array().default([]),
    /** IANA zone: quiet hours apply in it. */
    timezone: p.text().nullable(),
    locale: p.text().nullable(),
    /** The contact's last inbound message on any channel. */
    lastSeenAt: p.datetime().nullable(),
    /** The CSV's id column or the normalized phone/email: a re-import updates instead of duplicating. */
    importKey: p.text().nullable(),
    attributes: jsonObject(),
    createdAt: createdAt(),
  },
  // import_key's unique index is partial (where not null); it lives in the migration.
  uniques: [{ properties: ['tenant', 'channel', 'externalId'] }],
});
export type Contact = InferEntity<typeof Contact>;
