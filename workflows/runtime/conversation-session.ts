/**
 * State and FlowRuntime of one `conversation` run. All work that touches state (turns, agent
 * messages, release, timeouts, close) goes through one mutex so turns never interleave.
 */
import { quotaHold } from '../../core/quotas';
import { currentUpdateInfo, getExternalWorkflowHandle, log, patched, sleep, workflowInfo } from '@temporalio/workflow';
import { containsHandoffKeyword } from '../../core/handoff';
import { isExternalChannel, SEEN_EXTERNAL_IDS } from '../../core/channels';
import type { OutboundMessage, Reply, RichContent, TokenUsage } from '../../core/messages';
import { messageVariable } from '../../core/message-content';
import type { ChatMessage, Citation, ConversationRef, ConversationStatus, InboundMessageInput, RecordedInbound } from '../../activities/types';
import type { CarriedState, ConversationInput, ConversationState, InboundText, TraceEntry, TurnResult } from '../messages';
import { isKeyedTurnUpdateId, replySignal } from '../messages';
import { ActivityCaller } from '../flow/activities';
import { errorMessage, WalkAbandoned } from '../flow/errors';
import { FlowGraph } from '../flow/graph';
import { DEFAULT_HANDOFF_MESSAGE } from '../../core/nodes/handoff';
import { handOff } from '../flow/handlers/handoff';
import { answer, inputTimeoutMs, timeout, walk } from '../flow/interpreter';
import { Mutex } from '../flow/mutex';
import { PathLog } from '../flow/path';
import { TraceLog } from '../flow/trace';
import type { FlowRuntime, WalkResult } from '../flow/types';
import { ConversationOutbox } from './conversation-outbox';
import { setRunAttributes } from './search-attributes';
import { ANSWER_BEFORE_BOOKKEEPING_PATCH, BATCHED_REPLIES_PATCH, INBOUND_WITH_REPLIES_PATCH, UNREAD_CONTEXT_SLACK } from './conversation-patches';

/** Keyed turns remembered across continue-as-new: a client retries within seconds, long before 20 more turns. */
const KEYED_TURNS = 20;

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

export class ConversationSession implements FlowRuntime {
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
  private readonly keyPrefix: string;
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

  private readonly mutex = new Mutex();
  private keySeq = 0;
  private idleDeadline = 0;
  private inputDeadline: number | null = null;
  private settleTurn: (() => void) | null = null;
  private persisted: { status: ConversationStatus; nodeId: string | null };
  private seenExternalIds: string[];
  private keyedTurns: NonNullable<CarriedState['keyedTurns']>;
  private readonly answersBeforeBookkeeping: boolean;
  private readonly outbox: ConversationOutbox;
  private readonly storesInboundWithReplies: boolean;

