/**
 * One evaluation of every tenant's alert rules (`alerts:system:evaluate:{queue}-<time>`, started every
 * ALERT_EVALUATION_SECONDS by the alert Schedule; the Schedule skips a tick while the previous run
 * is still going). Per tenant one activity evaluates the rules and opens or resolves firings in the
 * database (a rule has at most one open firing), then one activity per transition notifies it:
 * a failed notification is retried on its own, never by evaluating again. A tenant whose
 * evaluation fails is skipped this time; the next tick evaluates it again.
 */
import { ActivityFailure, proxyActivities, setHandler } from '@temporalio/workflow';
import type { SwitchboardActivities } from '../activities/types';
import type { AlertEvaluationResult } from '../core/reports';
import { ACTIVITY_OPTIONS } from './flow/activities';
import { alertEvaluationProgressQuery, type AlertEvaluationProgress } from './messages';

export async function alertEvaluation(): Promise<AlertEvaluationResult> {
  const { listAlertTenants } = proxyActivities<SwitchboardActivities>(ACTIVITY_OPTIONS.listAlertTenants);
  const { evaluateTenantAlerts } = proxyActivities<SwitchboardActivities>(ACTIVITY_OPTIONS.evaluateTenantAlerts);
  const { notifyAlert } = proxyActivities<SwitchboardActivities>(ACTIVITY_OPTIONS.notifyAlert);
  const progress: AlertEvaluationProgress = { tenants: 0, evaluated: 0, notices: 0 };
  setHandler(alertEvaluationProgressQuery, () => progress);

  const { tenantIds } = await listAlertTenants({});
  progress.tenants = tenantIds.length;
  let rules = 0;
  const at = new Date().toISOString();
  for (const tenantId of tenantIds) {
    try {
      const evaluated = await evaluateTenantAlerts({ tenantId, at });
      rules += evaluated.rules;
      progress.evaluated++;
      // Each transition is recorded already; a notification that fails for good is recorded on the firing by the activity.
      const sent = await Promise.allSettled(evaluated.notices.map((notice) => notifyAlert(notice)));
      progress.notices += sent.filter((s) => s.status === 'fulfilled').length;
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
    }
  }
  return { tenants: tenantIds.length, rules, notices: progress.notices };
}
