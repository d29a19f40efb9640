/** The `presenceAudit` workflow's client: one start per audit (its id carries the audit's), the progress query. */
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { AuditProgress } from '../core/presence/types';
import { presenceAuditProgressQuery, type PresenceAuditInput, type PresenceAuditResult } from '../workflows/messages';
import { searchAttributePairs } from '../workflows/search-attributes';

export class PresenceAuditClient {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  /** Starts the audit under its id (REJECT_DUPLICATE); false when a retried request finds it started. */
  start(workflowId: string, input: PresenceAuditInput): Promise<boolean> {
    const attributes = searchAttributePairs({ TenantId: input.tenantId, Stage: 'queued' });
    return this.client.workflow
      .start('presenceAudit', { workflowId, taskQueue: this.taskQueue, args: [input], typedSearchAttributes: attributes, workflowIdReusePolicy: 'REJECT_DUPLICATE' })
      .then(
        () => true,
        (err) => (err instanceof WorkflowExecutionAlreadyStartedError ? false : Promise.reject(err)),
      );
  }

  /** Live progress; null when the run is gone or does not answer (the stored row then says where it is). */
  progress(workflowId: string): Promise<AuditProgress | null> {
    return this.client.workflow.getHandle(workflowId).query(presenceAuditProgressQuery).catch(() => null);
  }

  /** Waits for the audit's end (tests, the benchmark). */
  result(workflowId: string): Promise<PresenceAuditResult> {
    return this.client.workflow.getHandle(workflowId).result();
  }
}
