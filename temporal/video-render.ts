/** The `videoRender` workflow's client: one start per render attempt, the D-ID webhook's signal, cancel and the stage query. */
import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { providerDoneSignal, videoRenderStageQuery, type VideoRenderInput, type VideoRenderProgress } from '../workflows/messages';
import { searchAttributePairs } from '../workflows/search-attributes';

export class VideoRenderClient {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  /** Starts the attempt under its id; a retried request finds it started (REJECT_DUPLICATE, the error ignored). */
  async start(workflowId: string, input: VideoRenderInput): Promise<void> {
    try {
      await this.client.workflow.start('videoRender', {
        workflowId,
        taskQueue: this.taskQueue,
        args: [input],
        typedSearchAttributes: searchAttributePairs({ TenantId: input.tenantId, Stage: 'queued' }),
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }

  /** D-ID said the job is finished: the workflow checks now instead of at its next poll. False when the run is gone. */
  async providerDone(workflowId: string, jobId: string): Promise<boolean> {
    try {
      await this.client.workflow.getHandle(workflowId).signal(providerDoneSignal, { jobId });
      return true;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw err;
    }
  }

  async cancel(workflowId: string): Promise<void> {
    await this.client.workflow.getHandle(workflowId).cancel().catch((err) => {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    });
  }

  stage(workflowId: string): Promise<VideoRenderProgress | null> {
    return this.client.workflow.getHandle(workflowId).query(videoRenderStageQuery).catch(() => null);
  }
}
