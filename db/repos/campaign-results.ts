/**
 * A campaign's results, aggregated in the database from its recipients and link clicks: a
 * 100,000-recipient campaign is one scan per figure set, not rows in memory. The per-recipient CSV
 * reads keyset pages in recipient id order (the (campaign, id) index). Raw SQL is not covered by
 * the tenant filter, so every statement names `tenant_id` itself.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CampaignResults, ResultCounts } from '../../core/api/campaigns';
import { CAMPAIGN_CHANNELS, SKIP_REASONS, type CampaignChannel, type RecipientStatus, type SkipReason } from '../../core/campaigns';

type Row = Record<string, unknown>;
const num = (v: unknown) => Number(v ?? 0);

/** The recipients that reached each stage of the funnel (the analytics campaign dashboard counts the same). */
export const FUNNEL_COUNTS = `count(*) filter (where sent_at is not null) as sent,
         count(*) filter (where delivered_at is not null) as delivered,
         count(*) filter (where read_at is not null) as read,
         count(*) filter (where status = 'failed') as failed,
         count(*) filter (where replied_at is not null) as replied,
         count(*) filter (where clicked_at is not null) as clicked,
         count(*) filter (where opted_out_at is not null) as opted_out`;

/** One row per grouping set: the whole campaign, each variant, each channel. */
const COUNTS = `
  select variant, channel, grouping(variant) as by_variant, grouping(channel) as by_channel,
         count(*) as targeted,
         ${SKIP_REASONS.map((r) => `count(*) filter (where status = 'skipped' and skip_reason = '${r}') as skipped_${r}`).join(',\n         ')},
         count(*) filter (where status = 'pending') as pending,
         count(*) filter (where status = 'deferred') as deferred,
         count(*) filter (where status = 'held') as held,
         count(*) filter (where status = 'cancelled') as cancelled,
         ${FUNNEL_COUNTS}
    from campaign_recipients
   where tenant_id = ? and campaign_id = ?
   group by grouping sets ((), (variant), (channel))`;

export function toCounts(row: Row | undefined): ResultCounts {
  const skipped = Object.fromEntries(SKIP_REASONS.map((r) => [r, num(row?.[`skipped_${r}`])])) as Record<SkipReason, number>;
  return {
    targeted: num(row?.targeted),
    skipped,
    pending: num(row?.pending),
    deferred: num(row?.deferred),
    held: num(row?.held),
    cancelled: num(row?.cancelled),
    sent: num(row?.sent),
    delivered: num(row?.delivered),
    read: num(row?.read),
    failed: num(row?.failed),
    replied: num(row?.replied),
    clicked: num(row?.clicked),
    optedOut: num(row?.opted_out),
  };
}

/** Buckets so a timeline has at most this many points. */
const MAX_POINTS = 360;
const BUCKETS = [1, 5, 15, 60, 360, 1440];

export async function campaignResults(em: EntityManager, tenantId: string, campaignId: string): Promise<Omit<CampaignResults, 'campaignId' | 'status' | 'winnerVariant'>> {
  const conn = em.getConnection();
  const args = [tenantId, campaignId];
  const groups: Row[] = await conn.execute(COUNTS, args);
  const failures: Row[] = await conn.execute(
    `select coalesce(nullif(trim(error), ''), 'no reason given') as reason, count(*) as count
       from campaign_recipients where tenant_id = ? and campaign_id = ? and status = 'failed'
      group by 1 order by 2 desc, 1 limit 50`,
    args,
  );
  const clicks: Row[] = await conn.execute(
    `select url, count(*) as clicks, count(distinct recipient_id) as recipients
       from campaign_link_clicks where tenant_id = ? and campaign_id = ?
      group by url order by 2 desc, url limit 50`,
    args,
  );
  const totals = groups.find((g) => num(g.by_variant) === 1 && num(g.by_channel) === 1);
  const variants = groups.filter((g) => num(g.by_variant) === 0 && g.variant !== null).sort((a, b) => String(a.variant).localeCompare(String(b.variant)));
  const channels = groups
    .filter((g) => num(g.by_channel) === 0 && g.channel !== null)
    .sort((a, b) => CAMPAIGN_CHANNELS.indexOf(a.channel as CampaignChannel) - CAMPAIGN_CHANNELS.indexOf(b.channel as CampaignChannel));
  return {
    totals: toCounts(totals),
    byVariant: variants.map((g) => ({ variant: String(g.variant), ...toCounts(g) })),
    byChannel: channels.map((g) => ({ channel: g.channel as CampaignChannel, ...toCounts(g) })),
    failures: failures.map((f) => ({ reason: String(f.reason), count: num(f.count) })),
    timeline: await timeline(em, tenantId, campaignId),
    clicks: clicks.map((c) => ({ url: String(c.url), clicks: num(c.clicks), recipients: num(c.recipients) })),
  };
}

