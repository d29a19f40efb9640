/**
 * The ingestion activities the `ingestDocument` workflow runs, in order: fetch (URL documents),
 * index (extract → chunk → embed → upsert, in batches that heartbeat), activate; or, on failure,
 * fail. Everything a person uploaded wrong fails non-retryably as `ExtractionError`, with the
 * extractor's message, so the document shows a reason they can act on.
 */
import { ApplicationFailure } from '@temporalio/common';
import { chunkDocument, embeddingInput } from '../../core/knowledge/chunk';
import type { DocumentChunk, Embedder, IngestPin } from '../../core/knowledge/types';
import { tenantEm } from '../../db/orm';
import {
  activateVersion,
  deleteVersionChunks,
  failVersion,
  getDocument,
  getDocumentSource,
  getKnowledgeBase,
  setDocumentProgress,
  setSourceContent,
  upsertChunks,
} from '../../db/repos/knowledge';
import { activityContext, cancellationSignal, heartbeat, keepAlive } from '../context';
import type { ActivityDeps } from '../deps';
import { queueEvent, subjectJobId } from '../events';
import { flowPolicy } from '../../net/allowlist';
import type { IngestRef, SwitchboardActivities } from '../types';
import { cachedEmbedder } from '../../knowledge/embedder';
import { extractDocument, ExtractionError } from '../../knowledge/extract';
import { fetchSource, SourceFetchError } from '../../knowledge/ingest-fetch';
import { baseEmbedderForTenant, embeddingCacheStore } from '../../knowledge/tenant-embedder';

type IngestActivities = Pick<SwitchboardActivities, 'fetchDocumentSource' | 'indexDocumentVersion' | 'activateDocumentVersion' | 'failDocumentVersion'>;

/** Chunks embedded and stored per step: one heartbeat, one progress write, one resume point. */
export const INGEST_BATCH = 64;

/** What an attempt reports in its heartbeats; a retried attempt resumes from `nextBatch`. */
export interface IngestHeartbeat {
  nextBatch: number;
}

const extractionFailure = (message: string) => ApplicationFailure.nonRetryable(message, 'ExtractionError');

async function loadVersion(em: ReturnType<typeof tenantEm>, ref: IngestRef) {
  const document = await getDocument(em, ref.documentId);
  // Deleted while queued: nothing to index, and nothing a retry could find.
  if (!document) throw ApplicationFailure.nonRetryable(`document ${ref.documentId} not found`, 'NotFound');
  return document;
}

