/**
 * The state of one `conversation` run and what every operation on it shares: the FlowRuntime
 * the interpreter walks with, storing and sending messages (the outbox), the conversation row,
 * the context fold, events, and putting back what a discarded walk changed. The operations
 * themselves (turns, agent messages, release, timeouts, close) are ConversationSession's.
 */
import { log, patched, sleep, workflowInfo } from '@temporalio/workflow';
import { isExternalChannel } from '../../core/channels';
import { extractiveSummary } from '../../core/summary';
import type { OutboundMessage, RichContent, TokenUsage } from '../../core/messages';
import type { ChatMessage, Citation, ConversationRef, ConversationStatus } from '../../activities/types';
import type { CarriedState, ConversationInput, ConversationState, TraceEntry } from '../messages';
import { ActivityCaller } from '../flow/activities';
import { errorMessage, WalkAbandoned } from '../flow/errors';
import { FlowGraph } from '../flow/graph';
import { inputTimeoutMs } from '../flow/interpreter';
import { Mutex } from '../flow/mutex';
import { PathLog } from '../flow/path';
import { TraceLog } from '../flow/trace';
import type { FlowRuntime, WalkResult } from '../flow/types';
import { ConversationOutbox } from './conversation-outbox';
import { setRunAttributes } from './search-attributes';
import { ANSWER_BEFORE_BOOKKEEPING_PATCH, BATCHED_REPLIES_PATCH, INBOUND_WITH_REPLIES_PATCH, ONE_MARKER_PATCH, UNREAD_CONTEXT_IN_WORKFLOW_PATCH, UNREAD_CONTEXT_SLACK } from './conversation-patches';

/** What a discarded walk may have changed. */
interface WalkSnapshot {
  variables: string;
  window: ChatMessage[];
  status: ConversationStatus;
  cursor: CarriedState['cursor'];
  resumeNodeId: string | null;
  path: ReturnType<PathLog['state']>;
  trace: TraceEntry[];
}

export abstract class ConversationCore implements FlowRuntime {
  readonly graph: FlowGraph;
  readonly activities = new ActivityCaller();
  readonly trace = new TraceLog();
  readonly path: PathLog;
  readonly tenantId: string;
  readonly workflowId: string;
  /**
   * Prefix of every message key: the workflow id and the chain's first run id. A conversation
   * restarted after an idle close runs under the same workflow id with its turns counted from 1
   * again; without the run id its keys would repeat the closed run's, and the store would hand
   * back the old rows instead of storing the new messages. Continue-as-new keeps the first run id.
   */
  protected readonly keyPrefix: string;
  readonly conversationId: string;
  readonly ref: ConversationRef;
  variables: Record<string, unknown>;
  window: ChatMessage[];
  summary: string;
  status: ConversationStatus;
  cursor: CarriedState['cursor'];
  turn: number;
  resumeNodeId: string | null;
  readonly generation: number;
  closeRequested = false;
  readonly nodeStatus?: FlowRuntime['nodeStatus'];
  readonly assistant: boolean;

  protected readonly mutex = new Mutex();
  protected keySeq = 0;
  protected idleDeadline = 0;
  protected inputDeadline: number | null = null;
  protected settleTurn: (() => void) | null = null;
  protected persisted: { status: ConversationStatus; nodeId: string | null };
  protected seenExternalIds: string[];
  protected keyedTurns: NonNullable<CarriedState['keyedTurns']>;
  protected readonly answersBeforeBookkeeping: boolean;
  protected readonly outbox: ConversationOutbox;
  protected readonly storesInboundWithReplies: boolean;
  /** The run has ONE_MARKER_PATCH: the conversation patches before it hold without their own markers. */
  readonly oneMarker: boolean;

  constructor(private readonly input: ConversationInput) {
    const c = input.carried;
    this.oneMarker = patched(ONE_MARKER_PATCH);
    this.answersBeforeBookkeeping = this.hasPatch(ANSWER_BEFORE_BOOKKEEPING_PATCH);
    this.graph = new FlowGraph(input.graph);
    this.workflowId = workflowInfo().workflowId;
    this.keyPrefix = `${this.workflowId}:${workflowInfo().firstExecutionRunId}`;
    this.tenantId = input.tenantId;
    this.conversationId = input.conversationId;
    this.ref = { tenantId: input.tenantId, conversationId: input.conversationId, workflowId: this.workflowId, channel: input.channel };
    const batchesReplies = !isExternalChannel(input.channel) && this.hasPatch(BATCHED_REPLIES_PATCH);
    this.outbox = new ConversationOutbox(this.activities, this.ref, batchesReplies, (text) => this.window.push({ role: 'assistant', content: text }));
    this.storesInboundWithReplies = batchesReplies && this.hasPatch(INBOUND_WITH_REPLIES_PATCH);
    this.variables = c?.variables ?? { ...input.graph.settings.variables };
    this.window = c?.window ?? [];
    this.summary = c?.summary ?? '';
    this.status = c?.status ?? 'bot';
    this.cursor = c?.cursor ?? null;
    this.turn = c?.turn ?? 0;
    this.resumeNodeId = c?.resumeNodeId ?? null;
    this.generation = c?.generation ?? 0;
    this.seenExternalIds = c?.seenExternalIds ?? [];
    this.keyedTurns = c?.keyedTurns ?? [];
    this.path = new PathLog(c?.path);
    this.persisted = { status: this.status, nodeId: this.cursor?.nodeId ?? null };
    if (input.test) this.nodeStatus = (nodeId, status) => this.publishNodeStatus(nodeId, status);
    this.assistant = input.assistant === true;
    this.touch();
    this.armInputTimer();
  }

