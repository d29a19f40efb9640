/**
 * `analyticsReport` recordings: a scheduled report that loads its figures and mails them, and one
 * whose tenant turned reports off after the Schedule fired (nothing sent). `alertEvaluation`
 * recording: two tenants, the first opening one firing and resolving another (two notices), the
 * second failing its evaluation (skipped until the next tick).
 */
import { ApplicationFailure } from '@temporalio/common';
import { alertEvaluationWorkflowId, reportWorkflowId } from '../../../core/ids';
import type { alertEvaluation } from '../../../workflows/alertEvaluation';
import type { analyticsReport } from '../../../workflows/analyticsReport';
import { expectPath, type Recorder } from './types';

export const reportRecorders: Record<string, Recorder> = {
  'analytics-report-sent': {
    async record(ctx) {
      const keys: string[] = [];
      ctx.h.fakes.impl.sendWeeklyReport = async ({ key }) => {
        keys.push(key);
        return { sentTo: ['owner@example.com'], skipped: null };
      };
      const workflowId = reportWorkflowId('t1', 'weekly-2026-12-28T08:00:00Z');
      const handle = await ctx.h.client.workflow.start<typeof analyticsReport>('analyticsReport', { workflowId, taskQueue: ctx.h.taskQueue, args: [{ tenantId: 't1' }] });
      const result = await handle.result();
      expectPath(result.skipped === null && JSON.stringify(keys) === JSON.stringify([workflowId]), `one send keyed by the run (saw ${JSON.stringify(keys)})`);
      await ctx.save('analytics-report-sent', workflowId);
    },
  },
  'analytics-report-turned-off': {
    async record(ctx) {
      ctx.h.fakes.impl.loadWeeklyReport = async () => null;
      const workflowId = reportWorkflowId('t1', 'weekly-2027-01-04T08:00:00Z');
      const handle = await ctx.h.client.workflow.start<typeof analyticsReport>('analyticsReport', { workflowId, taskQueue: ctx.h.taskQueue, args: [{ tenantId: 't1' }] });
      const result = await handle.result();
      expectPath(result.skipped === 'weekly reports are turned off', `nothing sent (saw ${JSON.stringify(result)})`);
      await ctx.save('analytics-report-turned-off', workflowId);
    },
  },
  'alert-evaluation-fire-resolve-skip': {
    async record(ctx) {
      const notified: string[] = [];
      ctx.h.fakes.impl.listAlertTenants = async () => ({ tenantIds: ['t1', 't2'] });
      ctx.h.fakes.impl.evaluateTenantAlerts = async ({ tenantId }) => {
        if (tenantId === 't2') throw ApplicationFailure.nonRetryable('database away', 'test');
        return {
          rules: 3,
          notices: [
            { tenantId, eventId: 'e1', transition: 'triggered' },
            { tenantId, eventId: 'e0', transition: 'resolved' },
          ],
        };
      };
      ctx.h.fakes.impl.notifyAlert = async ({ eventId, transition }) => void notified.push(`${eventId}:${transition}`);
      const workflowId = `${alertEvaluationWorkflowId(ctx.h.taskQueue)}-2026-12-28T08:00:00Z`;
      const handle = await ctx.h.client.workflow.start<typeof alertEvaluation>('alertEvaluation', { workflowId, taskQueue: ctx.h.taskQueue, args: [] });
      const result = await handle.result();
      expectPath(result.tenants === 2 && result.rules === 3 && result.notices === 2 && notified.sort().join() === 'e0:resolved,e1:triggered', `two notices, one tenant skipped (saw ${JSON.stringify(result)}, ${notified})`);
      await ctx.save('alert-evaluation-fire-resolve-skip', workflowId);
    },
  },
};
