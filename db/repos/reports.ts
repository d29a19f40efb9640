/**
 * The weekly report's reads and its send record: the last 7 complete local days against the 7
 * before, from the hourly rollups (db/repos/analytics.ts), the top flows, campaign sends, and the
 * recipients as they are at send time. `report_sends` keys a send by its workflow id, so a retried
 * activity or a re-run of the same scheduled time sends nothing twice.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ReportPeriodFigures, ReportSettings, WeeklyReport } from '../../core/reports';
import { isTimeZone } from '../../core/api/analytics';
import { Tenant, User } from '../entities';
import { analyticsBreakdown, analyticsOverview } from './analytics';

const DAY_MS = 86_400_000;
export const localDate = (zone: string, at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/** The report's two periods as local dates: the 7 days before `asOf`'s local day, and the 7 before those. */
export function reportPeriods(zone: string, asOf: Date) {
  const today = localDate(zone, asOf);
  return { current: { from: addDays(today, -7), to: addDays(today, -1) }, previous: { from: addDays(today, -14), to: addDays(today, -8) } };
}

async function periodFigures(em: EntityManager, tenantId: string, timezone: string, range: { from: string; to: string }): Promise<ReportPeriodFigures> {
  const { totals } = await analyticsOverview(em, { tenantId, timezone, ...range }, 'day');
  return {
    ...range,
    conversations: totals.conversations,
    messages: totals.messagesIn + totals.messagesOut,
    resolutionRate: totals.resolutionRate,
    handoffRate: totals.handoffRate,
    avgFirstResponseSeconds: totals.avgFirstResponseSeconds,
    costUsd: totals.costUsd,
    errors: totals.errors,
  };
}

export async function weeklyReportFigures(em: EntityManager, tenant: { id: string; name: string }, timezone: string, asOf: Date): Promise<WeeklyReport> {
  const periods = reportPeriods(timezone, asOf);
  const [current, previous, flows] = await Promise.all([
    periodFigures(em, tenant.id, timezone, periods.current),
    periodFigures(em, tenant.id, timezone, periods.previous),
    analyticsBreakdown(em, { tenantId: tenant.id, timezone, ...periods.current }, 'flow'),
  ]);
  const campaigns = await em.getConnection().execute(
    `select c.name, count(*) filter (where r.sent_at >= (?::date)::timestamp at time zone ? and r.sent_at < (?::date + 1)::timestamp at time zone ?) as sent,
            count(*) filter (where r.failed_at >= (?::date)::timestamp at time zone ? and r.failed_at < (?::date + 1)::timestamp at time zone ?) as failed
       from campaign_recipients r join campaigns c on c.id = r.campaign_id and c.tenant_id = r.tenant_id
      where r.tenant_id = ? and (r.sent_at >= (?::date)::timestamp at time zone ? or r.failed_at >= (?::date)::timestamp at time zone ?)
      group by c.id, c.name order by 2 desc, c.name limit 10`,
    [
      ...[periods.current.from, timezone, periods.current.to, timezone],
      ...[periods.current.from, timezone, periods.current.to, timezone],
      tenant.id,
      ...[periods.current.from, timezone, periods.current.from, timezone],
    ],
  );
  return {
    tenantName: tenant.name,
    timezone,
    current,
    previous,
    topFlows: flows.rows.filter((r) => r.conversations > 0).slice(0, 5).map((r) => ({ name: r.label, conversations: r.conversations, handoffRate: r.handoffRate })),
    campaigns: campaigns.map((c) => ({ name: String(c.name), sent: Number(c.sent), failed: Number(c.failed) })).filter((c) => c.sent + c.failed > 0),
  };
}

/** The settings' recipients as addresses: enabled users of the tenant, then the plain addresses, deduplicated. */
export async function reportRecipientEmails(em: EntityManager, tenantId: string, settings: Pick<ReportSettings, 'userIds' | 'emails'>): Promise<string[]> {
  const users = settings.userIds.length ? await em.find(User, { tenant: tenantId, id: { $in: settings.userIds }, disabled: false }, { filters: false, fields: ['email'] }) : [];
  return [...new Set([...users.map((u) => u.email), ...settings.emails].map((e) => e.toLowerCase()))];
}

/** Whether the report keyed `key` already went out; otherwise records that it is going out. */
export async function claimReportSend(em: EntityManager, tenantId: string, key: string): Promise<'sent' | 'go'> {
  await em.getConnection().execute(`insert into report_sends (tenant_id, key) values (?, ?) on conflict (tenant_id, key) do nothing`, [tenantId, key]);
  const [row] = await em.getConnection().execute<{ status: string }[]>(`select status from report_sends where tenant_id = ? and key = ?`, [tenantId, key]);
  return row?.status === 'sent' ? 'sent' : 'go';
}

export async function markReportSent(em: EntityManager, tenantId: string, key: string, recipients: string[]): Promise<void> {
  await em.getConnection().execute(`update report_sends set status = 'sent', recipients = ?::jsonb, sent_at = now() where tenant_id = ? and key = ?`, [JSON.stringify(recipients), tenantId, key]);
}

/** The tenant's sent reports, newest first (the settings page shows the last few). */
export async function recentReportSends(em: EntityManager, tenantId: string, limit = 10) {
  const rows = await em.getConnection().execute<{ key: string; recipients: string[]; sent_at: Date | string }[]>(
    `select key, recipients, sent_at from report_sends where tenant_id = ? and status = 'sent' order by sent_at desc limit ?`,
    [tenantId, limit],
  );
  return rows.map((r) => ({ key: r.key, recipients: r.recipients, sentAt: new Date(r.sent_at).toISOString() }));
}

/** The tenant's zone for reports: settings.timezone when this runtime knows it, UTC otherwise. */
export const tenantZone = (tenant: Tenant | null) => (tenant?.settings.timezone && isTimeZone(tenant.settings.timezone) ? tenant.settings.timezone : 'UTC');

/** Every tenant with report settings (on or off): what the worker brings the Schedules in line with at start. */
export async function tenantsWithReportSettings(em: EntityManager): Promise<{ id: string; reports: ReportSettings; timezone: string }[]> {
  const ids = await em.getConnection().execute<{ id: string }[]>(`select id from tenants where settings->'reports' is not null`);
  const tenants = ids.length ? await em.find(Tenant, { id: { $in: ids.map((r) => r.id) } }) : [];
  return tenants.filter((t) => t.settings.reports).map((t) => ({ id: t.id, reports: t.settings.reports!, timezone: tenantZone(t) }));
}
