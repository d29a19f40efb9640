/** The `flowRun` workflow's client: idempotent starts, the `resume` signal, its signals and state query. */
import { randomUUID } from 'node:crypto';
import { type Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { AppError } from '../core/errors';
import { flowRunWorkflowId, ownWorkflowId } from '../core/ids';
import { INTERACTIVE_TASK_TIMEOUT_MS, type PinnedFlow } from '../core/workflows';
import { resumeSignal, type FlowRunInput } from '../workflows/messages';
import { searchAttributePairs } from '../workflows/search-attributes';
import { describeWorkflow } from './describe';

export const FLOW_RUN_SIGNALS = [resumeSignal.name];

export class FlowRunClient {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  /** Starts a `flowRun`; the same idempotency key returns the run already started, never a second one. */
  async start(tenantId: string, flow: PinnedFlow, input: Record<string, unknown>, idempotencyKey?: string) {
    const key = idempotencyKey ?? randomUUID();
    const workflowId = flowRunWorkflowId(tenantId, key);
    const args: FlowRunInput = { tenantId, flowId: flow.flowId, flowVersion: flow.version, graph: flow.graph, input };
    try {
      const handle = await this.client.workflow.start('flowRun', {
        workflowId,
        taskQueue: this.taskQueue,
        args: [args],
        workflowTaskTimeout: INTERACTIVE_TASK_TIMEOUT_MS,
        typedSearchAttributes: searchAttributePairs({ TenantId: tenantId, FlowId: flow.flowId, FlowVersion: flow.version, Stage: 'running' }),
        // Running or finished, a second start with the same key fails: that is the idempotency.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
      return { runId: key, workflowId, temporalRunId: handle.firstExecutionRunId, created: true };
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return { runId: key, workflowId, temporalRunId: null, created: false };
      throw err;
    }
  }

  /** Answers the `ask` an automation run is waiting on; returns its workflow id. */
  async resume(tenantId: string, runIdOrWorkflowId: string, text: string): Promise<string> {
    const workflowId = ownWorkflowId(tenantId, runIdOrWorkflowId, 'run');
    const description = await describeWorkflow(this.client, workflowId);
    if (description.status.name !== 'RUNNING') {
      throw new AppError('conflict', `the run is ${description.status.name.toLowerCase()}, not waiting for input`, { field: 'runId' });
    }
    await this.client.workflow.getHandle(workflowId).signal(resumeSignal, { text });
    return workflowId;
  }
}
