/**
 * The `conversation` workflow's client: its id, start options (built once, for start,
 * update-with-start and signal-with-start alike), the `turn` update, the signals and the state
 * query. The API and the inbound dispatcher (ingress/) both start conversations through here.
 */
import { type Client, WithStartWorkflowOperation, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { AppError } from '../core/errors';
import { conversationWorkflowId } from '../core/ids';
import type { Channel } from '../core/messages';
import { INTERACTIVE_TASK_TIMEOUT_MS, type PinnedFlow } from '../core/workflows';
import {
  agentMessageSignal,
  closeSignal,
  inboundSignal,
  keyedTurnUpdateId,
  releaseSignal,
  takeOverSignal,
  turnUpdate,
  type ConversationInput,
  type InboundText,
  type TurnResult,
} from '../workflows/messages';
import { searchAttributePairs } from '../workflows/search-attributes';

/** Signals `conversation` handles (the console may send these by name). */
export const CONVERSATION_SIGNALS = [inboundSignal, agentMessageSignal, takeOverSignal, releaseSignal, closeSignal].map((s) => s.name);

export class ConversationClient {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  private startOptions(tenantId: string, conversationId: string, flow: PinnedFlow, channel: Channel) {
    const input: ConversationInput = {
      tenantId,
      conversationId,
      flowId: flow.flowId,
      flowVersion: flow.version,
      graph: flow.graph,
      channel,
      ...(flow.test ? { test: true } : {}),
      ...(flow.assistant ? { assistant: true } : {}),
    };
    return {
      workflowId: conversationWorkflowId(tenantId, conversationId),
      taskQueue: this.taskQueue,
      args: [input] as [ConversationInput],
      workflowTaskTimeout: INTERACTIVE_TASK_TIMEOUT_MS,
      typedSearchAttributes: searchAttributePairs({ TenantId: tenantId, FlowId: flow.flowId, FlowVersion: flow.version, Stage: 'bot', Channel: channel }),
    };
  }

  /** Starts (or finds running) the conversation workflow; returns its id. */
  async start(tenantId: string, conversationId: string, flow: PinnedFlow, channel: Channel): Promise<string> {
    const opts = this.startOptions(tenantId, conversationId, flow, channel);
    await this.client.workflow.start('conversation', { ...opts, workflowIdConflictPolicy: 'USE_EXISTING' });
    return opts.workflowId;
  }

  /**
   * One synchronous turn. A plain update to the running workflow first: update-with-start carries
   * the flow's graph and the start options on every turn, and the dev server spent about 2 ms more
   * CPU a turn on it (bench:turn). When the workflow is not running (closed on idle), the
   * same update again with start, so the conversation starts again on the same pinned flow
   * version instead of failing. With a client's `idempotencyKey` the update id is derived from
   * it: Temporal runs an update id once per run, so the same request retried (its answer lost
   * with an API process) gets the first turn's result.
   */
  async turn(tenantId: string, conversationId: string, flow: PinnedFlow, channel: Channel, text: string, idempotencyKey?: string): Promise<TurnResult> {
    const update = { args: [{ text }] as [{ text: string }], ...(idempotencyKey ? { updateId: keyedTurnUpdateId(idempotencyKey) } : {}) };
    const workflowId = conversationWorkflowId(tenantId, conversationId);
    try {
      try {
        return await this.client.workflow.getHandle(workflowId).executeUpdate(turnUpdate, update);
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError)) throw err;
      }
      const startWorkflowOperation = new WithStartWorkflowOperation('conversation', { ...this.startOptions(tenantId, conversationId, flow, channel), workflowIdConflictPolicy: 'USE_EXISTING' });
      return await this.client.workflow.executeUpdateWithStart(turnUpdate, { ...update, startWorkflowOperation });
    } catch (err) {
      throw mapUpdateError(err);
    }
  }

  /** An asynchronous channel's message: signal-with-start, so a closed conversation starts again on its pinned version. */
  async inbound(tenantId: string, conversationId: string, flow: PinnedFlow, channel: Channel, message: InboundText): Promise<void> {
    await this.client.workflow.signalWithStart('conversation', { ...this.startOptions(tenantId, conversationId, flow, channel), signal: inboundSignal, signalArgs: [message] });
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
}

function mapUpdateError(err: unknown): unknown {
  if (err instanceof WorkflowUpdateFailedError) {
    const message = err.cause?.message ?? err.message;
    if (/closed/i.test(message)) return new AppError('conversation_closed', message);
    return new AppError('bad_request', message, { field: 'text' });
  }
  return err;
}
