/** The `ingestDocument` workflow's client: one start per document version, and cancelling when the document goes. */
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { ingestBatchWorkflowId, ingestWorkflowId } from '../core/ids';
import type { IngestBatchInput, IngestDocumentInput } from '../workflows/messages';
import { searchAttributePairs } from '../workflows/search-attributes';

export class IngestClient {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  /**
   * Starts ingesting one source version of a document. The id names the version, so a retried
   * request finds the ingestion already started instead of indexing the same bytes twice.
   */
  async start(input: IngestDocumentInput): Promise<string> {
    return this.startOnce('ingestDocument', ingestWorkflowId(input.tenantId, input.documentId, input.version), input);
  }

  /** Starts one batch of a bulk import; idempotent on (import, batch) like `start`. */
  async startBatch(input: IngestBatchInput): Promise<string> {
    return this.startOnce('ingestBatch', ingestBatchWorkflowId(input.tenantId, input.importId, input.batch), input);
  }

  private async startOnce(type: 'ingestDocument' | 'ingestBatch', workflowId: string, input: { tenantId: string }): Promise<string> {
    try {
      await this.client.workflow.start(type, {
        workflowId,
        taskQueue: this.taskQueue,
        args: [input],
        typedSearchAttributes: searchAttributePairs({ TenantId: input.tenantId }),
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    return workflowId;
  }

  /**
   * Stops ingestions whose document is being deleted, so they do not keep fetching and embedding
   * for rows that are gone. Best effort: one that already finished has nothing to stop.
   */
  async cancel(tenantId: string, documents: { id: string; latestVersion: number }[]): Promise<void> {
    await Promise.allSettled(documents.map((d) => this.client.workflow.getHandle(ingestWorkflowId(tenantId, d.id, d.latestVersion)).cancel()));
  }
}
