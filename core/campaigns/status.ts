/** A campaign's life (the `campaign` workflow, workflows/campaign.ts) and each recipient's. */
export const CAMPAIGN_STATUSES = [
  'draft',
  'generating',
  'awaiting_approval',
  'changes_requested',
  'scheduled',
  'sending',
  'paused',
  'completed',
  'cancelled',
  'failed',
] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** Content and audience may be edited only in these. */
export const EDITABLE_CAMPAIGN_STATUSES: readonly CampaignStatus[] = ['draft', 'changes_requested'];
export const FINAL_CAMPAIGN_STATUSES: readonly CampaignStatus[] = ['completed', 'cancelled', 'failed'];

/**
 * pending: materialized, not sent yet · deferred: waiting out quiet hours in the recipient's zone ·
 * held: in the A/B remainder until the winner is known · sent / delivered / read: as the provider
 * reports · failed: refused, with the provider's reason · skipped: never sent, with a SkipReason ·
 * cancelled: the campaign was cancelled before it reached them.
 */
export const RECIPIENT_STATUSES = ['pending', 'deferred', 'held', 'sent', 'delivered', 'read', 'failed', 'skipped', 'cancelled'] as const;
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number];
