import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { CAMPAIGN_CHANNELS, CONSENT_METHODS, CONSENT_STATUSES } from '../../core/campaigns';
import { updatedAt, uuidPk } from './common';
import { Contact } from './contact';
import { Tenant } from './tenant';

/** A contact's consent on one campaign channel: opted in (when, from where) or opted out (when, how). */
export const ContactConsent = defineEntity({
  name: 'ContactConsent',
  tableName: 'contact_consents',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk(),
    contact: p.manyToOne(Contact).mapToPk().deleteRule('cascade'),
    channel: p.enum(CAMPAIGN_CHANNELS),
    status: p.enum(CONSENT_STATUSES),
    method: p.enum(CONSENT_METHODS),
    source: p.text().nullable(),
    optedInAt: p.datetime().nullable(),
    optedOutAt: p.datetime().nullable(),
    updatedAt: updatedAt(),
  },
  uniques: [{ properties: ['contact', 'channel'] }],
});
export type ContactConsent = InferEntity<typeof ContactConsent>;
