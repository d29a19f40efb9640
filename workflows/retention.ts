/**
 * The daily retention run (started by the `retention` schedule, temporal/retention.ts): for each
 * tenant with a policy, for each kind it limits, deletes rows past the kind's cutoff in bounded
 * batches until none remain, then writes one audit entry with the counts per table.
 *
 * Cutoffs are counted from `asOf`, fixed when the run starts and carried through continue-as-new
 * (every `batchesPerRun` batches or when Temporal suggests it, with the cursor and the counts so
 * far), so a long run deletes to one line. A worker crash costs at most the batch in flight, which
 * is retried (deleting again only what is still there); the audit entry's id is derived from the
 * run, so a retried write is not a second entry.
 */
import { continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { SwitchboardActivities } from '../activities/types';
import { cutoffOf, RETENTION_BATCH, RETENTION_BATCHES_PER_RUN, RETENTION_KINDS, type RetentionCounts, type RetentionCursor, type RetentionInput, type RetentionProgress } from '../core/retention';
import { ACTIVITY_OPTIONS } from './flow/activities';
import { retentionProgressQuery } from './messages';

const add = (into: RetentionCounts, counts: RetentionCounts) => {
  for (const [table, n] of Object.entries(counts)) into[table] = (into[table] ?? 0) + n;
};

export async function retention(input: RetentionInput = {}): Promise<RetentionProgress> {
  const { listRetentionTenants } = proxyActivities<SwitchboardActivities>(ACTIVITY_OPTIONS.listRetentionTenants);
  const { deleteExpiredBatch } = proxyActivities<SwitchboardActivities>(ACTIVITY_OPTIONS.deleteExpiredBatch);
  const { recordRetentionRun } = proxyActivities<SwitchboardActivities>(ACTIVITY_OPTIONS.recordRetentionRun);
  const asOf = input.asOf ?? new Date().toISOString();
  const limit = input.batchSize ?? RETENTION_BATCH;
  const batchesPerRun = input.batchesPerRun ?? RETENTION_BATCHES_PER_RUN;
  const cursor: RetentionCursor = input.resume ?? { tenants: await listRetentionTenants({ tenantIds: input.tenantIds }), tenantIndex: 0, kindIndex: 0, counts: {}, done: [] };
  setHandler(retentionProgressQuery, () => ({ asOf, tenants: cursor.tenants.length, done: cursor.done }));

  let batches = 0;
  for (; cursor.tenantIndex < cursor.tenants.length; cursor.tenantIndex++, cursor.kindIndex = 0, cursor.counts = {}) {
    const { tenantId, policy } = cursor.tenants[cursor.tenantIndex]!;
    for (; cursor.kindIndex < RETENTION_KINDS.length; cursor.kindIndex++) {
      const kind = RETENTION_KINDS[cursor.kindIndex]!;
      const days = policy[kind];
      if (typeof days !== 'number') continue;
      const cutoff = cutoffOf(asOf, days);
      for (let more = true; more; ) {
        if (batches >= batchesPerRun || workflowInfo().continueAsNewSuggested) {
          await continueAsNew<typeof retention>({ ...input, asOf, resume: cursor });
        }
        const batch = await deleteExpiredBatch({ tenantId, kind, cutoff, limit });
        batches++;
        add(cursor.counts, batch.counts);
        more = batch.more;
      }
    }
    await recordRetentionRun({ tenantId, runKey: workflowInfo().workflowId, asOf, policy, counts: cursor.counts });
    cursor.done.push({ tenantId, counts: cursor.counts });
  }
  return { asOf, tenants: cursor.tenants.length, done: cursor.done };
}
