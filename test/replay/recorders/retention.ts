/**
 * `retention` recordings: two tenants with different policies, batches that leave more behind
 * (so a kind takes several), a run that continues as new mid-tenant with its cursor and counts,
 * and the continued run that finishes and writes one audit entry per tenant (its first run and its
 * last run are both recorded).
 */
import type { RetentionInput } from '../../../core/retention';
import type { retention } from '../../../workflows/retention';
import { expectPath, type Recorder } from './types';

export const retentionRecorders: Record<string, Recorder> = {
  'retention-continue-as-new': {
    async record({ h, save }) {
      const tenants = [
        { tenantId: 't1', policy: { messages: 30, media: 30, documents: null, events: 7 } },
        { tenantId: 't2', policy: { messages: null, media: null, documents: 90, events: 30 } },
      ];
      const left: Record<string, number> = { 't1:messages': 3, 't1:media': 1, 't1:events': 2, 't2:documents': 1, 't2:events': 0 };
      const audits: string[] = [];
      h.fakes.impl.listRetentionTenants = async () => tenants;
      h.fakes.impl.deleteExpiredBatch = async ({ tenantId, kind }) => {
        const key = `${tenantId}:${kind}`;
        const more = (left[key] ?? 0) > 1;
        left[key] = Math.max(0, (left[key] ?? 0) - 1);
        return { counts: { [kind]: 2 }, more };
      };
      h.fakes.impl.recordRetentionRun = async ({ tenantId }) => void audits.push(tenantId);
      const input: RetentionInput = { asOf: '2026-12-01T03:00:00.000Z', batchSize: 2, batchesPerRun: 3 };
      const workflowId = 'retention:all:daily-2026-12-01T03:00:00Z';
      const handle = await h.client.workflow.start<typeof retention>('retention', { workflowId, taskQueue: h.taskQueue, args: [input] });
      const result = await handle.result();
      const last = await handle.describe();
      const firstRunId = last.raw.workflowExecutionInfo?.firstRunId ?? '';
      expectPath(firstRunId !== last.runId && result.done.length === 2 && audits.join() === 't1,t2', `continued as new, two tenants audited (saw ${audits.join()})`);
      await save('retention-continue-as-new-first', workflowId, firstRunId);
      await save('retention-continue-as-new-last', workflowId);
    },
  },
};
