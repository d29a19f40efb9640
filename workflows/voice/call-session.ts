/**
 * State and FlowRuntime of one `ivrCall` run. Every webhook of the call is one `callEvent` update,
 * serialized by a mutex: the event resumes (or starts) the walk, the nodes append verbs
 * (workflows/voice/runtime.ts), and the update answers with them. The transcript of each webhook
 * (what the caller said or typed, what was spoken) is stored in one local activity.
 */
import { log, patched, workflowInfo } from '@temporalio/workflow';
import type { ChatMessage } from '../../core/chat';
import { FINAL_CALL_STATUSES, WAITING_VERBS, type AnsweredBy, type CallAnswer, type CallbackKind, type CallEvent, type CallStatus, type PromptVerb, type VoiceVerb } from '../../core/voice/types';
import type { Citation } from '../../activities/types';
import type { BeganCall, CallTurnInput, SpokenAudio, TranscriptLine } from '../../activities/voice/types';
import { ActivityCaller } from '../flow/activities';
import { errorMessage } from '../flow/errors';
import { FlowGraph } from '../flow/graph';
import { handlerFor } from '../flow/handlers';
import { answer, callEvent, timeout, walk } from '../flow/interpreter';
import { Mutex } from '../flow/mutex';
import { PathLog } from '../flow/path';
import { TraceLog } from '../flow/trace';
import type { FlowRuntime, WalkResult } from '../flow/types';
import { setRunAttributes } from '../runtime/search-attributes';
import type { TraceEntry } from '../messages';
import type { CallState, IvrCallInput } from '../messages';
import type { CallRuntime, SpeechOptions } from './runtime';
import { speechVerb } from './speech';

/** A spoken line's `<Say>` becomes `<Play>` of its audio, in place (it may sit inside a `<Gather>`'s prompt). */
function playInstead(verb: PromptVerb, url: string): void {
  const v = verb as unknown as Record<string, unknown>;
  for (const key of Object.keys(v)) delete v[key];
  Object.assign(v, { verb: 'play', url });
}

/**
 * Runs started since answer a webhook in fewer workflow task steps: it ends in one local activity
 * (`finishCallTurn`: its speech, then its transcript and the call row) instead of one per spoken
 * line plus `recordCallTurn`, and the model is called as a local activity (no activity task round
 * trip through the server and no second workflow task). Runs started before keep the old
 * sequence, which their histories hold.
 */
export const FEWER_STEPS_PATCH = 'call-webhook-fewer-steps';

/** Seconds Twilio listens after a chat node's question before posting an empty answer. */
export const DEFAULT_GATHER_TIMEOUT = 6;
const PATH_LIMIT = 500;

export class CallSession implements FlowRuntime, CallRuntime {
  readonly graph: FlowGraph;
  readonly activities = new ActivityCaller();
  readonly trace = new TraceLog();
  readonly path = new PathLog();
  readonly tenantId: string;
  readonly workflowId: string;
  readonly channel = 'voice' as const;
  readonly variables: Record<string, unknown>;
  readonly callSid: string;
  readonly channelId: string;
  readonly direction: IvrCallInput['direction'];
  readonly from: string;
  readonly to: string;
  answeredBy: AnsweredBy | null = null;
  status: CallStatus | null = null;
  ended = false;
  turn = 0;
  conversationId?: string;
  private began: BeganCall | null = null;
  private cursor: { nodeId: string; retries: number } | null = null;
  private verbs: VoiceVerb[] = [];
  private lines: TranscriptLine[] = [];
  private unspoken: { nodeId: string; lineKey: string; text: string; voiceProfileId: string | null; verb: PromptVerb; metadata: Record<string, unknown> }[] = [];
  private lastAnswer: CallAnswer = { verbs: [], status: null };
  private readonly visited: string[] = [];
  private readonly recordingKeys: string[] = [];
  private readonly window: ChatMessage[] = [];
  private readonly mutex = new Mutex();
  private readonly keyPrefix: string;
  private durationSeconds: number | null = null;
  private keySeq = 0;
  private readonly fewerSteps: boolean;

  constructor(private readonly input: IvrCallInput) {
    this.graph = new FlowGraph(input.graph);
    this.tenantId = input.tenantId;
    this.workflowId = workflowInfo().workflowId;
    this.keyPrefix = `${this.workflowId}:${workflowInfo().firstExecutionRunId}`;
    this.callSid = input.callSid;
    this.channelId = input.channelId;
    this.direction = input.direction;
    this.from = input.from;
    this.to = input.to;
    this.variables = { ...input.graph.settings.variables, ...input.variables };
    this.fewerSteps = patched(FEWER_STEPS_PATCH);
    if (this.fewerSteps) this.activities.runLocally('llmChat');
  }

