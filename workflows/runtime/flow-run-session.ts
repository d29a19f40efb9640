/** FlowRuntime of an automation run: messages are collected into the output, nothing is delivered. */
import { sleep, workflowInfo } from '@temporalio/workflow';
import type { ChatMessage } from '../../activities/types';
import type { FlowRunInput, FlowRunOutput, FlowRunState } from '../messages';
import { ActivityCaller } from '../flow/activities';
import { FlowGraph } from '../flow/graph';
import { TraceLog } from '../flow/trace';
import type { FlowRuntime } from '../flow/types';
import { setRunAttributes } from './search-attributes';

export class FlowRunSession implements FlowRuntime {
  readonly graph: FlowGraph;
  readonly activities = new ActivityCaller();
  readonly trace = new TraceLog();
  readonly tenantId: string;
  readonly workflowId: string;
  readonly variables: Record<string, unknown>;
  readonly messages: FlowRunOutput['messages'] = [];
  /** Replies sent with the `resume` signal, oldest first. */
  readonly inbox: string[] = [];
  turn = 0;
  status: FlowRunState['status'] = 'running';
  currentNodeId: string | null = null;
  private readonly window: ChatMessage[] = [];
  private keySeq = 0;

  constructor(input: FlowRunInput) {
    this.graph = new FlowGraph(input.graph);
    this.tenantId = input.tenantId;
    this.workflowId = workflowInfo().workflowId;
    this.variables = { ...input.graph.settings.variables, ...input.input };
  }

  key(nodeId: string): string {
    return `${this.workflowId}:0:${this.turn}:${nodeId}:${++this.keySeq}`;
  }

  async say(nodeId: string, text: string): Promise<void> {
    this.messages.push({ nodeId, text });
    this.window.push({ role: 'assistant', content: text });
  }

  async handoff(nodeId: string, reason?: string): Promise<void> {
    this.setStatus('waiting', nodeId);
    await this.emit('handoff.requested', { nodeId, reason: reason ?? null });
  }

  context(limit: number) {
    return { summary: '', messages: this.window.slice(-limit) };
  }

  async sleep(ms: number): Promise<void> {
    await sleep(ms);
  }

  /** Takes the oldest reply; it becomes part of the model's context like a contact message. */
  takeReply(): string {
    const text = this.inbox.shift() ?? '';
    this.turn++;
    this.window.push({ role: 'user', content: text });
    return text;
  }

  setStatus(status: FlowRunState['status'], nodeId: string | null = this.currentNodeId): void {
    this.currentNodeId = nodeId;
    if (status === this.status) return;
    this.status = status;
    setRunAttributes({ Stage: status });
  }

  emit(type: string, data: Record<string, unknown>): Promise<void> {
    return this.activities.call('@events', 'emitEvent', { tenantId: this.tenantId, type, workflowId: this.workflowId, data });
  }

  state(): FlowRunState {
    return { status: this.status, currentNodeId: this.currentNodeId, variables: this.variables, trace: this.trace.entries };
  }
}
