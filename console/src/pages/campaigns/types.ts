/**
 * What the campaign pages read from the API (core/api/campaigns.ts and core/campaigns/), the routes
 * of audiences and content they call, and the labels and tones they show statuses with.
 */
import type { z } from 'zod';
import type { CampaignDto, CampaignPreview, CampaignResults, CampaignStateDto, patchCampaignBody, ResultCounts } from '../../../../core/api/campaigns';
import type { CampaignBrief, CampaignChannel, CampaignStatus, CampaignVariant, CampaignVideo, SegmentFilter, VariantContent } from '../../../../core/campaigns';
import type { Tone } from '../../ui';

export type Campaign = CampaignDto;
export type CampaignState = CampaignStateDto;
export type Results = CampaignResults;
export type Counts = ResultCounts;
export type Preview = CampaignPreview;
export type CampaignPatch = z.infer<typeof patchCampaignBody>;
export type { CampaignBrief, CampaignChannel, CampaignStatus, CampaignVariant, CampaignVideo, SegmentFilter, VariantContent };
export { CAMPAIGN_CHANNELS, EDITABLE_CAMPAIGN_STATUSES, FINAL_CAMPAIGN_STATUSES, MESSENGER_TAGS, SKIP_REASONS } from '../../../../core/campaigns';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A saved segment (GET /v1/segments). */
export interface Segment {
  id: string;
  name: string;
  description?: string | null;
  filter: SegmentFilter;
}
/** POST /v1/segments/count. */
export interface AudienceCount {
  total: number;
  reachable: Record<CampaignChannel, number>;
}
export interface BrandVoice {
  id: string;
  name: string;
  isDefault?: boolean;
}
export interface ContactSummary {
  id: string;
  name: string | null;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
}
export interface ChannelSummary {
  id: string;
  type: string;
  name: string;
}
export interface FlowSummary {
  id: string;
  name: string;
  latestVersion: number | null;
}

export const CHANNEL_LABELS: Record<CampaignChannel, string> = { sms: 'SMS', whatsapp: 'WhatsApp', email: 'Email', messenger: 'Messenger' };

export const STATUS_LABELS: Record<CampaignStatus, string> = {
  draft: 'Draft',
  generating: 'Generating',
  awaiting_approval: 'Awaiting approval',
  changes_requested: 'Changes requested',
  scheduled: 'Scheduled',
  sending: 'Sending',
  paused: 'Paused',
  completed: 'Completed',
  cancelled: 'Cancelled',
  failed: 'Failed',
};

export const STATUS_TONES: Record<CampaignStatus, Tone> = {
  draft: 'neutral',
  generating: 'info',
  awaiting_approval: 'warning',
  changes_requested: 'warning',
  scheduled: 'info',
  sending: 'info',
  paused: 'warning',
  completed: 'success',
  cancelled: 'neutral',
  failed: 'danger',
};

export const SKIP_LABELS = { no_consent: 'No consent', no_address: 'No address', opted_out: 'Opted out' } as const;

/** Statuses whose progress moves on its own: the campaign page polls while in one. */
export const LIVE_STATUSES: readonly CampaignStatus[] = ['generating', 'scheduled', 'sending', 'paused'];

export const isEditable = (status: CampaignStatus) => status === 'draft' || status === 'changes_requested';

/** The campaign as the wizard's PATCH body: what the marketer edits, nothing the workflow owns. */
export function editableFields(c: Campaign): CampaignPatch {
  return {
    name: c.name,
    brief: c.brief,
    channels: c.channels,
    channelIds: c.channelIds,
    segmentId: c.segmentId,
    flowId: c.flowId,
    sendAt: c.sendAt,
    ...(c.timezone ? { timezone: c.timezone } : {}),
    quietHours: c.quietHours,
    ratePerSecond: c.ratePerSecond,
    abTest: c.abTest,
    ...(c.variants.length ? { variants: c.variants } : {}),
  };
}

export const browserTimezone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
