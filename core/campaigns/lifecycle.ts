/**
 * Which action moves a campaign from which status (workflows/campaign.ts asks before it writes
 * anything, so a refused update leaves no trace in the history), and who may approve. Pure.
 */
import type { SkipReason } from './consent';
import type { CampaignStatus } from './status';

export const CAMPAIGN_ACTIONS = ['generate', 'submit', 'approve', 'requestChanges', 'send', 'pause', 'resume', 'changeRate', 'cancel', 'complete', 'fail'] as const;
export type CampaignAction = (typeof CAMPAIGN_ACTIONS)[number];

const FROM: Record<CampaignAction, readonly CampaignStatus[]> = {
  generate: ['draft', 'changes_requested'],
  submit: ['draft', 'changes_requested'],
  approve: ['awaiting_approval'],
  requestChanges: ['awaiting_approval'],
  send: ['scheduled'],
  pause: ['scheduled', 'sending'],
  resume: ['paused'],
  changeRate: ['draft', 'changes_requested', 'awaiting_approval', 'scheduled', 'sending', 'paused'],
  cancel: ['draft', 'generating', 'awaiting_approval', 'changes_requested', 'scheduled', 'sending', 'paused'],
  complete: ['sending'],
  fail: ['draft', 'generating', 'awaiting_approval', 'changes_requested', 'scheduled', 'sending', 'paused'],
};

/** Roles that may approve a campaign or send it back (api/plugins/roles.ts says the same for the routes). */
export const CAMPAIGN_APPROVER_ROLES = ['admin', 'approver'] as const;

/** null when allowed, else why not (the update's refusal). */
export function refuseAction(action: CampaignAction, status: CampaignStatus): string | null {
  return FROM[action].includes(status) ? null : `cannot ${action} a campaign that is ${status.replace('_', ' ')}`;
}

/** The webhook event a transition emits (core/webhooks.ts), if any. */
export const CAMPAIGN_EVENTS = {
  submitted: 'campaign.submitted',
  approved: 'campaign.approved',
  changes_requested: 'campaign.changes_requested',
  scheduled: 'campaign.scheduled',
  sending: 'campaign.sending',
  paused: 'campaign.paused',
  resumed: 'campaign.resumed',
  completed: 'campaign.completed',
  cancelled: 'campaign.cancelled',
  failed: 'campaign.failed',
} as const;
export type CampaignEventType = (typeof CAMPAIGN_EVENTS)[keyof typeof CAMPAIGN_EVENTS];

/** Recipient counts of a campaign, from its recipients table (delivered and read count as sent). */
export interface CampaignCounts {
  targeted: number;
  materialized: number;
  sent: number;
  failed: number;
  skipped: Record<SkipReason, number>;
  deferred: number;
  pending: number;
  held: number;
  cancelled: number;
}
