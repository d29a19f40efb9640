/**
 * The `ivrCall` workflow's client: every webhook of a call is one `callEvent` update; the first
 * (or whichever arrives first) starts the run with it (update-with-start, USE_EXISTING). A run
 * that has finished is never started again for the same CallSid (REJECT_DUPLICATE): a late
 * webhook gets `null` and the API answers it with a hangup.
 */
import { type Client, WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { callWorkflowId } from '../core/ids';
import { INTERACTIVE_TASK_TIMEOUT_MS } from '../core/workflows';
import type { CallAnswer, CallEvent } from '../core/voice/types';
import { callEventUpdate, callStateQuery, type CallState, type IvrCallInput } from '../workflows/messages';
import { searchAttributePairs } from '../workflows/search-attributes';

export class IvrCallClient {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  /** The event to the call's run, starting it with `input` when it is not running; null when the call's run is over. */
  async event(input: IvrCallInput, event: CallEvent): Promise<CallAnswer | null> {
    const workflowId = callWorkflowId(input.tenantId, input.callSid);
    const startWorkflowOperation = new WithStartWorkflowOperation('ivrCall', {
      workflowId,
      taskQueue: this.taskQueue,
      args: [input],
      workflowTaskTimeout: INTERACTIVE_TASK_TIMEOUT_MS,
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: searchAttributePairs({ TenantId: input.tenantId, FlowId: input.flowId, FlowVersion: input.flowVersion, Channel: 'voice', Stage: 'ringing' }),
    });
    try {
      return await this.client.workflow.executeUpdateWithStart(callEventUpdate, { args: [event], startWorkflowOperation });
    } catch (err) {
      if (isOver(err)) return null;
      throw err;
    }
  }

  /** A later webhook of a running call (no start): null when the run is over or was never started. */
  async update(tenantId: string, callSid: string, event: CallEvent): Promise<CallAnswer | null> {
    try {
      return await this.client.workflow.getHandle(callWorkflowId(tenantId, callSid)).executeUpdate(callEventUpdate, { args: [event] });
    } catch (err) {
      if (isOver(err)) return null;
      throw err;
    }
  }

  state(tenantId: string, callSid: string): Promise<CallState | null> {
    return this.client.workflow
      .getHandle(callWorkflowId(tenantId, callSid))
      .query(callStateQuery)
      .catch(() => null);
  }
}

/** The run finished (or never ran): Temporal refuses the update; a validator's refusal is not that. */
function isOver(err: unknown): boolean {
  if (err instanceof WorkflowNotFoundError || err instanceof WorkflowExecutionAlreadyStartedError) return true;
  if (err instanceof WorkflowUpdateFailedError) return false;
  const message = (err as Error)?.message ?? '';
  return /workflow execution already completed|already started|not found/i.test(message);
}
