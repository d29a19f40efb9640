/**
 * Everything the API asks of Temporal: start conversations and runs, send turns, signal, query,
 * list through visibility. Handlers stay thin; long work happens in workflows.
 */
import { randomUUID } from 'node:crypto';
import {
  type Client,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  isGrpcServiceError,
} from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import { AppError } from '../../core/errors';
import { conversationWorkflowId, flowRunWorkflowId, ingestWorkflowId, parseWorkflowId } from '../../core/ids';
import type { Channel } from '../../core/messages';
import type { ValidGraph } from '../../core/graph/schema';
import {
  agentMessageSignal,
  closeSignal,
  conversationStateQuery,
  flowRunStateQuery,
  ingestProgressQuery,
  releaseSignal,
  resumeSignal,
  takeOverSignal,
  turnUpdate,
  type ConversationInput,
  type ConversationState,
  type FlowRunInput,
  type FlowRunOutput,
  type FlowRunState,
  type IngestDocumentInput,
  type TraceEntry,
  type TurnResult,
} from '../../workflows/messages';
import { summarizeExecution } from './visibility';
import { ChannelKey, FlowIdKey, FlowVersionKey, StatusKey, TenantIdKey } from '../../workflows/search-attributes';

export interface PinnedFlow {
  flowId: string;
  /** 0 for a test conversation on a draft. */
  version: number;
  graph: ValidGraph;
  /** A "Try it" conversation: see ConversationInput.test. */
  test?: boolean;
}

function attributes(tenantId: string, flow: PinnedFlow, channel: Channel | null, status: string): SearchAttributePair[] {
  const pairs: SearchAttributePair[] = [
    { key: TenantIdKey, value: tenantId },
    { key: FlowIdKey, value: flow.flowId },
    { key: FlowVersionKey, value: flow.version },
    { key: StatusKey, value: status },
  ];
  if (channel) pairs.push({ key: ChannelKey, value: channel });
  return pairs;
}

export class WorkflowGateway {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  private conversationStart(tenantId: string, conversationId: string, flow: PinnedFlow, channel: Channel) {
    const input: ConversationInput = {
      tenantId,
      conversationId,
      flowId: flow.flowId,
      flowVersion: flow.version,
      graph: flow.graph,
      channel,
      ...(flow.test ? { test: true } : {}),
    };
    return {
      workflowId: conversationWorkflowId(tenantId, conversationId),
      taskQueue: this.taskQueue,
      args: [input] as [ConversationInput],
      typedSearchAttributes: attributes(tenantId, flow, channel, 'bot'),
      workflowIdConflictPolicy: 'USE_EXISTING' as const,
    };
  }

  /** Starts (or finds running) the conversation workflow; returns its id. */
  async startConversation(tenantId: string, conversationId: string, flow: PinnedFlow, channel: Channel): Promise<string> {
    const opts = this.conversationStart(tenantId, conversationId, flow, channel);
    await this.client.workflow.start('conversation', opts);
    return opts.workflowId;
  }

  /**
   * One synchronous turn: update-with-start, so a conversation whose workflow closed (idle
   * timeout) starts again on the same pinned flow version instead of failing.
   */
  async turn(tenantId: string, conversationId: string, flow: PinnedFlow, channel: Channel, text: string): Promise<TurnResult> {
    const startWorkflowOperation = new WithStartWorkflowOperation('conversation', this.conversationStart(tenantId, conversationId, flow, channel));
    try {
      return await this.client.workflow.executeUpdateWithStart(turnUpdate, { args: [{ text }], startWorkflowOperation });
    } catch (err) {
      throw mapUpdateError(err);
    }
  }

  async agentMessage(workflowId: string, text: string, agent?: string) {
    await this.signal(workflowId, () => this.client.workflow.getHandle(workflowId).signal(agentMessageSignal, { text, agent }));
  }

  async takeOver(workflowId: string, agent?: string) {
    await this.signal(workflowId, () => this.client.workflow.getHandle(workflowId).signal(takeOverSignal, { agent }));
  }

  async release(workflowId: string) {
    await this.signal(workflowId, () => this.client.workflow.getHandle(workflowId).signal(releaseSignal));
  }

  async close(workflowId: string) {
    await this.signal(workflowId, () => this.client.workflow.getHandle(workflowId).signal(closeSignal));
  }

