import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { CAMPAIGN_CHANNELS, RECIPIENT_STATUSES, SKIP_REASONS } from '../../core/campaigns';
import { Campaign } from './campaign';
import { createdAt, uuidPk } from './common';
import { Contact } from './contact';
import { Tenant } from './tenant';

/**
 * One contact targeted by a campaign, materialized from the audience before sending. The
 * idempotency key (`campaign:contact:channel`) is unique: however often materialization or a send
 * page runs again, a contact has one row and is sent at most once.
 */
export const CampaignRecipient = defineEntity({
  name: 'CampaignRecipient',
  tableName: 'campaign_recipients',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk(),
    campaign: p.manyToOne(Campaign).mapToPk().deleteRule('cascade'),
    contact: p.manyToOne(Contact).mapToPk().deleteRule('cascade'),
    /** null when skipped on every channel (no channel to send on). */
    channel: p.enum(CAMPAIGN_CHANNELS).nullable(),
    channelId: p.uuid().nullable(),
    address: p.string().nullable(),
    variant: p.string().nullable(),
    status: p.enum(RECIPIENT_STATUSES).default('pending'),
    skipReason: p.enum(SKIP_REASONS).nullable(),
    idempotencyKey: p.string().unique(),
    conversationId: p.uuid().nullable(),
    messageId: p.uuid().nullable(),
    error: p.text().nullable(),
    sendAfter: p.datetime().nullable(),
    sentAt: p.datetime().nullable(),
    deliveredAt: p.datetime().nullable(),
    readAt: p.datetime().nullable(),
    failedAt: p.datetime().nullable(),
    repliedAt: p.datetime().nullable(),
    clickedAt: p.datetime().nullable(),
    optedOutAt: p.datetime().nullable(),
    createdAt: createdAt(),
  },
});
export type CampaignRecipient = InferEntity<typeof CampaignRecipient>;
