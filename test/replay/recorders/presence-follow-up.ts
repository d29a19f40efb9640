/**
 * `presenceFollowUp` recordings: a public-grader lead (the audit as a child workflow, then the
 * report mail), a scheduled re-audit (its row prepared by an activity, then the child audit), and
 * a scheduled run whose schedule was turned off in between (nothing audited).
 */
import { presenceAuditWorkflowId, presenceFollowUpWorkflowId } from '../../../core/ids';
import type { PresenceFollowUpInput } from '../../../workflows/messages';
import type { presenceFollowUp } from '../../../workflows/presenceFollowUp';
import { expectPath, type Recorder, type RecordContext } from './types';

async function run(ctx: RecordContext, key: string, input: PresenceFollowUpInput) {
  const handle = await ctx.h.client.workflow.start<typeof presenceFollowUp>('presenceFollowUp', { workflowId: presenceFollowUpWorkflowId(input.tenantId, key), taskQueue: ctx.h.taskQueue, args: [input] });
  return { handle, result: await handle.result() };
}

export const presenceFollowUpRecorders: Record<string, Recorder> = {
  'presence-follow-up-lead': {
    async record(ctx) {
      const audit = { tenantId: 't1', auditId: 'lead-audit', url: 'https://bistro.example/', profiles: {}, brandVoiceId: null };
      const { handle, result } = await run(ctx, 'lead-l1', { kind: 'lead', tenantId: 't1', leadId: 'l1', auditWorkflowId: presenceAuditWorkflowId('t1', 'lead-audit'), audit });
      expectPath(result.mailed && result.grade === 'A' && ctx.h.fakes.of(handle.workflowId, 'mailPresenceLead').length === 1, 'audited as a child, then mailed once');
      await ctx.save('presence-follow-up-lead', handle.workflowId);
    },
  },
  'presence-follow-up-scheduled': {
    async record(ctx) {
      ctx.h.fakes.impl.preparePresenceScheduledAudit = async ({ tenantId }) => ({
        workflowId: presenceAuditWorkflowId(tenantId, 'scheduled-audit'),
        input: { tenantId, auditId: 'scheduled-audit', url: 'https://bistro.example/', profiles: {}, brandVoiceId: null },
      });
      const { handle, result } = await run(ctx, 'scheduled-2027-01-04T06:00:00Z', { kind: 'schedule', tenantId: 't1' });
      expectPath(result.auditId === 'scheduled-audit' && !result.mailed && ctx.h.fakes.of(handle.workflowId, 'mailPresenceLead').length === 0, 'row prepared, audited, no mail');
      await ctx.save('presence-follow-up-scheduled', handle.workflowId);
    },
  },
  'presence-follow-up-schedule-off': {
    async record(ctx) {
      ctx.h.fakes.impl.preparePresenceScheduledAudit = async () => null;
      const { handle, result } = await run(ctx, 'scheduled-2027-01-11T06:00:00Z', { kind: 'schedule', tenantId: 't1' });
      expectPath(result.auditId === null, 'skipped: the schedule was off');
      await ctx.save('presence-follow-up-schedule-off', handle.workflowId);
    },
  },
};
