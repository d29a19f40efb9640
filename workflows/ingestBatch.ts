/**
 * Indexes one batch of a bulk import: the documents exist already (created by the API in one
 * transaction), so the run is one heartbeating activity that embeds and stores them together.
 * Per-document outcomes are on the document rows; the run returns the counts. An activity that
 * runs out of attempts (a database or embedding provider away for minutes) marks what is left
 * failed rather than pending forever.
 */
import { ActivityFailure, setHandler } from '@temporalio/workflow';
import { ActivityCaller } from './flow/activities';
import { failureReason } from './ingestDocument';
import { ingestBatchProgressQuery, type IngestBatchInput, type IngestBatchProgress } from './messages';
import { setRunAttributes } from './runtime/search-attributes';

export async function ingestBatch(input: IngestBatchInput): Promise<{ ready: number; failed: number; error: string | null }> {
  const acts = new ActivityCaller();
  let progress: IngestBatchProgress = { stage: 'queued', total: input.documentIds.length, ready: 0, failed: 0 };
  setHandler(ingestBatchProgressQuery, () => progress);
  setRunAttributes({ TenantId: input.tenantId, Stage: 'indexing' });
  progress = { ...progress, stage: 'indexing' };
  try {
    const { ready, failed } = await acts.call('@index', 'indexDocumentBatch', input);
    progress = { ...progress, stage: 'done', ready, failed };
    setRunAttributes({ Stage: 'done' });
    return { ready, failed, error: null };
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    const reason = failureReason(err);
    const { ready, failed } = await acts.call('@fail', 'failDocumentBatch', { ...input, reason });
    progress = { ...progress, stage: 'done', ready, failed };
    setRunAttributes({ Stage: 'failed' });
    return { ready, failed, error: reason };
  }
}
