/** `ingestDocument` recordings: a pinned upload, a URL, a failing extraction, a version a newer one superseded. */
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { ingestWorkflowId } from '../../../core/ids';
import type { ingestDocument } from '../../../workflows/ingestDocument';
import type { IngestDocumentInput } from '../../../workflows/messages';
import { expectPath, type RecordContext, type Recorder } from './types';

const pin = { chunking: { maxTokens: 400, overlapTokens: 40 }, embedderId: 'openai-compatible:text-embedding-3-small:1536' };

async function ingest(ctx: RecordContext, name: string, input: Omit<IngestDocumentInput, 'tenantId' | 'documentId' | 'knowledgeBaseId'>, expected: 'ready' | 'failed') {
  const full: IngestDocumentInput = { tenantId: 't1', documentId: randomUUID(), knowledgeBaseId: randomUUID(), ...input };
  const handle = await ctx.h.client.workflow.start<typeof ingestDocument>('ingestDocument', {
    workflowId: ingestWorkflowId(full.tenantId, full.documentId, full.version),
    taskQueue: ctx.h.taskQueue,
    args: [full],
  });
  const result = await handle.result();
  expectPath(result.status === expected, `${name} ends ${expected}`);
  await ctx.save(name, handle.workflowId);
}

export const ingestRecorders: Record<string, Recorder> = {
  'ingest-upload-pinned': {
    async record(ctx) {
      ctx.h.fakes.impl.indexDocumentVersion = async () => ({ chunkCount: 12, embedded: 9, cached: 3 });
      await ingest(ctx, 'ingest-upload-pinned', { version: 1, sourceType: 'upload', pin }, 'ready');
    },
  },
  'ingest-url-pinned': {
    async record(ctx) {
      ctx.h.fakes.impl.fetchDocumentSource = async () => ({ byteSize: 5120, mimeType: 'text/html' });
      await ingest(ctx, 'ingest-url-pinned', { version: 3, sourceType: 'url', pin }, 'ready');
    },
  },
  'ingest-failed': {
    async record(ctx) {
      ctx.h.fakes.impl.indexDocumentVersion = async () => {
        throw ApplicationFailure.nonRetryable('The PDF has no text layer.', 'UnreadableDocumentError');
      };
      await ingest(ctx, 'ingest-failed', { version: 1, sourceType: 'upload', pin }, 'failed');
    },
  },
  'ingest-superseded': {
    async record(ctx) {
      ctx.h.fakes.impl.activateDocumentVersion = async () => ({ activated: false });
      await ingest(ctx, 'ingest-superseded', { version: 4, sourceType: 'text', pin }, 'failed');
    },
  },
};
