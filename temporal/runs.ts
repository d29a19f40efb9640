/**
 * What the API asks of any workflow kind: describe a run (status, output, live state through the
 * kind's state query), its history with the node trace, and the runs list through visibility.
 */
import { type Client, isGrpcServiceError, QueryNotRegisteredError, type WorkflowHandle, WorkflowNotFoundError } from '@temporalio/client';
import { AppError } from '../core/errors';
import { ownWorkflowId, parseWorkflowId } from '../core/ids';
import type { WorkflowType } from '../core/workflows';
import { calendarSyncProgressQuery, CALENDAR_SYNC_SIGNALS, conversationStateQuery, flowRunStateQuery, imapProgressQuery, ingestBatchProgressQuery, ingestProgressQuery, mediaProgressQuery, type FlowRunOutput, type TraceEntry } from '../workflows/messages';
import { appointmentStateQuery, APPOINTMENT_SIGNALS, campaignProgressQuery } from '../workflows/messages';
import { alertEvaluationProgressQuery, analyticsReportProgressQuery, retentionProgressQuery, videoRenderStageQuery } from '../workflows/messages';
import { presenceAuditProgressQuery, presenceFollowUpStateQuery } from '../workflows/messages';
import { callStateQuery } from '../workflows/messages';
import { CONVERSATION_SIGNALS } from './conversation';
import { describeWorkflow } from './describe';
import { FLOW_RUN_SIGNALS } from './flow-run';
import { summarizeExecution } from './visibility';

const TRACE_QUERY_ATTEMPTS = 2;
const TRACE_QUERY_RETRY_MS = 250;

/** Each workflow kind answers its own live-state query (one line a kind). */
const STATE_QUERIES = {
  conversation: conversationStateQuery,
  flowRun: flowRunStateQuery,
  ingestDocument: ingestProgressQuery,
  fetchInboundMedia: mediaProgressQuery,
  ingestBatch: ingestBatchProgressQuery,
  imapMailbox: imapProgressQuery,
  calendarSync: calendarSyncProgressQuery,
  appointment: appointmentStateQuery,
  campaign: campaignProgressQuery,
  analyticsReport: analyticsReportProgressQuery,
  alertEvaluation: alertEvaluationProgressQuery,
  retention: retentionProgressQuery,
  videoRender: videoRenderStageQuery,
  presenceAudit: presenceAuditProgressQuery,
  presenceFollowUp: presenceFollowUpStateQuery,
  ivrCall: callStateQuery,
} satisfies Record<WorkflowType, unknown>;

/** Signals each workflow kind handles; anything else is refused (one line a kind). */
const KNOWN_SIGNALS: Record<WorkflowType, readonly string[]> = {
  conversation: CONVERSATION_SIGNALS,
  flowRun: FLOW_RUN_SIGNALS,
  ingestDocument: [],
  fetchInboundMedia: [],
  ingestBatch: [],
  imapMailbox: [],
  calendarSync: CALENDAR_SYNC_SIGNALS,
  appointment: APPOINTMENT_SIGNALS,
  campaign: [],
  analyticsReport: [],
  alertEvaluation: [],
  retention: [],
  videoRender: [],
  presenceAudit: [],
  presenceFollowUp: [],
  ivrCall: [],
};
/** Each workflow kind answers its own live-state query. */

/** Signals each workflow kind handles; anything else is refused. */

const isWorkflowType = (type: string): type is WorkflowType => Object.hasOwn(STATE_QUERIES, type);

/** The signals a workflow of `type` handles (none for a type that is not ours). */
export const knownSignals = (type: string): readonly string[] => (isWorkflowType(type) ? KNOWN_SIGNALS[type] : []);

export class RunsClient {
  constructor(private readonly client: Client) {}

  /**
   * Status, output and live state of any of the tenant's runs (an automation's runId, or the
   * workflow id of a conversation, automation or ingestion), scoped to the tenant by its id.
   */
  async describeRun(tenantId: string, runIdOrWorkflowId: string) {
    const workflowId = ownWorkflowId(tenantId, runIdOrWorkflowId, runIdOrWorkflowId.includes(':') ? null : 'run');
    const handle = this.client.workflow.getHandle(workflowId);
    const description = await describeWorkflow(this.client, handle.workflowId);
    const status = description.status.name;
    const isFlowRun = description.type === 'flowRun';
    let output: FlowRunOutput | null = null;
    let state: unknown = null;
    let error: string | null = null;
    // Only automations have an output.
    const stateQuery = STATE_QUERIES[isWorkflowType(description.type) ? description.type : 'conversation'];
    if (status === 'COMPLETED' && isFlowRun) output = await handle.result();
    else if (status === 'RUNNING') state = await handle.query<unknown>(stateQuery).catch(() => null);
    else if (status === 'FAILED' || status === 'TERMINATED' || status === 'TIMED_OUT' || status === 'CANCELLED') {
      error = await handle.result().then(
        () => null,
        (e: Error) => (e.cause as Error | undefined)?.message ?? e.message,
      );
    }
    return {
      runId: parseWorkflowId(workflowId)?.rest ?? workflowId,
      workflowId,
      type: description.type,
      // Spelled as the runs list (visibility) spells it.
      status: status === 'CANCELLED' ? 'canceled' : status.toLowerCase(),
      startTime: description.startTime.toISOString(),
      closeTime: description.closeTime?.toISOString() ?? null,
      output,
      state,
      error,
    };
  }