  /** A conversation patch before ONE_MARKER_PATCH: held by that one's marker, or by its own in runs started before. */
  hasPatch(patchId: string): boolean {
    return this.oneMarker || patched(patchId);
  }

  // ---- FlowRuntime ----

  key(nodeId: string): string {
    return `${this.keyPrefix}:${this.generation}:${this.turn}:${nodeId}:${++this.keySeq}`;
  }

  get channel() {
    return this.ref.channel;
  }

  say(nodeId: string, text: string, source: string, usage?: TokenUsage, citations?: Citation[], rich?: RichContent): Promise<void> {
    return this.deliver({ key: this.key(nodeId), text, author: 'bot', nodeId, source, usage, ...(citations ? { citations } : {}), ...(rich ? { rich } : {}) });
  }

  async handoff(nodeId: string, reason?: string): Promise<void> {
    this.setStatus('waiting');
    this.path.handedOff(nodeId, this.cursor?.nodeId ?? this.path.lastNodeId);
    await this.emit('handoff.requested', { nodeId, reason: reason ?? null });
  }

  context(limit: number) {
    return { summary: this.summary, messages: this.window.slice(-limit) };
  }

  async sleep(ms: number): Promise<void> {
    // A synchronous caller should not wait for a durable timer: answer the turn now.
    if (this.outbox.batches) await this.outbox.flush();
    this.settleTurn?.();
    await sleep(ms);
  }

  // ---- main-loop helpers ----

  get idle(): boolean {
    return !this.mutex.busy;
  }

  nextDeadline(): number {
    const input = this.status === 'bot' && this.inputDeadline !== null ? this.inputDeadline : Infinity;
    return Math.min(this.idleDeadline, input);
  }

  inputDue(): boolean {
    return this.status === 'bot' && this.inputDeadline !== null && Date.now() >= this.inputDeadline;
  }

  idleDue(): boolean {
    return Date.now() >= this.idleDeadline;
  }

  carry(): CarriedState {
    return { ...this.carried(), generation: this.generation + 1, ...(this.keyedTurns.length ? { keyedTurns: this.keyedTurns } : {}) };
  }

  state(): ConversationState {
    return { ...this.carried(), flowId: this.input.flowId, flowVersion: this.input.flowVersion, trace: this.trace.entries };
  }

  // ---- shared by the operations ----

  protected snapshot(): WalkSnapshot {
    const { window, status, cursor, resumeNodeId } = this;
    // Variables are JSON (they are carried across continue-as-new): a copy a discarded walk cannot have touched.
    return { variables: JSON.stringify(this.variables), window: [...window], status, cursor, resumeNodeId, path: this.path.state(), trace: [...this.trace.entries] };
  }

  protected restore(s: WalkSnapshot): void {
    this.variables = JSON.parse(s.variables) as Record<string, unknown>;
    this.window = s.window;
    this.cursor = s.cursor;
    this.resumeNodeId = s.resumeNodeId;
    this.setStatus(s.status);
    this.path.restore(s.path);
    this.trace.entries.splice(0, this.trace.entries.length, ...s.trace);
    this.armInputTimer();
  }

  protected async apply(result: WalkResult): Promise<void> {
    this.cursor = result.state === 'awaiting' ? { nodeId: result.nodeId, retries: result.retries } : null;
    if (result.state === 'handoff') this.resumeNodeId = result.resumeNodeId;
    this.armInputTimer();
    if (result.state === 'failed') {
      // The contact is told, never left waiting in silence; ops see the error in the trace and the event.
      await this.deliver({ key: this.key('@error'), text: this.graph.settings.errorMessage, author: 'system', source: 'error' });
      await this.emit('flow.failed', { nodeId: result.nodeId, error: result.error });
    }
  }

