import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { CampaignBrief, CampaignChannel, CampaignVariant, SegmentFilter } from '../../core/campaigns';
import { CAMPAIGN_STATUSES } from '../../core/campaigns';
import { createdAt, jsonObject, updatedAt, uuidPk } from './common';
import { Tenant } from './tenant';

export interface QuietHours {
  /** Local 'HH:MM' in the recipient's timezone (else the campaign's); may wrap midnight. */
  start: string;
  end: string;
}
export interface AbTestSettings {
  /** Share of the audience (%) split evenly across the variants; the rest gets the winner. */
  sharePercent: number;
  metric: 'reply' | 'click';
  waitMinutes: number;
}

/**
 * A campaign: content, audience, schedule and the state its `campaign` workflow
 * (workflows/campaign.ts) writes. Only the workflow's activities change `status`.
 */
export const Campaign = defineEntity({
  name: 'Campaign',
  tableName: 'campaigns',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk(),
    name: p.text(),
    status: p.enum(CAMPAIGN_STATUSES).default('draft'),
    brief: p.json<CampaignBrief>().nullable(),
    variants: p.json<CampaignVariant[]>().default('[]'),
    /** Priority order: a recipient gets one message, on the first channel they are eligible on. */
    channels: p.array<CampaignChannel>().$type<CampaignChannel[]>(),
    channelIds: jsonObject<Partial<Record<CampaignChannel, string>>>(),
    segmentId: p.uuid().nullable(),
    /** The audience as approved: the segment's filter is copied here, so later edits of the segment do not change a campaign under way. */
    audienceFilter: p.json<SegmentFilter>().nullable(),
    flowId: p.uuid().nullable(),
    sendAt: p.datetime().nullable(),
    timezone: p.string().nullable(),
    quietHours: p.json<QuietHours>().nullable(),
    ratePerSecond: jsonObject<Partial<Record<CampaignChannel, number>>>(),
    abTest: p.json<AbTestSettings>().nullable(),
    winnerVariant: p.string().nullable(),
    createdBy: p.string().nullable(),
    submittedBy: p.string().nullable(),
    submittedAt: p.datetime().nullable(),
    approvedBy: p.string().nullable(),
    approvedAt: p.datetime().nullable(),
    changesRequested: p.json<{ by: string; at: string; comment: string }>().nullable(),
    workflowId: p.string().nullable(),
    startedAt: p.datetime().nullable(),
    completedAt: p.datetime().nullable(),
    error: p.text().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type Campaign = InferEntity<typeof Campaign>;