  // ---- FlowRuntime ----

  get call(): CallRuntime {
    return this;
  }

  key(nodeId: string): string {
    return `${this.keyPrefix}:${this.turn}:${nodeId}:${++this.keySeq}`;
  }

  /** What chat nodes say is spoken; citations are for reading, not for the ear. */
  async say(nodeId: string, text: string, source: string, _usage?: unknown, _citations?: Citation[]): Promise<void> {
    this.verb(await this.speech(nodeId, text, {}, source));
  }

  async handoff(nodeId: string, reason?: string): Promise<void> {
    this.path.handedOff(nodeId, this.path.lastNodeId);
    await this.emit('handoff.requested', { nodeId, reason: reason ?? null, callSid: this.callSid });
  }

  context(limit: number) {
    return { summary: '', messages: this.window.slice(-limit) };
  }

  /** A wait on a call is silence in the TwiML (Twilio pauses at most 10 minutes at a time). */
  async sleep(ms: number): Promise<void> {
    let left = Math.ceil(ms / 1000);
    while (left > 0) {
      const length = Math.min(left, 600);
      this.verb({ verb: 'pause', length });
      left -= length;
    }
  }

  // ---- CallRuntime ----

  verb(verb: VoiceVerb): void {
    this.verbs.push(verb);
  }

  /**
   * The verb that speaks `text`: `<Say>` now, turned into `<Play>` of its audio before the webhook
   * is answered (`endTurn()`), so every line of a webhook is synthesized at once rather than one
   * after the other. The transcript line gets the engine that spoke it.
   */
  async speech(nodeId: string, text: string, options: SpeechOptions = {}, source = 'voice'): Promise<PromptVerb> {
    const verb = speechVerb(text, options);
    const metadata: Record<string, unknown> = {};
    const lineKey = this.addLine({ author: 'bot', text, nodeId, source, metadata });
    this.unspoken.push({ nodeId, lineKey, text, voiceProfileId: options.voiceProfileId ?? this.input.voiceProfileId, verb, metadata });
    return verb;
  }

  /** This webhook's lines get their audio (a line without any stays `<Say>`); the engine goes on its transcript line. */
  private applyAudio(lines: CallSession['unspoken'], audio: SpokenAudio[]): void {
    lines.forEach((line, i) => {
      const { url, mediaKey, engine } = audio[i];
      Object.assign(line.metadata, { engine, ...(mediaKey ? { mediaKey } : {}) });
      if (url) playInstead(line.verb, url);
    });
  }

  /** Runs from before FEWER_STEPS_PATCH: each line synthesized by its own local activity, in parallel. */
  private async voice(): Promise<void> {
    const lines = this.unspoken;
    this.unspoken = [];
    this.applyAudio(lines, await Promise.all(lines.map((l) => this.synthesize(l.nodeId, l.text, l.voiceProfileId))));
  }

  private async synthesize(nodeId: string, text: string, voiceProfileId: string | null): Promise<SpokenAudio> {
    try {
      return await this.activities.call(nodeId, 'synthesizeSpeech', { tenantId: this.tenantId, text, voiceProfileId, format: 'telephony' });
    } catch (err) {
      // A caller is waiting: Twilio's own voice says it rather than nothing.
      log.warn('speech not synthesized: Twilio says it', { nodeId, error: errorMessage(err) });
      return { url: null, mediaKey: null, engine: 'twilio-say' };
    }
  }

  note(nodeId: string, text: string, source: string): void {
    this.addLine({ author: 'bot', text, nodeId, source });
  }

  callbackUrl(kind: CallbackKind, nodeId: string): string {
    return `${this.input.callbackBase}/${kind}?node=${encodeURIComponent(nodeId)}`;
  }

  // ---- the update ----

  /**
   * One webhook of the call; resolves with the verbs of its answer once the webhook's transcript
   * and the call row are stored (one local activity in the same workflow task), so whoever reads
   * the conversation after the answer finds every line said so far.
   */
  event(ev: CallEvent): Promise<CallAnswer> {
    return this.mutex.run(async () => {
      this.turn++;
      if (ev.callStatus) this.setStatus(ev.callStatus);
      const answer = await this.process(ev);
      await this.endTurn();
      return answer;
    });
  }

  /** No webhook is being answered or recorded. */
  get idle(): boolean {
    return !this.mutex.busy;
  }

  /** The call outlived any plausible length without a final status: it is recorded as over. */
  expire(): Promise<void> {
    return this.mutex.run(async () => {
      this.ended = true;
      this.cursor = null;
      await this.endTurn();
    });
  }