/** Sends and failures per bucket; the bucket widens with the campaign's span. */
async function timeline(em: EntityManager, tenantId: string, campaignId: string): Promise<CampaignResults['timeline']> {
  const conn = em.getConnection();
  const [span]: Row[] = await conn.execute(
    `select extract(epoch from greatest(max(sent_at), max(failed_at)) - least(min(sent_at), min(failed_at))) / 60 as minutes
       from campaign_recipients where tenant_id = ? and campaign_id = ? and (sent_at is not null or failed_at is not null)`,
    [tenantId, campaignId],
  );
  const minutes = num(span?.minutes);
  const bucketMinutes = BUCKETS.find((b) => minutes / b <= MAX_POINTS) ?? BUCKETS.at(-1)!;
  const bucket = `${bucketMinutes} minutes`;
  const points: Row[] = await conn.execute(
    `select bucket, count(*) filter (where kind = 's') as sent, count(*) filter (where kind = 'f') as failed
       from (select date_bin(?::interval, sent_at, timestamptz 'epoch') as bucket, 's' as kind
               from campaign_recipients where tenant_id = ? and campaign_id = ? and sent_at is not null
             union all
             select date_bin(?::interval, failed_at, timestamptz 'epoch'), 'f'
               from campaign_recipients where tenant_id = ? and campaign_id = ? and failed_at is not null) t
      group by bucket order by bucket`,
    [bucket, tenantId, campaignId, bucket, tenantId, campaignId],
  );
  return { bucketMinutes, points: points.map((p) => ({ at: new Date(p.bucket as string | Date).toISOString(), sent: num(p.sent), failed: num(p.failed) })) };
}

export interface RecipientResultRow {
  id: string;
  contactId: string;
  name: string | null;
  channel: CampaignChannel | null;
  address: string | null;
  variant: string | null;
  status: RecipientStatus;
  skipReason: SkipReason | null;
  error: string | null;
  sentAt: Date | null;
  deliveredAt: Date | null;
  readAt: Date | null;
  failedAt: Date | null;
  repliedAt: Date | null;
  clickedAt: Date | null;
  optedOutAt: Date | null;
}

/** A page of a campaign's recipients with the contact's name, after `afterId` in id order. */
export async function recipientResultPage(em: EntityManager, tenantId: string, campaignId: string, opts: { afterId?: string; limit: number }): Promise<RecipientResultRow[]> {
  const rows: Row[] = await em.getConnection().execute(
    `select r.id, r.contact_id, coalesce(nullif(c.name, ''), nullif(trim(concat_ws(' ', c.first_name, c.last_name)), '')) as name,
            r.channel, r.address, r.variant, r.status, r.skip_reason, r.error,
            r.sent_at, r.delivered_at, r.read_at, r.failed_at, r.replied_at, r.clicked_at, r.opted_out_at
       from campaign_recipients r
       join contacts c on c.id = r.contact_id and c.tenant_id = r.tenant_id
      where r.tenant_id = ? and r.campaign_id = ? ${opts.afterId ? 'and r.id > ?' : ''}
      order by r.id
      limit ?`,
    // A plain `r.id > ?` (no "or null" around it) so the (campaign, id) index walks the page.
    [tenantId, campaignId, ...(opts.afterId ? [opts.afterId] : []), opts.limit],
  );
  const at = (v: unknown) => (v ? new Date(v as string | Date) : null);
  return rows.map((r) => ({
    id: String(r.id),
    contactId: String(r.contact_id),
    name: (r.name as string | null) ?? null,
    channel: (r.channel as CampaignChannel | null) ?? null,
    address: (r.address as string | null) ?? null,
    variant: (r.variant as string | null) ?? null,
    status: r.status as RecipientStatus,
    skipReason: (r.skip_reason as SkipReason | null) ?? null,
    error: (r.error as string | null) ?? null,
    sentAt: at(r.sent_at),
    deliveredAt: at(r.delivered_at),
    readAt: at(r.read_at),
    failedAt: at(r.failed_at),
    repliedAt: at(r.replied_at),
    clickedAt: at(r.clicked_at),
    optedOutAt: at(r.opted_out_at),
  }));
}