  constructor(private readonly input: ConversationInput) {
    const c = input.carried;
    this.answersBeforeBookkeeping = patched(ANSWER_BEFORE_BOOKKEEPING_PATCH);
    this.graph = new FlowGraph(input.graph);
    this.workflowId = workflowInfo().workflowId;
    this.keyPrefix = `${this.workflowId}:${workflowInfo().firstExecutionRunId}`;
    this.tenantId = input.tenantId;
    this.conversationId = input.conversationId;
    this.ref = { tenantId: input.tenantId, conversationId: input.conversationId, workflowId: this.workflowId, channel: input.channel };
    const batchesReplies = !isExternalChannel(input.channel) && patched(BATCHED_REPLIES_PATCH);
    this.outbox = new ConversationOutbox(this.activities, this.ref, batchesReplies, (text) => this.window.push({ role: 'assistant', content: text }));
    this.storesInboundWithReplies = batchesReplies && patched(INBOUND_WITH_REPLIES_PATCH);
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

  // ---- operations (each serialized) ----

  /** One contact message; resolves with the replies of this turn. */
  /**
   * The `turn` update. Temporal runs an update id once per run; a turn sent with an idempotency key
   * is also answered once across continue-as-new: its result is carried to the next runs (the
   * last KEYED_TURNS of them), and a client retrying it there gets that result, not a second turn.
   */
  turnUpdate(msg: InboundText): Promise<TurnResult> {
    const updateId = currentUpdateInfo()?.id;
    if (!updateId || !isKeyedTurnUpdateId(updateId)) return this.inbound(msg);
    const earlier = this.keyedTurns.find((t) => t.updateId === updateId);
    if (earlier) return Promise.resolve(earlier.result);
    return this.inbound(msg).then((result) => {
      this.keyedTurns = [...this.keyedTurns, { updateId, result }].slice(-KEYED_TURNS);
      return result;
    });
  }

  inbound(msg: InboundText): Promise<TurnResult> {
    return new Promise<TurnResult>((resolve, reject) => {
      void this.mutex.run(async () => {
        const replies: Reply[] = [];
        let settled = false;
        this.outbox.turnReplies = replies;
        this.settleTurn = () => {
          if (settled) return;
          settled = true;
          this.outbox.turnReplies = null;
          resolve({ replies, status: this.status });
        };
        try {
          await this.processInbound(msg);
          if (this.outbox.hasUnstored) await this.outbox.flush();
          this.settleTurn();
        } catch (err) {
          if (!settled) reject(err);
          else log.error('turn failed after its replies were returned', { error: String(err) });
        } finally {
          settled = true;
          this.settleTurn = null;
          this.outbox.turnReplies = null;
        }
      });
    });
  }

  agentMessage(text: string, agentName?: string): Promise<void> {
    return this.mutex.run(async () => {
      if (this.status === 'closed') return;
      this.touch();
      this.setStatus('human');
      await this.deliver({ key: this.key('@agent'), text, author: 'agent', source: 'agent', ...(agentName ? { agentName } : {}) });
      await this.afterTurn();
    });
  }

  takeOver(): Promise<void> {
    return this.mutex.run(async () => {
      if (this.status === 'closed') return;
      this.setStatus('human');
      await this.afterTurn();
    });
  }

  /** Back to the bot; the walk continues after the handoff node when there is a next node. */
  release(): Promise<void> {
    return this.mutex.run(async () => {
      if (this.status === 'closed' || this.status === 'bot') return;
      this.setStatus('bot');
      const from = this.resumeNodeId;
      this.resumeNodeId = null;
      if (from) await this.apply(await walk(this, from));
      else this.armInputTimer();
      await this.afterTurn();
    });
  }

  inputTimeout(): Promise<void> {
    this.inputDeadline = null;
    return this.mutex.run(async () => {
      if (!this.cursor || this.status !== 'bot') return;
      await this.apply(await timeout(this, this.cursor));
      await this.afterTurn();
    });
  }

  close(reason: 'idle' | 'requested'): Promise<void> {
    return this.mutex.run(async () => {
      // Where it ended and who had it, before the close clears them: the flow drop-off figures.
      const { nodes, edges, lastNodeId, handoffNodeId } = this.path.state();
      const at = { nodeId: this.cursor?.nodeId ?? lastNodeId, statusBefore: this.status, handoffNodeId, visitedNodeIds: nodes, followedEdgeIds: edges };
      this.cursor = null;
      this.setStatus('closed');
      await this.afterTurn();
      await this.emit('conversation.closed', { reason, ...at });
    });
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

  // ---- internals ----

  private async processInbound({ text, externalId, metadata }: InboundText): Promise<void> {
    if (this.status === 'closed') return;
    // Providers redeliver webhooks: the same provider message id makes one turn, however often it is signalled.
    if (externalId) {
      if (this.seenExternalIds.includes(externalId)) return;
      this.seenExternalIds = [...this.seenExternalIds, externalId].slice(-SEEN_EXTERNAL_IDS);
    }
    this.turn++;
    this.touch();
    const inbound = { key: `${this.keyPrefix}:in:${this.turn}`, text, externalId, ...(metadata ? { metadata } : {}) };
    // A message held over the quota is stored and nothing more: no walk to store it with.
    if (this.storesInboundWithReplies && !quotaHold(metadata)) return this.walkThenRecord(inbound);
    let recorded: RecordedInbound;
    try {
      recorded = await this.activities.call('@inbound', 'recordInbound', { ...this.ref, ...inbound });
    } catch (err) {
      return this.inboundNotStored(err);
    }
    this.rememberInbound(text, metadata);
    if (!(await this.turnWentElsewhere(recorded, text, metadata))) await this.runFlow(text);
    await this.afterTurn();
  }

  /** INBOUND_WITH_REPLIES_PATCH: the walk runs first; its first flush stores the contact's message with its replies. */
  private async walkThenRecord(inbound: InboundMessageInput): Promise<void> {
    const before = this.snapshot();
    this.rememberInbound(inbound.text, inbound.metadata);
    this.outbox.deferInbound(inbound);
    try {
      await this.runFlow(inbound.text);
    } catch (err) {
      if (!(err instanceof WalkAbandoned)) {
        // The contact's message is stored whatever became of the walk; what the walk said is not.
        this.outbox.dropUnstoredReplies();
        await this.outbox.endDeferral();
        throw err;
      }
    }
    const outcome = await this.outbox.endDeferral();
    if ('error' in outcome) {
      this.restore(before);
      return this.inboundNotStored(outcome.error);
    }
    if (outcome.diverted) {
      this.restore(before);
      this.rememberInbound(inbound.text, inbound.metadata);
      if (!(await this.turnWentElsewhere(outcome.recorded, inbound.text, inbound.metadata))) await this.runFlow(inbound.text);
    }
    await this.afterTurn();
  }

  /**
   * A message that cannot be stored (the database refuses it, or the store stays down) fails
   * this turn only: the contact is told and the next message is a turn like any other.
   */
  private async inboundNotStored(err: unknown): Promise<void> {
    await this.deliver({ key: this.key('@error'), text: this.graph.settings.errorMessage, author: 'system', source: 'error' });
    await this.emit('flow.failed', { nodeId: '@inbound', error: errorMessage(err) });
  }

  private rememberInbound(text: string, metadata: Record<string, unknown> | undefined): void {
    this.window.push({ role: 'user', content: text });
    // Flows read the contact's last message as `message` (kind, text, subject, location…): no command, so histories replay.
    this.variables.message = messageVariable(text, metadata);
  }

  /** A stored message that is not a flow turn (a consent keyword, over the quota, an appointment's answer) is handled here: true. */
  private async turnWentElsewhere(recorded: RecordedInbound, text: string, metadata: Record<string, unknown> | undefined): Promise<boolean> {
    if (recorded.consent) {
      // STOP / START changed the contact's consent: confirmed once (unless the provider did), never a flow turn.
      if (recorded.consent.confirm) await this.deliver({ key: this.key('@consent'), text: recorded.consent.confirm, author: 'system', source: 'consent' });
      return true;
    }
    const held = quotaHold(metadata);
    if (held) {
      // Over the tenant's messages-per-minute quota (ingress/dispatcher.ts): stored, no turn; the notice goes out once per window.
      if (held.notice) await this.deliver({ key: this.key('@quota'), text: held.notice, author: 'system', source: 'quota' });
      return true;
    }
    return Boolean(recorded.appointmentWorkflowId && (await this.handToAppointment(recorded.appointmentWorkflowId, text, recorded.messageId)));
  }

  private async runFlow(text: string): Promise<void> {
    if (this.status !== 'bot') return;
    // A handoff keyword keeps the pending question: after release the next reply answers it.
    if (containsHandoffKeyword(text, this.graph.settings.handoffKeywords)) await handOff(this, '@keyword', DEFAULT_HANDOFF_MESSAGE, 'keyword');
    else await this.apply(this.cursor ? await answer(this, this.cursor, text) : await walk(this, this.graph.startId));
  }

  private snapshot(): WalkSnapshot {
    const { window, status, cursor, resumeNodeId } = this;
    // Variables are JSON (they are carried across continue-as-new): a copy a discarded walk cannot have touched.
    return { variables: JSON.stringify(this.variables), window: [...window], status, cursor, resumeNodeId, path: this.path.state(), trace: [...this.trace.entries] };
  }

  private restore(s: WalkSnapshot): void {
    this.variables = JSON.parse(s.variables) as Record<string, unknown>;
    this.window = s.window;
    this.cursor = s.cursor;
    this.resumeNodeId = s.resumeNodeId;
    this.setStatus(s.status);
    this.path.restore(s.path);
    this.trace.entries.splice(0, this.trace.entries.length, ...s.trace);
    this.armInputTimer();
  }

  /** The contact answered an appointment's reminder: its workflow replies, not the flow. False when that booking's run is over. */
  private async handToAppointment(workflowId: string, text: string, messageId: string): Promise<boolean> {
    try {
      await getExternalWorkflowHandle(workflowId).signal(replySignal, { text, messageId });
      return true;
    } catch (err) {
      log.warn('appointment reply not delivered; the flow answers it', { workflowId, error: String(err) });
      return false;
    }
  }

  private async apply(result: WalkResult): Promise<void> {
    this.cursor = result.state === 'awaiting' ? { nodeId: result.nodeId, retries: result.retries } : null;
    if (result.state === 'handoff') this.resumeNodeId = result.resumeNodeId;
    this.armInputTimer();
    if (result.state === 'failed') {
      // The contact is told, never left waiting in silence; ops see the error in the trace and the event.
      await this.deliver({ key: this.key('@error'), text: this.graph.settings.errorMessage, author: 'system', source: 'error' });
      await this.emit('flow.failed', { nodeId: result.nodeId, error: result.error });
    }
  }

  private armInputTimer(): void {
    const ms = this.cursor ? inputTimeoutMs(this, this.cursor.nodeId) : null;
    this.inputDeadline = ms === null ? null : Date.now() + ms;
  }

  private touch(): void {
    this.idleDeadline = Date.now() + this.graph.settings.idleTimeoutMinutes * 60_000;
  }

  private setStatus(status: ConversationStatus): void {
    if (status === this.status) return;
    this.status = status;
    setRunAttributes({ Stage: status });
  }

  private deliver(message: OutboundMessage): Promise<void> {
    return this.outbox.deliver(message);
  }

  /**
   * After a turn (or an agent message, a release, a timeout, the close): the replies are stored,
   * the conversation row brought up to date, the turn answered, and messages that left the
   * context window folded into the summary — after the answer, since the fold is an activity task
   * and a workflow task of its own. Runs started before the patch fold first and answer last.
   * Each step is awaited only when it has work: the SDK formats a stack trace for every promise
   * workflow code creates (ARCHITECTURE.md, "Where the time goes").
   */
  private async afterTurn(): Promise<void> {
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
  private foldDue(): boolean {
    const size = this.graph.settings.contextWindow;
    const slack = this.answersBeforeBookkeeping && !this.graph.readsContext ? UNREAD_CONTEXT_SLACK : Math.max(1, Math.floor(size / 2));
    return this.window.length > size + slack;
  }

  private async foldContext(): Promise<void> {
    const dropped = this.window.splice(0, this.window.length - this.graph.settings.contextWindow);
    const { summary } = await this.activities.call('@summary', 'summarize', {
      tenantId: this.tenantId,
      workflowId: this.workflowId,
      summary: this.summary,
      messages: dropped,
    });
    this.summary = summary;
  }

  /** The conversation row mirrors the workflow's state for the inbox and the API: written when its node or status changed. */
  private rowChanged(): boolean {
    return (this.cursor?.nodeId ?? null) !== this.persisted.nodeId || this.status !== this.persisted.status;
  }

  private async persistRow(): Promise<void> {
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

  private async publishNodeStatus(nodeId: string, status: 'started' | 'finished' | 'failed'): Promise<void> {
    try {
      await this.activities.call('@live', 'publishNodeStatus', { tenantId: this.tenantId, conversationId: this.conversationId, nodeId, status });
    } catch (err) {
      if (err instanceof WalkAbandoned) throw err;
      log.warn('node status not published', { nodeId, error: String(err) });
    }
  }

  private emit(type: string, data: Record<string, unknown>): Promise<void> {
    // Test conversations stay out of webhooks and analytics.
    if (this.input.test) return Promise.resolve();
    return this.activities.call('@events', 'emitEvent', {
      tenantId: this.tenantId,
      type,
      workflowId: this.workflowId,
      data: { conversationId: this.conversationId, ...data },
    });
  }

  private carried(): CarriedState {
    const { variables, window, summary, status, cursor, turn, resumeNodeId, generation, seenExternalIds } = this;
    return { variables, window, summary, status, cursor, turn, resumeNodeId, generation, ...(seenExternalIds.length ? { seenExternalIds } : {}), path: this.path.state() };
  }
}