  state(): CallState {
    return {
      callSid: this.callSid,
      channelId: this.channelId,
      direction: this.direction,
      from: this.from,
      to: this.to,
      status: this.status,
      answeredBy: this.answeredBy,
      callId: this.began?.callId ?? null,
      conversationId: this.began?.conversationId ?? null,
      contactId: this.began?.contactId ?? null,
      currentNodeId: this.cursor?.nodeId ?? null,
      path: this.visited,
      variables: this.variables,
      trace: this.trace.entries,
      ended: this.ended,
    };
  }

  // ---- internals ----

  private async process(ev: CallEvent): Promise<CallAnswer> {
    if (ev.kind === 'status') {
      if (ev.callDuration !== null) this.durationSeconds = ev.callDuration;
      if (ev.answeredBy) this.answeredBy = ev.answeredBy;
      if (ev.callStatus && FINAL_CALL_STATUSES.includes(ev.callStatus)) {
        this.ended = true;
        this.cursor = null;
        // A call that ended unanswered (busy, no answer) keeps its row and opens no conversation.
        if (!this.began) await this.begin(ev.callSid, false);
      }
      return { verbs: [], status: this.status };
    }
    if (this.ended) return this.answerWith([{ verb: 'hangup' }]);
    if (ev.kind === 'answered') {
      // Twilio retries a webhook whose answer it did not get: the same document again.
      if (this.began) return this.lastAnswer;
      this.answeredBy = ev.answeredBy;
      await this.begin(ev.callSid);
      return this.finish(await walk(this, this.graph.startId));
    }
    if (ev.kind === 'record' && ev.phase === 'status') {
      if (ev.recordingUrl && !this.recordingKeys.includes(ev.recordingUrl)) this.recordingKeys.push(ev.recordingUrl);
      return { verbs: [], status: this.status };
    }
    if (!this.began) await this.begin(ev.callSid);
    // An answer for a node that no longer waits (a retried webhook): the document that followed it.
    if (!this.cursor || (ev.nodeId && ev.nodeId !== this.cursor.nodeId)) return this.cursor ? this.lastAnswer : this.answerWith([{ verb: 'hangup' }]);
    if (ev.kind === 'gather') this.callerLine(ev);
    this.resumedAt = this.cursor.nodeId;
    return this.finish(await this.resume(this.cursor, ev));
  }

  private resume(cursor: { nodeId: string; retries: number }, ev: CallEvent): Promise<WalkResult> {
    const node = this.graph.node(cursor.nodeId);
    // Voice nodes take the event itself; chat nodes get the caller's words through `answer`.
    if (node && handlerFor(node).event) return callEvent(this, cursor, ev);
    // A chat node waiting on a call (ask, csat…): what the caller said or typed is its answer.
    const text = ev.kind === 'gather' ? (ev.speech ?? ev.digits ?? '').trim() : '';
    if (text) {
      this.variables.message = { kind: 'text', text };
      return answer(this, cursor, text);
    }
    return timeout(this, cursor);
  }

  private async finish(result: WalkResult): Promise<CallAnswer> {
    this.cursor = result.state === 'awaiting' ? { nodeId: result.nodeId, retries: result.retries } : null;
    if (result.state === 'awaiting') {
      // A node that waits without a verb that calls back (a chat question) listens for speech and keys.
      if (!this.verbs.some((v) => WAITING_VERBS.includes(v.verb))) {
        this.verb({ verb: 'gather', input: ['speech', 'dtmf'], action: this.callbackUrl('gather', result.nodeId), timeout: DEFAULT_GATHER_TIMEOUT, speechTimeout: 'auto' });
      }
    } else {
      if (result.state === 'failed') {
        this.verb(await this.speech('@error', this.graph.settings.errorMessage, {}, 'error'));
        await this.emit('flow.failed', { nodeId: result.nodeId, error: result.error, callSid: this.callSid });
      }
      const last = this.verbs[this.verbs.length - 1];
      // A transfer or conference leaves the call with someone else; anything else ends here.
      if (!last || !['hangup', 'dial', 'conference', 'redirect'].includes(last.verb)) this.verb({ verb: 'hangup' });
    }
    const verbs = this.verbs;
    this.verbs = [];
    return this.answerWith(verbs);
  }

  private answerWith(verbs: VoiceVerb[]): CallAnswer {
    this.lastAnswer = { verbs, status: this.status };
    return this.lastAnswer;
  }

