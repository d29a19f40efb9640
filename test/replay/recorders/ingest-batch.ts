/** `ingestBatch` recordings: a batch indexed (one document failing alone), and a batch whose activity ran out of attempts. */
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { ingestBatchWorkflowId } from '../../../core/ids';
import type { IngestBatchInput } from '../../../core/knowledge/types';
import type { ingestBatch } from '../../../workflows/ingestBatch';
import { expectPath, type RecordContext, type Recorder } from './types';

async function run(ctx: RecordContext, name: string, check: (r: { ready: number; failed: number; error: string | null }) => boolean) {
  const input: IngestBatchInput = {
    tenantId: 't1',
    knowledgeBaseId: randomUUID(),
    importId: randomUUID(),
    batch: 0,
    documentIds: [randomUUID(), randomUUID(), randomUUID()],
    pin: { chunking: { maxTokens: 400, overlapTokens: 40 }, embedderId: 'offline:hashed-ngrams-v2' },
  };
  const handle = await ctx.h.client.workflow.start<typeof ingestBatch>('ingestBatch', {
    workflowId: ingestBatchWorkflowId(input.tenantId, input.importId, input.batch),
    taskQueue: ctx.h.taskQueue,
    args: [input],
  });
  expectPath(check(await handle.result()), `${name} ends as recorded`);
  await ctx.save(name, handle.workflowId);
}

export const ingestBatchRecorders: Record<string, Recorder> = {
  'ingest-batch': {
    async record(ctx) {
      ctx.h.fakes.impl.indexDocumentBatch = async () => ({ ready: 2, failed: 1 });
      await run(ctx, 'ingest-batch', (r) => r.ready === 2 && r.failed === 1 && r.error === null);
    },
  },
  'ingest-batch-failed': {
    async record(ctx) {
      ctx.h.fakes.impl.indexDocumentBatch = async () => {
        throw ApplicationFailure.nonRetryable('The embedding model changed while this import was being indexed.', 'ConfigError');
      };
      ctx.h.fakes.impl.failDocumentBatch = async () => ({ ready: 0, failed: 3 });
      await run(ctx, 'ingest-batch-failed', (r) => r.failed === 3 && r.error !== null);
    },
  },
};