export function ingestActivities(deps: ActivityDeps): IngestActivities {
  return {
    async fetchDocumentSource(ref) {
      const em = tenantEm(deps.orm, ref.tenantId);
      const document = await loadVersion(em, ref);
      if (!document.sourceUrl) throw ApplicationFailure.nonRetryable('This document has no link to fetch.', 'ExtractionError');
      await setDocumentProgress(em, ref.documentId, { status: 'processing', stage: 'fetching', percent: 0, error: null });
      try {
        const { bytes, mimeType } = await fetchSource(document.sourceUrl, {
          policy: flowPolicy(deps.config),
          signal: cancellationSignal(),
          onProgress: (received) => heartbeat({ received }),
        });
        await setSourceContent(em, ref.documentId, ref.version, bytes, mimeType);
        return { byteSize: bytes.length, mimeType };
      } catch (err) {
        if (err instanceof SourceFetchError) {
          // Transient ones keep a readable message, which the workflow reports once retries run out.
          throw err.permanent ? extractionFailure(err.message) : ApplicationFailure.retryable(err.message, 'FetchError');
        }
        throw err;
      }
    },

    async indexDocumentVersion(ref) {
      const em = tenantEm(deps.orm, ref.tenantId);
      const document = await loadVersion(em, ref);
      const [source, kb] = await Promise.all([getDocumentSource(em, ref.documentId, ref.version), getKnowledgeBase(em, document.knowledgeBase)]);
      if (!source || !kb) throw ApplicationFailure.nonRetryable(`version ${ref.version} of document ${ref.documentId} not found`, 'NotFound');
      // A newer version's ingestion owns the progress fields; this one only writes its chunks.
      const progress = ref.version === document.latestVersion
        ? (stage: string, percent: number, chunkCount?: number) =>
            setDocumentProgress(em, ref.documentId, { status: 'processing', stage, percent, error: null, ...(chunkCount !== undefined ? { chunkCount } : {}) })
        : async () => false;

      await progress('extracting', 0);
      const bytes = source.content ?? new Uint8Array();
      const resumed = activityContext()?.info.heartbeatDetails as IngestHeartbeat | undefined;
      // Parsing a large PDF or waiting on a slow embedding provider can each take longer than the
      // heartbeat timeout: keep the attempt alive throughout, repeating the resume point so a crash
      // at any moment still resumes where the last stored batch left off.
      const resume: IngestHeartbeat = { nextBatch: resumed?.nextBatch ?? 0 };
      const stopKeepAlive = keepAlive(() => resume);
      try {
        // The driver may hand back a plain Uint8Array; wrap it without copying the file.
        const chunking = ref.pin?.chunking ?? { maxTokens: kb.chunkSize, overlapTokens: kb.chunkOverlap };
        const chunks = await extractAndChunk(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), document, chunking);
        let embedded = 0;
        const embedder = cachedEmbedder(await pinnedEmbedder(deps, ref), embeddingCacheStore(deps), (n) => (embedded += n));

        const batches = Math.ceil(chunks.length / INGEST_BATCH);
        const first = Math.min(resume.nextBatch, batches);
        // The total is known once chunked: progress shows it while the batches are embedded.
        await progress('embedding', Math.floor((first * 100) / Math.max(1, batches)), chunks.length);
        let processed = 0;
        for (let batch = first; batch < batches; batch++) {
          const slice = chunks.slice(batch * INGEST_BATCH, (batch + 1) * INGEST_BATCH);
          await embedAndStore(em, ref, slice, embedder);
          processed += slice.length;
          await progress('embedding', Math.min(99, Math.floor(((batch + 1) * 100) / batches)));
          resume.nextBatch = batch + 1;
          heartbeat({ ...resume });
        }
        return { chunkCount: chunks.length, embedded, cached: processed - embedded };
      } finally {
        stopKeepAlive();
      }
    },

    async activateDocumentVersion(ref) {
      const em = tenantEm(deps.orm, ref.tenantId);
      const activated = await activateVersion(em, ref.documentId, ref.version);
      // A newer version went live first: this one's chunks would never be seen.
      if (!activated) await deleteVersionChunks(em, ref.documentId, ref.version);
      else {
        const data = { documentId: ref.documentId, version: ref.version };
        await queueEvent(deps.eventsQueue, { tenantId: ref.tenantId, type: 'document.ready', workflowId: activityContext()?.info.workflowExecution?.workflowId ?? '', data }, subjectJobId(ref.tenantId, 'document.ready', `${ref.documentId}:${ref.version}`));
      }
      return { activated };
    },

    async failDocumentVersion({ reason, ...ref }) {
      await failVersion(tenantEm(deps.orm, ref.tenantId), ref.documentId, ref.version, reason);
    },
  };
}

/**
 * The tenant's embedder, which must still be the one the version started with: vectors of two
 * models in one version would not be comparable, so a change of model ends this version clearly.
 */
export async function pinnedEmbedder(deps: ActivityDeps, ref: { tenantId: string; pin?: IngestPin }): Promise<Embedder> {
  const embedder = await baseEmbedderForTenant({ ...deps, signal: cancellationSignal() }, ref.tenantId, { fresh: true });
  const pinned = ref.pin?.embedderId;
  if (pinned && embedder.id !== pinned) {
    throw ApplicationFailure.nonRetryable(
      `The embedding model changed from ${pinned} to ${embedder.id} while this version was being indexed. Reindex the document to index it with the new model.`,
      'ConfigError',
    );
  }
  return embedder;
}

export async function extractAndChunk(bytes: Buffer, document: { mimeType: string; name: string }, opts: { maxTokens: number; overlapTokens: number }): Promise<DocumentChunk[]> {
  try {
    const extracted = await extractDocument(bytes, { mimeType: document.mimeType, fileName: document.name });
    return chunkDocument(extracted, opts);
  } catch (err) {
    if (err instanceof ExtractionError) throw extractionFailure(err.message);
    // Chunk settings the knowledge base should never have accepted: a retry changes nothing.
    if (err instanceof RangeError) throw ApplicationFailure.nonRetryable(`Knowledge base chunk settings are invalid: ${err.message}`, 'ConfigError');
    throw err;
  }
}

async function embedAndStore(em: ReturnType<typeof tenantEm>, ref: IngestRef, chunks: DocumentChunk[], embedder: Embedder): Promise<void> {
  // The section heading is embedded with the text: it is often what a question names.
  const vectors = await embedder.embed(chunks.map(embeddingInput));
  await upsertChunks(em, ref.tenantId, ref.documentId, ref.version, chunks.map((c, i) => ({ ...c, embedding: vectors[i] })), embedder.id);
}
