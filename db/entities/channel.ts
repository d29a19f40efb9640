import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { ChannelType } from '../../core/channels';
import { createdAt, jsonObject, updatedAt, uuidPk } from './common';
import { Flow } from './flow';
import { Tenant } from './tenant';

/**
 * A tenant's connection to a provider (a WhatsApp number, a Facebook page, a Twilio number, a
 * mailbox, a web-chat widget). Credentials are one AES-256-GCM blob (db/secrets.ts); the API only
 * ever says which credential fields are set (`credentialFields`), never their values.
 */
export const Channel = defineEntity({
  name: 'Channel',
  tableName: 'channels',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk().index(),
    type: p.string().length(32).$type<ChannelType>(),
    name: p.string(),
    /** New conversations on this channel run the flow's latest published version (pinned at start). */
    flow: p.manyToOne(Flow).mapToPk().nullable().deleteRule('set null'),
    credentialsEncrypted: p.text().nullable().lazy(),
    credentialFields: p.json<string[]>().default('[]'),
    settings: jsonObject(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type Channel = InferEntity<typeof Channel>;
