/**
 * What the assistant's tools read, through the queries the analytics and campaign pages use
 * (db/repos/analytics.ts, db/repos/campaign-results.ts), always on the tenant-scoped
 * EntityManager or with `tenant_id` named in raw SQL. The assistant module's one database file.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { isTimeZone, type AnalyticsBreakdown, type AnalyticsFigures } from '../core/api/analytics';
import type { ResultCounts } from '../core/api/campaigns';
import type { Channel } from '../core/channels';
import type { CampaignStatus } from '../core/campaigns';
import { Campaign, Tenant } from '../db/entities';
import { tenantEm } from '../db/orm';
import { analyticsBreakdown, analyticsOverview } from '../db/repos/analytics';
import { campaignResults, FUNNEL_COUNTS, toCounts } from '../db/repos/campaign-results';
import type { MenuItem, MenuMatrix } from '../core/menu/types';
import { presenceStore, type AuditRow } from '../presence/store';
import { listMenuItems, menuMatrixFor, salesByWeekday, salesSpan, topItems, type RankedItem, type Ranking, type WeekdaySales } from '../menu/store';

export interface TenantClock {
  name: string;
  timezone: string;
}

export async function tenantClock(orm: MikroORM, tenantId: string): Promise<TenantClock> {
  const tenant = await tenantEm(orm, tenantId).findOneOrFail(Tenant, { id: tenantId });
  const zone = tenant.settings.timezone;
  return { name: tenant.name, timezone: zone && isTimeZone(zone) ? zone : 'UTC' };
}

/** Whether the tenant has a model configured (offline then means its month's tokens are used up). */
export async function hasModel(orm: MikroORM, tenantId: string): Promise<boolean> {
  return Boolean((await tenantEm(orm, tenantId).findOneOrFail(Tenant, { id: tenantId })).settings.llm);
}

export interface Range {
  from: string;
  to: string;
  timezone: string;
}

export async function overviewTotals(orm: MikroORM, tenantId: string, range: Range, channel?: Channel): Promise<AnalyticsFigures> {
  const overview = await analyticsOverview(tenantEm(orm, tenantId), { tenantId, ...range, ...(channel ? { channel } : {}) }, 'day');
  return overview.totals;
}

export async function byChannel(orm: MikroORM, tenantId: string, range: Range): Promise<AnalyticsBreakdown['rows']> {
  return (await analyticsBreakdown(tenantEm(orm, tenantId), { tenantId, ...range }, 'channel')).rows;
}

