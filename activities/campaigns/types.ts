/** The `campaign` workflow's activities (activities/campaigns/): signatures shared with the workflow. */
import type { CampaignAction, CampaignBrief, CampaignChannel, CampaignCounts, CampaignStatus, CampaignVariant } from '../../core/campaigns';

export interface CampaignRef {
  tenantId: string;
  campaignId: string;
}

/** What the workflow needs of the campaign row. */
export interface CampaignSnapshot {
  status: CampaignStatus;
  sendAt: string | null;
  ratePerSecond: Partial<Record<CampaignChannel, number>>;
  winnerVariant: string | null;
  /** null: no A/B test (or one variant). */
  abWaitMinutes: number | null;
}

export interface CampaignTransition extends CampaignRef {
  action: CampaignAction;
  /** Who asked: a user id, or 'system' for the workflow's own steps. */
  by: string;
  comment?: string;
  ratePerSecond?: Partial<Record<CampaignChannel, number>>;
  /** The status resume goes back to. */
  resumeTo?: CampaignStatus;
  /** Failures: why. */
  error?: string;
}

export interface SendPageResult {
  /** Rows this page took (sent, failed or deferred). */
  claimed: number;
  counts: CampaignCounts;
  /** The earliest deferred recipient's send time when nothing is due now. */
  nextSendAfter: string | null;
}

export interface CampaignLifecycleActivities {
  /** The campaign as the workflow starts: status and schedule. */
  loadCampaign(input: CampaignRef): Promise<CampaignSnapshot>;
  /** Writes a status change (who, when, the audience snapshot on approval) and emits its event. */
  transitionCampaign(input: CampaignTransition): Promise<CampaignSnapshot>;
}

export interface CampaignSendingActivities {
  /** One keyset page of the audience → recipient rows (channel, eligibility, variant or held). */
  materializeCampaignPage(input: CampaignRef & { afterContactId: string | null; limit: number }): Promise<{ afterContactId: string | null; done: boolean; counts: CampaignCounts }>;
  /** Claims due recipients, stores and sends their message; heartbeats per recipient. */
  sendCampaignPage(input: CampaignRef & { limit: number; ratePerSecond: Partial<Record<CampaignChannel, number>> }): Promise<SendPageResult>;
  /** A/B: the variant with the best reply or click rate; the held rest get it. */
  decideCampaignWinner(input: CampaignRef): Promise<{ winnerVariant: string; counts: CampaignCounts }>;
}

export interface CampaignGenerateActivities {
  /** Writes generated variants on the campaign (brand voice, limits: campaigns/content). */
  generateCampaignVariants(input: CampaignRef & { brief?: CampaignBrief; channelsOnly?: CampaignChannel[] }): Promise<{ variants: CampaignVariant[] }>;
}

export type CampaignActivities = CampaignLifecycleActivities & CampaignSendingActivities & CampaignGenerateActivities;