  private async begin(callSid: string, answered = true): Promise<void> {
    const began = await this.activities.call('@call', 'beginCall', {
      tenantId: this.tenantId,
      workflowId: this.workflowId,
      channelId: this.channelId,
      callSid,
      direction: this.direction,
      from: this.from,
      to: this.to,
      flowId: this.input.flowId,
      flowVersion: this.input.flowVersion,
      answeredBy: this.answeredBy,
      contactId: this.input.contactId ?? null,
      callId: this.input.callId ?? null,
      ...(answered ? {} : { answered: false }),
    });
    this.began = began;
    this.conversationId = began.conversationId ?? undefined;
    this.window.push(...began.recent);
    // Flows greet known callers by name: {{caller.name}}, {{caller.phone}}, {{caller.known}}.
    this.variables.caller = { name: began.contactName, phone: began.phone, known: began.contactName !== null, continued: began.continued };
    this.variables.call = { sid: callSid, direction: this.direction, from: this.from, to: this.to, answeredBy: this.answeredBy };
  }

  private callerLine(ev: Extract<CallEvent, { kind: 'gather' }>): void {
    if (ev.speech?.trim()) this.addLine({ author: 'contact', text: ev.speech.trim(), nodeId: ev.nodeId, source: 'speech', metadata: { confidence: ev.confidence } });
    else if (ev.digits) this.addLine({ author: 'contact', text: ev.digits, nodeId: ev.nodeId, source: 'dtmf' });
  }

  private addLine(line: Omit<TranscriptLine, 'key'>): string {
    const key = `${this.keyPrefix}:${line.author === 'contact' ? 'in' : 'out'}:${this.turn}:${line.nodeId ?? '@'}:${++this.keySeq}`;
    this.lines.push({ key, ...line, ...(line.metadata ? { metadata: line.metadata } : {}) });
    this.window.push({ role: line.author === 'contact' ? 'user' : 'assistant', content: line.text });
    return key;
  }

  private setStatus(status: CallStatus): void {
    if (status === this.status) return;
    this.status = status;
    setRunAttributes({ Stage: status });
  }

  /**
   * The webhook's speech, then its transcript and the call row (status, path, duration), before
   * the answer goes: whoever reads the conversation after it finds every line said so far. A store
   * that stays down costs the transcript (and, in one step, the audio: Twilio's voice speaks),
   * never the caller.
   */
  private async endTurn(): Promise<void> {
    if (!this.fewerSteps || !this.began) {
      await this.voice();
      await this.recordTurn();
      return;
    }
    const spoken = this.unspoken;
    this.unspoken = [];
    const turn = this.turnRecord(this.began);
    let audio: SpokenAudio[];
    try {
      audio = await this.activities.call('@call', 'finishCallTurn', {
        ...turn,
        speech: spoken.map(({ lineKey, text, voiceProfileId }) => ({ lineKey, text, voiceProfileId })),
      });
    } catch (err) {
      log.error('call turn not recorded', { error: errorMessage(err) });
      audio = spoken.map(() => ({ url: null, mediaKey: null, engine: 'twilio-say' }));
    }
    this.applyAudio(spoken, audio);
  }

  /** Runs from before FEWER_STEPS_PATCH: the transcript and the call row in their own local activity. */
  private async recordTurn(): Promise<void> {
    if (!this.began) return;
    try {
      await this.activities.call('@call', 'recordCallTurn', this.turnRecord(this.began));
    } catch (err) {
      log.error('call turn not recorded', { error: errorMessage(err) });
    }
  }

  /** What a webhook stores: its transcript lines (taken) and the call row's progress. */
  private turnRecord(began: BeganCall): CallTurnInput {
    this.syncPath();
    const lines = this.lines;
    this.lines = [];
    return {
      tenantId: this.tenantId,
      workflowId: this.workflowId,
      callId: began.callId,
      conversationId: began.conversationId,
      lines,
      status: this.status,
      path: this.visited,
      currentNodeId: this.cursor?.nodeId ?? null,
      durationSeconds: this.durationSeconds,
      answeredBy: this.answeredBy,
      recordingKeys: this.recordingKeys,
      ended: this.ended,
    };
  }

  private lastSynced: TraceEntry | null = null;
  /** The node a webhook resumed: its trace entry continues the visit the path already has. */
  private resumedAt: string | null = null;
  /** The trace's node visits since the last webhook join the call's path (the trace itself is capped). */
  private syncPath(): void {
    const entries = this.trace.entries;
    const from = this.lastSynced ? entries.lastIndexOf(this.lastSynced) + 1 : 0;
    const fresh = entries.slice(from);
    if (fresh[0] && fresh[0].nodeId === this.resumedAt) fresh.shift();
    this.resumedAt = null;
    for (const e of fresh) if (this.visited.length < PATH_LIMIT) this.visited.push(e.nodeId);
    this.lastSynced = entries[entries.length - 1] ?? this.lastSynced;
  }

  private emit(type: string, data: Record<string, unknown>): Promise<void> {
    return this.activities.call('@events', 'emitEvent', { tenantId: this.tenantId, type, workflowId: this.workflowId, data: { conversationId: this.conversationId ?? null, ...data } });
  }
}