  /**
   * Full event history plus the workflow's node trace. `traceRead` is false when the trace query
   * failed (a closed run is queried by replaying it on a worker, which a loaded worker may not
   * answer in time): the history is still whole, and the caller can ask again for the path.
   */
  async historyWithTrace(workflowId: string): Promise<{ events: unknown[]; trace: TraceEntry[]; traceRead: boolean; type: string; status: string }> {
    const description = await describeWorkflow(this.client, workflowId);
    const handle = this.client.workflow.getHandle(workflowId);
    const history = await handle.fetchHistory();
    const trace = await this.readTrace(handle);
    return { events: history.events ?? [], trace: trace ?? [], traceRead: trace !== null, type: description.type, status: description.status.name.toLowerCase() };
  }

  /** The trace from the `state` query, asked twice; `[]` for kinds without one, `null` if unread. */
  private async readTrace(handle: WorkflowHandle): Promise<TraceEntry[] | null> {
    for (let attempt = 1; ; attempt++) {
      try {
        const state = await handle.query<{ trace?: TraceEntry[] } | null>('state');
        return state?.trace ?? [];
      } catch (err) {
        if (err instanceof QueryNotRegisteredError) return [];
        if (attempt === TRACE_QUERY_ATTEMPTS) return null;
        await new Promise((resolve) => setTimeout(resolve, TRACE_QUERY_RETRY_MS));
      }
    }
  }

  /**
   * Erasure: deletes every run the server keeps of each workflow id (closed ones included, found
   * through visibility), history and visibility record alike; the server terminates a running one
   * first. (Terminating it ourselves just before raced the deletion, which then left the closed run
   * in place.) Deletion is asynchronous; what an archival store already holds is not reached (README).
   */
  async deleteExecutions(workflowIds: readonly string[]): Promise<{ terminated: number; deleted: number }> {
    let terminated = 0;
    let deleted = 0;
    const namespace = this.client.options.namespace;
    const ignoreNotFound = (err: unknown) => {
      if (!(isGrpcServiceError(err) && err.code === GRPC_NOT_FOUND) && !(err instanceof WorkflowNotFoundError)) throw err;
    };
    for (const workflowId of workflowIds) {
      const runs: { runId: string; running: boolean }[] = [];
      for await (const run of this.client.workflow.list({ query: `WorkflowId = ${quote(workflowId)}` })) runs.push({ runId: run.runId, running: run.status.name === 'RUNNING' });
      // A running run is terminated by the deletion itself.
      terminated += runs.filter((r) => r.running).length;
      // The latest run too, by id alone: visibility may not list a run started a moment ago.
      for (const runId of [...runs.map((r) => r.runId), undefined]) {
        await this.client.workflowService.deleteWorkflowExecution({ namespace, workflowExecution: { workflowId, runId } }).then(() => runId && deleted++, ignoreNotFound);
      }
    }
    return { terminated, deleted };
  }

  /** Lists runs through visibility, always filtered by the tenant's search attribute. */
  async listRuns(
    tenantId: string,
    filter: { flowId?: string; status?: string; type?: string; channel?: string; from?: string; to?: string; includeTest?: boolean; limit: number; cursor?: string },
  ) {
    const clauses = [`TenantId = ${quote(tenantId)}`];
    // Test conversations run drafts as version 0; flows that are not flow runs have no version at all.
    if (!filter.includeTest) clauses.push('(FlowVersion IS NULL OR FlowVersion != 0)');
    if (filter.from) clauses.push(`StartTime >= ${quote(filter.from)}`);
    if (filter.to) clauses.push(`StartTime <= ${quote(filter.to)}`);
    if (filter.flowId) clauses.push(`FlowId = ${quote(filter.flowId)}`);
    if (filter.type) clauses.push(`WorkflowType = ${quote(filter.type)}`);
    if (filter.channel) clauses.push(`Channel = ${quote(filter.channel)}`);
    if (filter.status) {
      const execution = EXECUTION_STATUS[filter.status.toLowerCase()];
      clauses.push(execution ? `ExecutionStatus = ${quote(execution)}` : `Stage = ${quote(filter.status)}`);
    }
    const response = await this.client.workflowService.listWorkflowExecutions({
      namespace: this.client.options.namespace,
      query: clauses.join(' AND '),
      pageSize: filter.limit,
      nextPageToken: filter.cursor ? Buffer.from(filter.cursor, 'base64url') : undefined,
    }).catch((err) => {
      // Values are validated and quoted; a query the visibility store still refuses (a server whose
      // store cannot filter on a stage) is a 400 about the filter, not a 500.
      if (isGrpcServiceError(err) && err.code === GRPC_INVALID_ARGUMENT) {
        throw new AppError('validation_failed', `this filter cannot be used here: ${err.details}`, { field: filter.status ? 'status' : 'query' });
      }
      throw err;
    });
    return {
      runs: (response.executions ?? []).map((e) => summarizeExecution(e)),
      nextCursor: response.nextPageToken?.length ? Buffer.from(response.nextPageToken).toString('base64url') : null,
    };
  }
}

const GRPC_INVALID_ARGUMENT = 3;
const GRPC_NOT_FOUND = 5;

const EXECUTION_STATUS: Record<string, string> = {
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  canceled: 'Canceled',
  cancelled: 'Canceled',
  terminated: 'Terminated',
  timed_out: 'TimedOut',
  continued_as_new: 'ContinuedAsNew',
};

/** Visibility queries are SQL-like strings: quote values so a filter can never change the query. */
function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