  protected armInputTimer(): void {
    const ms = this.cursor ? inputTimeoutMs(this, this.cursor.nodeId) : null;
    this.inputDeadline = ms === null ? null : Date.now() + ms;
  }

  protected touch(): void {
    this.idleDeadline = Date.now() + this.graph.settings.idleTimeoutMinutes * 60_000;
  }

  protected setStatus(status: ConversationStatus): void {
    if (status === this.status) return;
    this.status = status;
    setRunAttributes({ Stage: status });
  }

  protected deliver(message: OutboundMessage): Promise<void> {
    return this.outbox.deliver(message);
  }

  /**
   * After a turn (or an agent message, a release, a timeout, the close): the replies are stored,
   * the conversation row brought up to date, the turn answered, and messages that left the
   * context window folded into the summary — after the answer, since the fold is an activity task
   * and a workflow task of its own (in the workflow, for a flow that never reads the context).
   * Runs started before the patch fold first and answer last.
   * Each step is awaited only when it has work: the SDK formats a stack trace for every promise
   * workflow code creates (ARCHITECTURE.md, "Where the time goes").
   */
  protected async afterTurn(): Promise<void> {
    if (this.outbox.hasUnstored) await this.outbox.flush();
    if (!this.answersBeforeBookkeeping) {
      if (this.foldDue()) await this.foldContext();
      if (this.rowChanged()) await this.persistRow();
      return;
    }
    if (this.rowChanged()) await this.persistRow();
    this.settleTurn?.();
    if (this.foldDue()) await this.foldContext();
  }

  /**
   * Folding waits until half a window has overflowed (UNREAD_CONTEXT_SLACK messages when no node
   * reads the context), so a long conversation pays for one summarize call every few turns
   * rather than one per turn.
   */
  protected foldDue(): boolean {
    const size = this.graph.settings.contextWindow;
    const slack = this.answersBeforeBookkeeping && !this.graph.readsContext ? UNREAD_CONTEXT_SLACK : Math.max(1, Math.floor(size / 2));
    return this.window.length > size + slack;
  }

  protected async foldContext(): Promise<void> {
    const dropped = this.window.splice(0, this.window.length - this.graph.settings.contextWindow);
    if (!this.graph.readsContext && patched(UNREAD_CONTEXT_IN_WORKFLOW_PATCH)) {
      this.summary = extractiveSummary(this.summary, dropped);
      return;
    }
    const { summary } = await this.activities.call('@summary', 'summarize', {
      tenantId: this.tenantId,
      workflowId: this.workflowId,
      summary: this.summary,
      messages: dropped,
    });
    this.summary = summary;
  }

  /** The conversation row mirrors the workflow's state for the inbox and the API: written when its node or status changed. */
  protected rowChanged(): boolean {
    return (this.cursor?.nodeId ?? null) !== this.persisted.nodeId || this.status !== this.persisted.status;
  }

  protected async persistRow(): Promise<void> {
    const nodeId = this.cursor?.nodeId ?? null;
    try {
      await this.activities.call('@state', 'updateConversation', {
        tenantId: this.tenantId,
        conversationId: this.conversationId,
        status: this.status,
        variables: this.variables,
        currentNodeId: nodeId,
      });
      this.persisted = { status: this.status, nodeId };
    } catch (err) {
      // The turn's replies are out. A value the database refuses (e.g. a NUL an HTTP response put
      // in a variable) must not fail every later turn, so the row is written again after the next
      // turn that changes it.
      log.warn('conversation row not updated', { error: errorMessage(err) });
    }
  }

  protected async publishNodeStatus(nodeId: string, status: 'started' | 'finished' | 'failed'): Promise<void> {
    try {
      await this.activities.call('@live', 'publishNodeStatus', { tenantId: this.tenantId, conversationId: this.conversationId, nodeId, status });
    } catch (err) {
      if (err instanceof WalkAbandoned) throw err;
      log.warn('node status not published', { nodeId, error: String(err) });
    }
  }

  protected emit(type: string, data: Record<string, unknown>): Promise<void> {
    // Test conversations stay out of webhooks and analytics.
    if (this.input.test) return Promise.resolve();
    return this.activities.call('@events', 'emitEvent', {
      tenantId: this.tenantId,
      type,
      workflowId: this.workflowId,
      data: { conversationId: this.conversationId, ...data },
    });
  }

  protected carried(): CarriedState {
    const { variables, window, summary, status, cursor, turn, resumeNodeId, generation, seenExternalIds } = this;
    return { variables, window, summary, status, cursor, turn, resumeNodeId, generation, ...(seenExternalIds.length ? { seenExternalIds } : {}), path: this.path.state() };
  }
}
