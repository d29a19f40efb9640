/**
 * Operating on one run from the console: the graph it executed, its raw history, and cancel,
 * terminate, signal and reset-to-node. Tenant ownership is in the workflow id (checked first).
 */
import { randomUUID } from 'node:crypto';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { temporal } from '@temporalio/proto';
import { nodeOfActivityId, nodeOfLocalSummary } from '../../core/activity-tags';
import { AppError } from '../../core/errors';
import type { ValidGraph } from '../../core/graph/schema';
import { ownWorkflowId } from '../../core/ids';
import { decodePayload, decodePayloads } from '../../temporal/proto';
import { knownSignals } from '../../temporal/runs';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

/** A bare id is a flow run's key; a full id must be one of the tenant's workflows. */
export const tenantWorkflowId = (tenantId: string, id: string): string => ownWorkflowId(tenantId, id, id.includes(':') ? null : 'run', 'runId');

/**
 * The nodes a history event belongs to, when it is a node's activity (see workflows/flow/activities.ts):
 * a turn's replies stored together (`deliverMessages`, `recordTurn`) belong to every node that said one.
 */
export function eventNodeIds(e: HistoryEvent): string[] {
  const scheduled = e.activityTaskScheduledEventAttributes;
  if (scheduled?.activityId) return [nodeOfActivityId(scheduled.activityId)].filter((n): n is string => Boolean(n));
  const marker = e.markerRecordedEventAttributes;
  if (marker?.markerName !== LOCAL_ACTIVITY_MARKER || !e.userMetadata?.summary) return [];
  const tagged = nodeOfLocalSummary(String(decodePayload(e.userMetadata.summary)));
  const result = marker.details?.result?.payloads?.[0];
  const decoded = (result ? decodePayload(result) : null) as { replies?: unknown } | unknown[] | null;
  // deliverMessages answers the replies; recordTurn the contact's message and the replies.
  const replies = Array.isArray(decoded) ? decoded : decoded?.replies;
  const said = Array.isArray(replies) ? replies.map((r: { nodeId?: unknown }) => r?.nodeId).filter((n): n is string => typeof n === 'string') : [];
  return [...new Set([...(tagged ? [tagged] : []), ...said])];
}

/** The WorkflowTaskCompleted event that scheduled the node's first activity: resetting there re-runs the node. */
export function resetPointForNode(events: HistoryEvent[], nodeId: string): number | null {
  let lastCompleted: number | null = null;
  for (const e of events) {
    if (e.workflowTaskCompletedEventAttributes) lastCompleted = Number(e.eventId);
    else if (eventNodeIds(e).includes(nodeId)) return lastCompleted;
  }
  return null;
}

export class RunActions {
  constructor(private readonly client: Client) {}

  private handle(workflowId: string) {
    return this.client.workflow.getHandle(workflowId);
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new AppError('not_found', 'run not found', { field: 'runId' });
      if (err instanceof Error && /not found/i.test(err.message) && (err as { code?: number }).code === 5) throw new AppError('not_found', 'run not found', { field: 'runId' });
      throw err;
    }
  }

  private async running(workflowId: string) {
    const description = await this.guard(() => this.handle(workflowId).describe());
    if (description.status.name !== 'RUNNING') throw new AppError('conflict', `the run is ${description.status.name.toLowerCase()}`, { field: 'runId' });
    return description;
  }

  async history(workflowId: string) {
    return this.guard(() => this.handle(workflowId).fetchHistory());
  }

  /** The history as Temporal's own tools write it (tctl / temporal CLI JSON). */
  async rawHistory(workflowId: string): Promise<string> {
    return historyToJSON(await this.history(workflowId));
  }

  /** Flow id, version and graph from the current run's input (what it really executes). */
  async graph(workflowId: string): Promise<{ flowId: string | null; version: number | null; graph: ValidGraph }> {
    const description = await this.guard(() => this.handle(workflowId).describe());
    const page = await this.client.workflowService.getWorkflowExecutionHistory({
      namespace: this.client.options.namespace,
      execution: { workflowId, runId: description.runId },
      maximumPageSize: 1,
    });
    const started = page.history?.events?.[0]?.workflowExecutionStartedEventAttributes;
    const input = decodePayloads(started?.input) as { flowId?: string; flowVersion?: number; graph?: ValidGraph } | undefined;
    if (!input?.graph) throw new AppError('not_found', 'this run has no flow graph (it is not a conversation or a flow run)', { field: 'runId' });
    return { flowId: input.flowId ?? null, version: input.flowVersion ?? null, graph: input.graph };
  }

  async cancel(workflowId: string): Promise<string> {
    const { runId } = await this.running(workflowId);
    await this.guard(() => this.handle(workflowId).cancel());
    return runId;
  }

  async terminate(workflowId: string, reason: string): Promise<string> {
    const { runId } = await this.running(workflowId);
    await this.guard(() => this.handle(workflowId).terminate(reason));
    return runId;
  }

  /** `authorize` runs once the signal is known to be one the workflow handles, before it is sent. */
  async signal(workflowId: string, name: string, args: unknown[], authorize: () => void = () => {}): Promise<string> {
    const { runId, type } = await this.running(workflowId);
    if (!knownSignals(type).includes(name)) {
      const known = knownSignals(type).join(', ') || 'none';
      throw new AppError('bad_request', `${type} workflows do not handle signal '${name}' (known: ${known})`, { field: 'name' });
    }
    authorize();
    await this.guard(() => this.handle(workflowId).signal(name, ...args));
    return runId;
  }

  /** Resets the run to the workflow task before the node's first activity; the new run id comes back. */
  async resetToNode(workflowId: string, nodeId: string): Promise<string> {
    const description = await this.guard(() => this.handle(workflowId).describe());
    const history = await this.history(workflowId);
    const eventId = resetPointForNode(history.events ?? [], nodeId);
    if (eventId === null) throw new AppError('conflict', `node '${nodeId}' ran no activity in this run: there is no point to reset to`, { field: 'nodeId' });
    const response = await this.client.workflowService.resetWorkflowExecution({
      namespace: this.client.options.namespace,
      workflowExecution: { workflowId, runId: description.runId },
      reason: `reset to node ${nodeId} from the console`,
      workflowTaskFinishEventId: eventId as never,
      requestId: randomUUID(),
    });
    return response.runId ?? '';
  }
}
