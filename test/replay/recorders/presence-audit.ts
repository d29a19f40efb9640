/**
 * `presenceAudit` recordings: an audit whose modules all answer (two in phase 1, the consistency
 * module in phase 2 given their facts; scored in a local activity), one with a brand voice (scored,
 * with the model's rewording, in an activity of its own), one where a module runs out of time (reported, the audit
 * still scored), one whose phase-2 activity fails (its modules reported failed), and one that
 * cannot be stored (the row failed with the reason).
 */
import { ApplicationFailure } from '@temporalio/common';
import { presenceAuditWorkflowId } from '../../../core/ids';
import type { PresenceAuditInput } from '../../../workflows/messages';
import type { presenceAudit } from '../../../workflows/presenceAudit';
import { expectPath, type Recorder, type RecordContext } from './types';

const input = (auditId: string): PresenceAuditInput => ({ tenantId: 't1', auditId, url: 'https://bistro.example/', profiles: { google: 'ChIJ123' }, brandVoiceId: null });

async function run(ctx: RecordContext, auditId: string, brandVoiceId: string | null = null) {
  const args = { ...input(auditId), brandVoiceId };
  const handle = await ctx.h.client.workflow.start<typeof presenceAudit>('presenceAudit', { workflowId: presenceAuditWorkflowId(args.tenantId, auditId), taskQueue: ctx.h.taskQueue, args: [args] });
  return { handle, result: await handle.result() };
}

export const presenceAuditRecorders: Record<string, Recorder> = {
  'presence-audit-completed': {
    async record(ctx) {
      const { handle, result } = await run(ctx, 'a-complete');
      const consistency = ctx.h.fakes.of(handle.workflowId, 'runPresenceModules').find((c) => c.input.modules.includes('consistency'));
      expectPath(result.status === 'completed' && consistency?.input.facts.length === 1, 'completed, phase 2 given the facts of phase 1');
      await ctx.save('presence-audit-completed', handle.workflowId);
    },
  },
  'presence-audit-brand-voice': {
    async record(ctx) {
      const { handle, result } = await run(ctx, 'a-voice', 'v1');
      const finish = ctx.h.fakes.of(handle.workflowId, 'finishPresenceAudit')[0];
      expectPath(result.status === 'completed' && finish?.activityId.startsWith('@score') === true && finish.input.brandVoiceId === 'v1', 'scored in an activity of its own, with the voice');
      await ctx.save('presence-audit-brand-voice', handle.workflowId);
    },
  },
  'presence-audit-module-timeout': {
    async record(ctx) {
      ctx.h.fakes.impl.runPresenceModules = async ({ modules }) =>
        modules.map((id) => (id === 'page' ? { id, status: 'failed', output: null, error: 'the page checks did not finish within 25 s' } : { id, status: 'done', output: { checks: [], facts: [], notes: [], sources: ['website'], finalUrl: null }, error: null }));
      const { handle, result } = await run(ctx, 'a-timeout');
      const finish = ctx.h.fakes.of(handle.workflowId, 'finishPresenceAudit')[0];
      expectPath(result.status === 'completed' && finish?.input.outcomes.some((o: { status: string }) => o.status === 'failed'), 'scored with the page module failed');
      await ctx.save('presence-audit-module-timeout', handle.workflowId);
    },
  },
  'presence-audit-phase-failed': {
    async record(ctx) {
      ctx.h.fakes.impl.runPresenceModules = async ({ modules }) => {
        if (modules.includes('consistency')) throw ApplicationFailure.nonRetryable('the listing provider answered garbage', 'bad_answer');
        return modules.map((id) => ({ id, status: 'done' as const, output: { checks: [], facts: [], notes: [], sources: ['website'], finalUrl: null }, error: null }));
      };
      const { handle, result } = await run(ctx, 'a-phase');
      const finish = ctx.h.fakes.of(handle.workflowId, 'finishPresenceAudit')[0];
      expectPath(result.status === 'completed' && finish?.input.outcomes.at(-1)?.status === 'failed', 'scored with phase 2 failed');
      await ctx.save('presence-audit-phase-failed', handle.workflowId);
    },
  },
  'presence-audit-failed': {
    async record(ctx) {
      ctx.h.fakes.impl.finishPresenceAudit = async () => {
        throw ApplicationFailure.nonRetryable('the report could not be stored', 'invalid_data');
      };
      const { handle, result } = await run(ctx, 'a-failed');
      expectPath(result.status === 'failed' && ctx.h.fakes.of(handle.workflowId, 'failPresenceAudit').length === 1, 'failed, the row told');
      await ctx.save('presence-audit-failed', handle.workflowId);
    },
  },
};