  private async signal(workflowId: string, send: () => Promise<void>) {
    try {
      await send();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) {
        throw new AppError('conversation_closed', `conversation workflow ${workflowId} is not running`);
      }
      throw err;
    }
  }

  /** Starts a `flowRun`; the same idempotency key returns the run already started, never a second one. */
  async startRun(tenantId: string, flow: PinnedFlow, input: Record<string, unknown>, idempotencyKey?: string) {
    const key = idempotencyKey ?? randomUUID();
    const workflowId = flowRunWorkflowId(tenantId, key);
    const args: FlowRunInput = { tenantId, flowId: flow.flowId, flowVersion: flow.version, graph: flow.graph, input };
    try {
      const handle = await this.client.workflow.start('flowRun', {
        workflowId,
        taskQueue: this.taskQueue,
        args: [args],
        typedSearchAttributes: attributes(tenantId, flow, null, 'running'),
        // Running or finished, a second start with the same key fails: that is the idempotency.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
      return { runId: key, workflowId, temporalRunId: handle.firstExecutionRunId, created: true };
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return { runId: key, workflowId, temporalRunId: null, created: false };
      throw err;
    }
  }

  /**
   * Starts ingesting one source version of a document. The id names the version, so a retried
   * request finds the ingestion already started instead of indexing the same bytes twice.
   */
  async startIngest(input: IngestDocumentInput): Promise<string> {
    const workflowId = ingestWorkflowId(input.tenantId, input.documentId, input.version);
    try {
      await this.client.workflow.start('ingestDocument', {
        workflowId,
        taskQueue: this.taskQueue,
        args: [input],
        typedSearchAttributes: [{ key: TenantIdKey, value: input.tenantId }],
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
  async cancelIngests(tenantId: string, documents: { id: string; latestVersion: number }[]): Promise<void> {
    await Promise.allSettled(
      documents.map((d) => this.client.workflow.getHandle(ingestWorkflowId(tenantId, d.id, d.latestVersion)).cancel()),
    );
  }

  /** Answers the `ask` an automation run is waiting on. */
  async resumeRun(tenantId: string, runIdOrWorkflowId: string, text: string) {
    const workflowId = this.ownWorkflowId(tenantId, runIdOrWorkflowId, 'run');
    const description = await this.describe(workflowId);
    if (description.status.name !== 'RUNNING') {
      throw new AppError('conflict', `the run is ${description.status.name.toLowerCase()}, not waiting for input`, { field: 'runId' });
    }
    await this.client.workflow.getHandle(workflowId).signal(resumeSignal, { text });
    return workflowId;
  }

  /**
   * Status, output and live state of any of the tenant's runs (an automation's runId, or the
   * workflow id of a conversation, automation or ingestion), scoped to the tenant by its id.
   */
  async describeRun(tenantId: string, runIdOrWorkflowId: string) {
    const workflowId = this.ownWorkflowId(tenantId, runIdOrWorkflowId, runIdOrWorkflowId.includes(':') ? null : 'run');
    const handle = this.client.workflow.getHandle(workflowId);
    const description = await this.describe(handle.workflowId);
    const status = description.status.name;
    const isFlowRun = description.type === 'flowRun';
    let output: FlowRunOutput | null = null;
    let state: unknown = null;
    let error: string | null = null;
    // Each workflow type answers its own live-state query; only automations have an output.
    const stateQuery = isFlowRun ? flowRunStateQuery : description.type === 'ingestDocument' ? ingestProgressQuery : conversationStateQuery;
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

  async conversationState(workflowId: string): Promise<ConversationState | null> {
    return this.client.workflow
      .getHandle(workflowId)
      .query(conversationStateQuery)
      .catch(() => null);
  }

  /** Tenant ownership is in the id itself: another tenant's id is simply not found. */
  ownWorkflowId(tenantId: string, id: string, kind: 'run' | 'conv' | null): string {
    if (!id.includes(':')) {
      if (kind !== 'run') throw new AppError('not_found', 'run not found', { field: 'workflowId' });
      return flowRunWorkflowId(tenantId, id);
    }
    const parsed = parseWorkflowId(id);
    if (!parsed || parsed.tenantId !== tenantId || (kind && parsed.kind !== kind)) {
      throw new AppError('not_found', 'run not found', { field: 'workflowId' });
    }
    return id;
  }

  async describe(workflowId: string) {
    try {
      return await this.client.workflow.getHandle(workflowId).describe();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new AppError('not_found', 'run not found', { field: 'workflowId' });
      throw err;
    }
  }

  /** Full event history plus the workflow's node trace (when it can still be queried). */
  async historyWithTrace(workflowId: string): Promise<{ events: unknown[]; trace: TraceEntry[]; type: string; status: string }> {
    const description = await this.describe(workflowId);
    const handle = this.client.workflow.getHandle(workflowId);
    const history = await handle.fetchHistory();
    const state = (await handle.query<{ trace?: TraceEntry[] }>('state').catch(() => null)) ?? null;
    return { events: history.events ?? [], trace: state?.trace ?? [], type: description.type, status: description.status.name.toLowerCase() };
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
      clauses.push(execution ? `ExecutionStatus = ${quote(execution)}` : `Status = ${quote(filter.status)}`);
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

function mapUpdateError(err: unknown): unknown {
  if (err instanceof WorkflowUpdateFailedError) {
    const message = err.cause?.message ?? err.message;
    if (/closed/i.test(message)) return new AppError('conversation_closed', message);
    return new AppError('bad_request', message, { field: 'text' });
  }
  return err;
}