export interface CampaignSummary {
  id: string;
  name: string;
  status: CampaignStatus;
  channels: string[];
  startedAt: string | null;
  completedAt: string | null;
  sendAt: string | null;
  createdAt: string;
  counts: Pick<ResultCounts, 'targeted' | 'sent' | 'delivered' | 'read' | 'replied' | 'clicked' | 'failed' | 'optedOut'>;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** Campaigns most recently started (or created, before they start) first, with their funnel counts. */
export async function listCampaigns(orm: MikroORM, tenantId: string, opts: { status?: CampaignStatus; limit: number; nameLike?: string }): Promise<CampaignSummary[]> {
  const em = tenantEm(orm, tenantId);
  const rows = await em.find(
    Campaign,
    { ...(opts.status ? { status: opts.status } : {}), ...(opts.nameLike ? { name: { $ilike: `%${opts.nameLike.replace(/[\\%_]/g, (c) => `\\${c}`)}%` } } : {}) },
    { orderBy: { startedAt: 'desc nulls last', createdAt: 'desc', id: 'asc' }, limit: opts.limit, fields: ['id', 'name', 'status', 'channels', 'startedAt', 'completedAt', 'sendAt', 'createdAt'] },
  );
  if (!rows.length) return [];
  const counts: Record<string, unknown>[] = await em.getConnection().execute(
    `select campaign_id, count(*) as targeted, ${FUNNEL_COUNTS} from campaign_recipients where tenant_id = ? and campaign_id = any(?::uuid[]) group by campaign_id`,
    [tenantId, `{${rows.map((r) => r.id).join(',')}}`],
  );
  const byId = new Map(counts.map((c) => [String(c.campaign_id), toCounts(c)]));
  return rows.map((c) => {
    const k = byId.get(c.id) ?? toCounts(undefined);
    return {
      id: c.id,
      name: c.name,
      status: c.status,
      channels: c.channels,
      startedAt: iso(c.startedAt),
      completedAt: iso(c.completedAt),
      sendAt: iso(c.sendAt),
      createdAt: c.createdAt.toISOString(),
      counts: { targeted: k.targeted, sent: k.sent, delivered: k.delivered, read: k.read, replied: k.replied, clicked: k.clicked, failed: k.failed, optedOut: k.optedOut },
    };
  });
}

/** The tenant's campaign by id (another tenant's is not found), with its whole results. */
export async function campaignWithResults(orm: MikroORM, tenantId: string, id: string) {
  const em = tenantEm(orm, tenantId);
  const campaign = await em.findOne(Campaign, { id }, { fields: ['id', 'name', 'status', 'startedAt', 'completedAt', 'winnerVariant'] });
  if (!campaign) return null;
  return { campaign: { id: campaign.id, name: campaign.name, status: campaign.status, startedAt: iso(campaign.startedAt), completedAt: iso(campaign.completedAt), winnerVariant: campaign.winnerVariant ?? null }, results: await campaignResults(em, tenantId, id) };
}

/** The names of the tenant's campaigns (for matching a name the owner wrote in a question). */
export async function campaignNames(orm: MikroORM, tenantId: string): Promise<{ id: string; name: string }[]> {
  return tenantEm(orm, tenantId).find(Campaign, {}, { fields: ['id', 'name'], orderBy: { startedAt: 'desc nulls last', createdAt: 'desc' }, limit: 500 });
}

// ---- menu (menu/store.ts, the menu module's reads) ----

export interface MenuRange {
  from: string;
  to: string;
}

export async function menuMatrix(orm: MikroORM, tenantId: string, range: MenuRange & { category?: string }): Promise<{ matrix: MenuMatrix; items: MenuItem[]; span: { first: string; last: string } | null }> {
  const em = tenantEm(orm, tenantId);
  const [matrix, items, span] = await Promise.all([menuMatrixFor(em, tenantId, range), listMenuItems(em, tenantId), salesSpan(em, tenantId)]);
  return { matrix, items, span };
}

export async function rankedMenuItems(orm: MikroORM, tenantId: string, query: MenuRange & { by: Ranking; order: 'top' | 'bottom'; limit: number; category?: string }): Promise<RankedItem[]> {
  return topItems(tenantEm(orm, tenantId), tenantId, query);
}

export async function weekdaySales(orm: MikroORM, tenantId: string, range: MenuRange): Promise<WeekdaySales[]> {
  return salesByWeekday(tenantEm(orm, tenantId), tenantId, range);
}

export async function menuCurrency(orm: MikroORM, tenantId: string): Promise<string | null> {
  return (await listMenuItems(tenantEm(orm, tenantId), tenantId))[0]?.currency ?? null;
}

// ---- the presence grader (presence/store.ts) ----

/** The latest completed audit and the completed one before it of the same site, with their reports. */
export async function latestAudits(orm: MikroORM, tenantId: string): Promise<{ latest: AuditRow; previous: AuditRow | null } | null> {
  const store = presenceStore(orm);
  const [newest] = await store.list(tenantId, { status: 'completed', limit: 1 });
  if (!newest) return null;
  const [latestRow, previousRow] = await store.list(tenantId, { status: 'completed', url: newest.url, limit: 2 });
  const [latest, previous] = await Promise.all([store.get(tenantId, latestRow!.id), previousRow ? store.get(tenantId, previousRow.id) : null]);
  return latest?.report ? { latest, previous: previous?.report ? previous : null } : null;
}
