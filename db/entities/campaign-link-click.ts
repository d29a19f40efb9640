import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Campaign } from './campaign';
import { CampaignRecipient } from './campaign-recipient';
import { createdAt, uuidPk } from './common';
import { Tenant } from './tenant';

/** One click on a recipient's tracked link (GET /l/:token). */
export const CampaignLinkClick = defineEntity({
  name: 'CampaignLinkClick',
  tableName: 'campaign_link_clicks',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk(),
    campaign: p.manyToOne(Campaign).mapToPk().deleteRule('cascade'),
    recipient: p.manyToOne(CampaignRecipient).mapToPk().deleteRule('cascade'),
    url: p.text(),
    clickedAt: createdAt(),
    userAgent: p.text().nullable(),
  },
});
export type CampaignLinkClick = InferEntity<typeof CampaignLinkClick>;
