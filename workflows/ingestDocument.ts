/**
 * Ingests one version of one document: fetch (URL documents) → index → activate. A failure ends
 * the run normally with `status: 'failed'` and the reason, after `failDocumentVersion` has marked
 * the version and removed what it wrote: the document row is where people read the outcome, and a
 * run that throws would only add a second, less readable copy of the same error.
 *
 * Activities are tagged with `@`-pseudo nodes per stage (`@fetch#1`, `@index#2`…), so the history
 * API groups the run by stage like a flow's nodes.
 */
import { ActivityFailure, ApplicationFailure, CancellationScope, isCancellation, setHandler } from '@temporalio/workflow';
import { ActivityCaller } from './flow/activities';
import { ingestProgressQuery, type IngestDocumentInput, type IngestProgress } from './messages';
import { setRunAttributes } from './runtime/search-attributes';

export interface IngestDocumentResult {
  status: 'ready' | 'failed';
  chunkCount: number;
  error: string | null;
  /** Chunks sent to the embedding model / served from the embedding cache (the final attempt's counts). */
  embedded: number;
  cached: number;
}

/** The person-readable reason of an activity failure: the innermost application message. */
export function failureReason(err: ActivityFailure): string {
  let cause: unknown = err.cause;
  while (cause instanceof Error && !(cause instanceof ApplicationFailure) && cause.cause) cause = cause.cause;
  return cause instanceof Error ? cause.message : err.message;
}

export async function ingestDocument(input: IngestDocumentInput): Promise<IngestDocumentResult> {
  const acts = new ActivityCaller();
  const ref = { tenantId: input.tenantId, documentId: input.documentId, version: input.version };
  let progress: IngestProgress = { stage: 'queued', chunkCount: null, error: null };
  setHandler(ingestProgressQuery, () => progress);
  const stage = (next: IngestProgress['stage'], patch: Partial<IngestProgress> = {}) => {
    progress = { ...progress, ...patch, stage: next };
    setRunAttributes({ Stage: next });
  };
  setRunAttributes({ TenantId: input.tenantId });

  try {
    if (input.sourceType === 'url') {
      stage('fetching');
      await acts.call('@fetch', 'fetchDocumentSource', ref);
    }
    stage('indexing');
    const indexed = await acts.call('@index', 'indexDocumentVersion', input.pin ? { ...ref, pin: input.pin } : ref);
    stage('activating');
    const { activated } = await acts.call('@activate', 'activateDocumentVersion', ref);
    if (!activated) {
      // A newer version finished first; the activity dropped this version's chunks.
      const error = `Version ${input.version} was superseded by a newer version before it finished indexing.`;
      stage('failed', { chunkCount: 0, error });
      return { status: 'failed', chunkCount: 0, error, embedded: indexed.embedded, cached: indexed.cached };
    }
    stage('ready', { chunkCount: indexed.chunkCount });
    return { status: 'ready', chunkCount: indexed.chunkCount, error: null, embedded: indexed.embedded, cached: indexed.cached };
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    const reason = isCancellation(err) ? 'Indexing was cancelled.' : failureReason(err);
    // Cleanup must run even when the run itself is being cancelled.
    await CancellationScope.nonCancellable(() => acts.call('@fail', 'failDocumentVersion', { ...ref, reason }));
    stage('failed', { chunkCount: 0, error: reason });
    if (isCancellation(err)) throw err;
    return { status: 'failed', chunkCount: 0, error: reason, embedded: 0, cached: 0 };
  }
}
