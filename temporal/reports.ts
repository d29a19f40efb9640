/**
 * Temporal Schedules of reports and alerts. Each tenant with report settings has one Schedule
 * (`report-schedule:{tenant}`): a calendar spec (weekday, local hour) in the tenant's zone that
 * starts `analyticsReport`; turning reports off pauses it, removing the settings deletes it. One
 * Schedule per task queue (`alerts-evaluation:{queue}`) starts `alertEvaluation` every
 * ALERT_EVALUATION_SECONDS. Both are created or brought up to date idempotently (create, and on
 * "already running" update), at worker start and whenever the settings change.
 */
import { randomUUID } from 'node:crypto';
import { type Client, ScheduleOverlapPolicy, type ScheduleOptionsAction, type ScheduleSpec } from '@temporalio/client';
import { AppError } from '../core/errors';
import { alertEvaluationWorkflowId, alertScheduleId, reportScheduleId, reportWorkflowId } from '../core/ids';
import { REPORT_WEEKDAYS, type AnalyticsReportInput, type AnalyticsReportResult, type ReportSettings } from '../core/reports';
import { searchAttributePairs } from '../workflows/search-attributes';
import { describeScheduleIfAny, scheduleState, syncTenantSchedule, upsertSchedule } from './schedules';

/** How long `send-now` waits for its run before answering 503 (the run itself goes on). */
const SEND_NOW_WAIT_MS = 60_000;

export interface ReportScheduleView {
  scheduleId: string;
  paused: boolean;
  /** The next times it will start a report (ISO), empty while paused. */
  nextRuns: string[];
  lastRunAt: string | null;
  timezone: string;
}

/** A tenant's report time as a Schedule spec: that weekday at that hour, minute 0, in the tenant's zone. */
export function reportScheduleSpec(settings: Pick<ReportSettings, 'weekday' | 'hour'>, timezone: string): ScheduleSpec {
  return { calendars: [{ dayOfWeek: settings.weekday.toUpperCase() as Uppercase<(typeof REPORT_WEEKDAYS)[number]>, hour: settings.hour, minute: 0 }], timezone };
}

export class ReportsClient {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  private reportAction(tenantId: string): ScheduleOptionsAction {
    const input: AnalyticsReportInput = { tenantId };
    return {
      type: 'startWorkflow',
      workflowType: 'analyticsReport',
      // Temporal appends the scheduled time: report:{tenant}:weekly-2026-12-28T08:00:00Z.
      workflowId: reportWorkflowId(tenantId, 'weekly'),
      taskQueue: this.taskQueue,
      args: [input],
      typedSearchAttributes: searchAttributePairs({ TenantId: tenantId }),
    };
  }

  /** Creates, updates, pauses (reports off) or deletes (no settings) the tenant's Schedule to match its settings. */
  async syncReportSchedule(tenantId: string, settings: ReportSettings | undefined, timezone: string): Promise<void> {
    await syncTenantSchedule(
      this.client,
      reportScheduleId(tenantId),
      settings ? { spec: reportScheduleSpec(settings, timezone), action: this.reportAction(tenantId), enabled: settings.enabled, note: settings.enabled ? 'weekly report on' : 'weekly report turned off' } : null,
    );
  }

  async describeReportSchedule(tenantId: string): Promise<ReportScheduleView | null> {
    const d = await describeScheduleIfAny(this.client, reportScheduleId(tenantId));
    return d ? { ...scheduleState(d), lastRunAt: d.info.recentActions.at(-1)?.scheduledAt.toISOString() ?? null, timezone: d.spec.timezone ?? 'UTC' } : null;
  }

  /** Sends a report now (a preview: even when reports are off) and waits for the run's answer. */
  async sendReportNow(tenantId: string, to?: string[]): Promise<{ workflowId: string } & AnalyticsReportResult> {
    const workflowId = reportWorkflowId(tenantId, `now-${randomUUID()}`);
    const input: AnalyticsReportInput = { tenantId, preview: true, ...(to?.length ? { to } : {}) };
    const handle = await this.client.workflow.start('analyticsReport', { workflowId, taskQueue: this.taskQueue, args: [input], typedSearchAttributes: searchAttributePairs({ TenantId: tenantId }) });
    // No worker (or a mail server that keeps refusing): the caller hears so instead of waiting; the run goes on.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new AppError('upstream_unavailable', `the report was not sent within ${SEND_NOW_WAIT_MS / 1000} s; see run ${workflowId}`)), SEND_NOW_WAIT_MS);
    });
    try {
      const result: AnalyticsReportResult = await Promise.race([handle.result(), timeout]);
      return { workflowId, ...result };
    } finally {
      clearTimeout(timer);
    }
  }

  /** The evaluation Schedule of this task queue: created once, its interval kept in step with the configuration. */
  async ensureAlertSchedule(everySeconds: number): Promise<string> {
    const scheduleId = alertScheduleId(this.taskQueue);
    const spec: ScheduleSpec = { intervals: [{ every: `${everySeconds}s` }] };
    const action: ScheduleOptionsAction = { type: 'startWorkflow', workflowType: 'alertEvaluation', workflowId: alertEvaluationWorkflowId(this.taskQueue), taskQueue: this.taskQueue, args: [] };
    // Missed ticks are not made up: the next evaluation looks at the same windows anyway.
    await upsertSchedule(this.client, { scheduleId, spec, action, policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' } });
    return scheduleId;
  }

  /** Runs an evaluation now, through the Schedule (what the console's "evaluate now" and the tests use). */
  async triggerAlertEvaluation(): Promise<void> {
    await this.client.schedule.getHandle(alertScheduleId(this.taskQueue)).trigger(ScheduleOverlapPolicy.BUFFER_ONE);
  }
}
