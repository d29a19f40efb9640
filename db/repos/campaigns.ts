/**
 * The campaign row as the `campaign` workflow changes it: status transitions with who and when,
 * the audience snapshot on approval, and recipient counts. `em` is tenant-scoped (tenantEm).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { EVERYONE_FILTER, SKIP_REASONS, type CampaignCounts, type SegmentFilter, type SkipReason } from '../../core/campaigns';
import { notFound } from '../../core/errors';
import { Campaign } from '../entities';

export async function getCampaign(em: EntityManager, campaignId: string): Promise<Campaign> {
  const row = await em.findOne(Campaign, { id: campaignId });
  if (!row) throw notFound('campaign', 'campaignId');
  return row;
}

/** The audience as of now: the segment's filter, else the campaign's own, else everyone. */
export async function audienceSnapshot(em: EntityManager, tenantId: string, campaign: Campaign): Promise<SegmentFilter> {
  if (!campaign.segmentId) return campaign.audienceFilter ?? EVERYONE_FILTER;
  const rows = await em.getConnection().execute<{ filter: SegmentFilter }[]>(`select filter from segments where id = ? and tenant_id = ?`, [campaign.segmentId, tenantId]);
  if (!rows[0]) throw notFound('segment', 'segmentId');
  return rows[0].filter;
}

/** Recipients not reached yet stop here: the campaign was cancelled before them. */
export async function cancelOutstandingRecipients(em: EntityManager, campaignId: string): Promise<void> {
  await em.getConnection().execute(`update campaign_recipients set status = 'cancelled' where campaign_id = ? and status in ('pending', 'deferred', 'held')`, [campaignId]);
}

/** One grouped scan of the campaign's rows ((campaign_id, status) index). Delivered and read count as sent. */
export async function recipientCounts(em: EntityManager, campaignId: string): Promise<CampaignCounts> {
  const rows = await em.getConnection().execute<{ status: string; skip_reason: SkipReason | null; n: string }[]>(
    `select status, skip_reason, count(*) as n from campaign_recipients where campaign_id = ? group by 1, 2`,
    [campaignId],
  );
  const c: CampaignCounts = { targeted: 0, materialized: 0, sent: 0, failed: 0, skipped: Object.fromEntries(SKIP_REASONS.map((r) => [r, 0])) as Record<SkipReason, number>, deferred: 0, pending: 0, held: 0, cancelled: 0 };
  for (const r of rows) {
    const n = Number(r.n);
    c.materialized += n;
    if (r.status === 'sent' || r.status === 'delivered' || r.status === 'read') c.sent += n;
    else if (r.status === 'skipped' && r.skip_reason) c.skipped[r.skip_reason] += n;
    else if (r.status === 'failed' || r.status === 'pending' || r.status === 'deferred' || r.status === 'held' || r.status === 'cancelled') c[r.status] += n;
  }
  c.targeted = c.materialized;
  return c;
}

/** The tenant's timezone for campaigns without one: its first location's, else UTC. */
export async function tenantTimezone(em: EntityManager, tenantId: string): Promise<string> {
  const [row] = await em.getConnection().execute<{ timezone: string }[]>(`select timezone from locations where tenant_id = ? order by created_at limit 1`, [tenantId]);
  return row?.timezone ?? 'UTC';
}

/** The tenant's channel of a type for a campaign that names none: the oldest one. */
export async function defaultChannelIds(em: EntityManager, tenantId: string): Promise<Record<string, string>> {
  const rows = await em.getConnection().execute<{ type: string; id: string }[]>(`select distinct on (type) type, id from channels where tenant_id = ? order by type, created_at`, [tenantId]);
  return Object.fromEntries(rows.map((r) => [r.type, r.id]));
}
