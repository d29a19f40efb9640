/**
 * The bulk-import activities (workflows/ingestBatch.ts). Documents are indexed a slice at a time:
 * every chunk of the slice goes to the embedder in one call, into the table in multi-row inserts,
 * and the slice's documents become searchable in one statement — the per-document transactions
 * and workflow of the single-document path are what limited small documents to ~15/s.
 */
import { ApplicationFailure } from '@temporalio/common';
import { embeddingInput } from '../../core/knowledge/chunk';
import type { DocumentChunk, IngestBatchInput } from '../../core/knowledge/types';
import { tenantEm } from '../../db/orm';
import { activateImportDocuments, failImportDocuments, unindexedImportDocuments, upsertImportChunks } from '../../db/repos/knowledge-imports';
import { cachedEmbedder } from '../../knowledge/embedder';
import { embeddingCacheStore } from '../../knowledge/tenant-embedder';
import { heartbeat, keepAlive } from '../context';
import type { ActivityDeps } from '../deps';
import type { SwitchboardActivities } from '../types';
import { extractAndChunk, pinnedEmbedder } from './ingest';

type BulkActivities = Pick<SwitchboardActivities, 'indexDocumentBatch' | 'failDocumentBatch'>;

/** Documents per slice: one embedder call, one activation statement, one heartbeat. */
const SLICE = 100;

async function batchCounts(deps: ActivityDeps, input: IngestBatchInput) {
  const rows = await tenantEm(deps.orm, input.tenantId).execute<{ status: string; n: string }[]>(
    `select status, count(*) as n from documents where tenant_id = ? and id in (${input.documentIds.map(() => '?').join(', ')}) group by status`,
    [input.tenantId, ...input.documentIds],
  );
  const by = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  return { ready: by.ready ?? 0, failed: by.failed ?? 0 };
}

export function bulkActivities(deps: ActivityDeps): BulkActivities {
  return {
    async indexDocumentBatch(input) {
      const em = tenantEm(deps.orm, input.tenantId);
      const embedder = cachedEmbedder(await pinnedEmbedder(deps, input), embeddingCacheStore(deps));
      const todo = await unindexedImportDocuments(em, input.tenantId, input.documentIds);
      let done = 0;
      const stopKeepAlive = keepAlive(() => ({ done }));
      try {
        for (let i = 0; i < todo.length; i += SLICE) {
          const slice = todo.slice(i, i + SLICE);
          const chunks: (DocumentChunk & { documentId: string })[] = [];
          const failures: { id: string; reason: string }[] = [];
          for (const doc of slice) {
            try {
              const docChunks = await extractAndChunk(Buffer.from(doc.text, 'utf8'), { mimeType: 'text/plain', name: doc.name }, input.pin.chunking);
              if (docChunks.length === 0) failures.push({ id: doc.id, reason: 'The text is empty: nothing to index.' });
              chunks.push(...docChunks.map((c) => ({ ...c, documentId: doc.id })));
            } catch (err) {
              // A row a person wrote wrong fails alone; anything else (a bug, the database) fails the attempt.
              if (err instanceof ApplicationFailure && err.nonRetryable) failures.push({ id: doc.id, reason: err.message });
              else throw err;
            }
          }
          const vectors = await embedder.embed(chunks.map(embeddingInput));
          await upsertImportChunks(em, input.tenantId, input.knowledgeBaseId, chunks.map((c, j) => ({ ...c, embedding: vectors[j] })), embedder.id);
          await failImportDocuments(em, input.tenantId, failures);
          const failed = new Set(failures.map((f) => f.id));
          await activateImportDocuments(em, input.tenantId, slice.filter((d) => !failed.has(d.id)).map((d) => d.id));
          done += slice.length;
          heartbeat({ done });
        }
      } finally {
        stopKeepAlive();
      }
      return batchCounts(deps, input);
    },

    async failDocumentBatch({ reason, ...input }) {
      const em = tenantEm(deps.orm, input.tenantId);
      const left = await unindexedImportDocuments(em, input.tenantId, input.documentIds);
      await failImportDocuments(em, input.tenantId, left.map((d) => ({ id: d.id, reason })));
      return batchCounts(deps, input);
    },
  };
}
