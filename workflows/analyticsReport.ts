/**
 * One weekly report (`report:{tenant}:weekly-<scheduled time>`, started by the tenant's Temporal
 * Schedule; `report:{tenant}:now-<id>` for a preview sent now): the figures of the 7 local days
 * before the run started against the 7 before them, read from the rollups by an activity, then one
 * mail. The run's workflow id is the send's idempotency key, so a retried send does not mail twice.
 * The time is the workflow's own (its start), so a replay reads the same period.
 */
import { proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { SwitchboardActivities } from '../activities/types';
import type { AnalyticsReportInput, AnalyticsReportResult } from '../core/reports';
import { ACTIVITY_OPTIONS } from './flow/activities';
import { analyticsReportProgressQuery, type AnalyticsReportProgress } from './messages';

export async function analyticsReport(input: AnalyticsReportInput): Promise<AnalyticsReportResult> {
  const { loadWeeklyReport } = proxyActivities<SwitchboardActivities>(ACTIVITY_OPTIONS.loadWeeklyReport);
  const { sendWeeklyReport } = proxyActivities<SwitchboardActivities>(ACTIVITY_OPTIONS.sendWeeklyReport);
  const progress: AnalyticsReportProgress = { stage: 'loading', result: null };
  setHandler(analyticsReportProgressQuery, () => progress);

  const report = await loadWeeklyReport({ tenantId: input.tenantId, asOf: new Date().toISOString(), preview: input.preview ?? false });
  if (!report) {
    progress.result = { sentTo: [], skipped: 'weekly reports are turned off' };
  } else {
    progress.stage = 'sending';
    progress.result = await sendWeeklyReport({ tenantId: input.tenantId, key: workflowInfo().workflowId, report, ...(input.to?.length ? { to: input.to } : {}) });
  }
  progress.stage = 'done';
  return progress.result;
}
