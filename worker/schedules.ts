/**
 * At worker start, the Temporal Schedules of reports and alerts are brought in line with the
 * database: the alert evaluation's Schedule of this task queue, and one report Schedule per tenant
 * with report settings. Every step is idempotent (create, or update what is there), so each worker
 * process may run it, and a Schedule lost with a reset dev server comes back at the next start.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { Config } from '../core/config';
import { systemEm } from '../db/orm';
import { tenantsWithReportSettings } from '../db/repos/reports';
import { ReportsClient } from '../temporal/reports';
import { PresenceFollowUpClient } from '../temporal/presence-follow-up';
import { tenantsWithPresenceSchedule } from '../db/repos/presence-surface';

export async function ensureReportAndAlertSchedules(opts: { orm: MikroORM; client: Client; config: Pick<Config, 'TEMPORAL_TASK_QUEUE' | 'ALERT_EVALUATION_SECONDS'> }): Promise<{ alertScheduleId: string; reportSchedules: number }> {
  const reports = new ReportsClient(opts.client, opts.config.TEMPORAL_TASK_QUEUE);
  const alertScheduleId = await reports.ensureAlertSchedule(opts.config.ALERT_EVALUATION_SECONDS);
  const tenants = await tenantsWithReportSettings(systemEm(opts.orm));
  for (const t of tenants) await reports.syncReportSchedule(t.id, t.reports, t.timezone);
  return { alertScheduleId, reportSchedules: tenants.length };
}

/** The re-audit Schedule of every tenant with the setting (created, updated or paused to match it): idempotent, as above. */
export async function ensurePresenceSchedules(opts: { orm: MikroORM; client: Client; config: Pick<Config, 'TEMPORAL_TASK_QUEUE'> }): Promise<number> {
  const presence = new PresenceFollowUpClient(opts.client, opts.config.TEMPORAL_TASK_QUEUE);
  const tenants = await tenantsWithPresenceSchedule(systemEm(opts.orm));
  for (const t of tenants) await presence.syncSchedule(t.id, t.schedule, t.timezone);
  return tenants.length;
}
