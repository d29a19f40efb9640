/**
 * The `campaign` workflow's client: started with the campaign's draft (idempotent: one run per
 * campaign), changed through its updates, so the caller gets the new state back or the refusal
 * (a 409 naming why: "cannot approve a campaign that is draft"), and asked for its progress.
 */
import { type Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import type { UpdateDefinition } from '@temporalio/common';
import { AppError } from '../core/errors';
import { campaignWorkflowId, TASK_QUEUE } from '../core/ids';
import {
  approveUpdate,
  campaignCancelUpdate,
  campaignProgressQuery,
  changeRateUpdate,
  generateUpdate,
  pauseUpdate,
  requestChangesUpdate,
  resumeUpdate,
  submitUpdate,
  type CampaignInput,
  type CampaignState,
} from '../workflows/messages';
import { searchAttributePairs } from '../workflows/search-attributes';

const UPDATES = {
  generate: generateUpdate,
  submit: submitUpdate,
  approve: approveUpdate,
  requestChanges: requestChangesUpdate,
  pause: pauseUpdate,
  resume: resumeUpdate,
  cancel: campaignCancelUpdate,
  changeRate: changeRateUpdate,
} as const;
export type CampaignUpdateName = keyof typeof UPDATES;
type Def<N extends CampaignUpdateName> = (typeof UPDATES)[N];
export type CampaignUpdateArgs<N extends CampaignUpdateName> = Def<N> extends UpdateDefinition<unknown, [infer A]> ? A : never;
export type CampaignUpdateResult<N extends CampaignUpdateName> = Def<N> extends UpdateDefinition<infer R, [unknown]> ? R : never;

export class CampaignClient {
  constructor(
    private readonly client: Client,
    private readonly taskQueue = TASK_QUEUE,
  ) {}

  /** Starts the campaign's run; a run already going (a retried create) is kept. */
  async startCampaign(tenantId: string, campaignId: string): Promise<string> {
    const workflowId = campaignWorkflowId(tenantId, campaignId);
    const input: CampaignInput = { tenantId, campaignId };
    try {
      await this.client.workflow.start('campaign', {
        workflowId,
        taskQueue: this.taskQueue,
        args: [input],
        typedSearchAttributes: searchAttributePairs({ TenantId: tenantId, Stage: 'draft' }),
        workflowIdConflictPolicy: 'USE_EXISTING',
        // A campaign has one run chain: a retried create after it ended must not start it again.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    return workflowId;
  }

  /** Runs one action; a refused one is a 409 with the workflow's reason, a finished run a 409 too. */
  async campaignUpdate<N extends CampaignUpdateName>(tenantId: string, campaignId: string, name: N, args: CampaignUpdateArgs<N>): Promise<CampaignUpdateResult<N>> {
    const handle = this.handle(tenantId, campaignId);
    try {
      return (await handle.executeUpdate(UPDATES[name] as UpdateDefinition<CampaignUpdateResult<N>, [CampaignUpdateArgs<N>]>, { args: [args] })) as CampaignUpdateResult<N>;
    } catch (err) {
      throw translate(err);
    }
  }

  /** The live counters (a finished run answers with its last state); null when there is no run. */
  async campaignProgress(tenantId: string, campaignId: string): Promise<CampaignState | null> {
    try {
      return await this.handle(tenantId, campaignId).query(campaignProgressQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError || isClosedError(err)) return null;
      throw err;
    }
  }

  private handle(tenantId: string, campaignId: string): WorkflowHandle {
    return this.client.workflow.getHandle(campaignWorkflowId(tenantId, campaignId));
  }
}

function translate(err: unknown): unknown {
  if (err instanceof WorkflowNotFoundError || isClosedError(err)) return new AppError('conflict', 'the campaign is over: nothing more can change', { field: 'id' });
  if (err instanceof WorkflowUpdateFailedError) {
    // A validator's refusal, or an activity's (generation failed, the campaign has no content…).
    const cause = err.cause instanceof ActivityFailure ? err.cause.cause : err.cause;
    const message = (cause as Error | undefined)?.message ?? err.message;
    const type = cause instanceof ApplicationFailure ? cause.type : null;
    if (type === 'validation_failed' || type === 'bad_request') return new AppError('validation_failed', message, { field: (cause as ApplicationFailure).details?.[0] as string | undefined });
    if (type === 'not_found') return new AppError('not_found', message, { field: 'id' });
    return new AppError('conflict', message, { field: 'status' });
  }
  return err;
}

/** An update or query to a finished run: the server answers NOT_FOUND ("workflow execution already completed"). */
function isClosedError(err: unknown): boolean {
  return err instanceof Error && /already completed|workflow execution.*(completed|closed)/i.test(err.message) && !(err instanceof WorkflowUpdateFailedError);
}
