/**
 * One call as Twilio drives it: it fetches TwiML (signed webhooks), follows each verb in order and
 * keeps what the caller heard. The caller is a script: `press`, `say`, `silence`, `leaveMessage`
 * and `hangUp` queue steps that the next <Gather> or <Record> consumes, so a test may queue the
 * whole script up front or wait (`waitForListening`) and act in between. Time inside the call is
 * simulated (speech, pauses, timeouts advance a clock; nothing sleeps), so CallDuration is
 * deterministic and calls run as fast as the application answers.
 */
import { randomBytes } from 'node:crypto';
import { parseTwiml, TwimlError, type TwimlNode } from './twiml';
import { geo, rfc2822, sendWebhook, type WebhookExchange, type WebhookKind } from './webhooks';
import type { AnsweredBy, CallError, CallStatus, CallerAction, DialOutcome, DialTarget, Heard, Recording, StatusEvent } from './types';

export const newSid = (prefix: string) => prefix + randomBytes(16).toString('hex');

/** Where the next TwiML document comes from. */
export type DocSource = { kind: WebhookKind; url: string; method: 'GET' | 'POST'; extra: Record<string, string> } | { kind: 'inline'; twiml: string };

/** What the fake server gives each call. */
export interface CallEnv {
  apiUrl: string;
  authToken: string;
  addRecording(rec: Omit<Recording, 'url'>): Recording;
  fetchMedia(url: string): Promise<{ status: number; contentType: string | null; data: Buffer; error?: string }>;
  dial(targets: DialTarget[], call: FakeCall): DialOutcome | Promise<DialOutcome>;
  webhookTimeoutMs: number;
  /** Real time per second of audio heard (FakeTwilioVoiceOptions.playback). */
  playback: number;
}

export interface CallSetup {
  sid?: string;
  accountSid: string;
  from: string;
  to: string;
  direction: 'inbound' | 'outbound-api';
  statusCallback: string | null;
  statusCallbackMethod: 'GET' | 'POST';
  statusEvents: StatusEvent[];
  answeredBy?: AnsweredBy | null;
  /** With AsyncAmd the first request has no AnsweredBy; it is posted here afterwards. */
  asyncAmd?: { url: string; method: 'GET' | 'POST' } | null;
}

export class FakeCall {
  readonly sid: string;
  readonly accountSid: string;
  readonly from: string;
  readonly to: string;
  readonly direction: 'inbound' | 'outbound-api';
  status: CallStatus = 'queued';
  answeredBy: AnsweredBy | null;
  /** Everything the caller heard or did at each verb, in order. */
  readonly heard: Heard[] = [];
  /** Every request this call made to the application (TwiML fetches and callbacks), in order. */
  readonly webhooks: WebhookExchange[] = [];
  readonly errors: CallError[] = [];
  readonly recordings: Recording[] = [];
  /** Simulated time since the call was answered, ms. */
  clockMs = 0;
  durationSeconds: number | null = null;
  readonly createdAt = new Date();
  startedAt: Date | null = null;
  endedAt: Date | null = null;
  readonly ended: Promise<FakeCall>;
  /** Steps a script queued that the TwiML never asked for (a voicemail at a <Gather>…). */
  readonly scriptMismatches: string[] = [];
  /** How the next <Dial>s of this call end, in order (before the fake's `dial` option). */
  readonly dialResults: DialOutcome[] = [];
  /** Set when the script hangs up or the API ends the call. */
  over = false;
  rejected: CallStatus | null = null;

  private readonly queue: CallerAction[] = [];
  private waiter: ((a: CallerAction | null) => void) | null = null;
  private listeners: Array<(what: 'gather' | 'record' | 'ended') => void> = [];
  private redirectTo: DocSource | null = null;
  private interruptNow: (() => void) | null = null;
  private sequence = 0;
  private readonly pending: Promise<unknown>[] = [];
  private readonly geoParams: Record<string, string>;
  private firstRequest = true;
  private resolveEnded!: (c: FakeCall) => void;

  constructor(
    readonly env: CallEnv,
    readonly setup: CallSetup,
  ) {
    this.sid = setup.sid ?? newSid('CA');
    this.accountSid = setup.accountSid;
    this.from = setup.from;
    this.to = setup.to;
    this.direction = setup.direction;
    this.answeredBy = setup.answeredBy ?? null;
    this.geoParams = { ...geo('From', this.from), ...geo('Caller', this.from), ...geo('To', this.to), ...geo('Called', this.to) };
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve));
  }

  // ── The caller's script ────────────────────────────────────────────────────────────────────

  /** Presses keys at the next <Gather> (a finishOnKey ends the entry; numDigits cuts it). */
  press(digits: string): this {
    return this.act({ kind: 'press', digits });
  }
  /** Says words at the next <Gather input="speech">, recognised with this confidence. */
  say(text: string, opts: { confidence?: number } = {}): this {
    return this.act({ kind: 'say', text, confidence: opts.confidence ?? 0.92 });
  }
  /** Stays silent through the next <Gather> or <Record> (its timeout passes). */
  silence(): this {
    return this.act({ kind: 'silence' });
  }
  /** Speaks a voicemail into the next <Record>: words (espeak-ng) or a WAV; ends by silence, a key, or hanging up. */
  leaveMessage(message: string | Buffer, opts: { end?: 'silence' | 'hangup' | string } = {}): this {
    const wav = Buffer.isBuffer(message) ? message : null;
    return this.act({ kind: 'message', text: wav ? null : (message as string), wav, end: opts.end ?? 'silence' });
  }
  /** Hangs up at the next point the caller acts (or now, during a <Dial>). */
  hangUp(): this {
    return this.act({ kind: 'hangup' });
  }

  /** Resolves when a <Gather> or <Record> is listening and the script has nothing queued for it (or the call ended). */
  waitForListening(): Promise<'gather' | 'record' | 'ended'> {
    if (this.endedAt) return Promise.resolve('ended');
    return new Promise((resolve) => this.listeners.push(resolve));
  }

  /** The texts the caller heard <Say> speak, in order. */
  said(): string[] {
    return this.heard.flatMap((h) => (h.verb === 'say' ? [h.text] : []));
  }
  /** The URLs <Play> played, in order. */
  played(): string[] {
    return this.heard.flatMap((h) => (h.verb === 'play' ? [h.url] : []));
  }
  /** The verbs in the order the call met them (`say`, `gather`, `play`…). */
  path(): string[] {
    return this.heard.map((h) => h.verb);
  }
  /** Requests of one kind (status callbacks, gather actions…). */
  requests(kind: WebhookKind): WebhookExchange[] {
    return this.webhooks.filter((w) => w.kind === kind);
  }

  private act(action: CallerAction): this {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w(action);
    } else {
      this.queue.push(action);
      if (action.kind === 'hangup' && this.queue.length === 1) this.interruptNow?.();
    }
    return this;
  }

  /** The caller's next step; null when the API redirected the call or the caller hung up mid-<Dial>. */
  nextAction(what: 'gather' | 'record'): Promise<CallerAction | null> {
    if (this.redirectTo) return Promise.resolve(null);
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    const listeners = this.listeners;
    this.listeners = [];
    for (const l of listeners) l(what);
    return new Promise((resolve) => (this.waiter = resolve));
  }

  /** Waits on something that takes the line (a <Dial>); ends early if the API redirects or the caller hangs up. */
  async hold<T>(work: Promise<T>): Promise<T | 'interrupted' | 'hangup'> {
    if (this.queue[0]?.kind === 'hangup') return (this.queue.shift(), 'hangup');
    const stop = new Promise<'interrupted' | 'hangup'>((resolve) => {
      this.interruptNow = () => resolve(this.redirectTo ? 'interrupted' : (this.queue.shift(), 'hangup'));
    });
    try {
      return await Promise.race([work, stop]);
    } finally {
      this.interruptNow = null;
    }
  }

  // ── The REST API's hold on a live call ─────────────────────────────────────────────────────

  /** Calls.json modify: new TwiML (inline or from a URL) replaces what the call is doing, or the call ends. */
  modify(change: { twiml?: string; url?: string; method?: 'GET' | 'POST'; status?: 'completed' | 'canceled' }): void {
    if (change.status) {
      this.over = true;
      if (this.status === 'queued' || this.status === 'ringing') this.rejected = 'canceled';
    } else {
      this.redirectTo = change.twiml !== undefined ? { kind: 'inline', twiml: change.twiml } : { kind: 'modify', url: change.url!, method: change.method ?? 'POST', extra: {} };
    }
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w(null);
    }
    this.interruptNow?.();
  }

  takeRedirect(): DocSource | null {
    const next = this.redirectTo;
    this.redirectTo = null;
    return next;
  }

  get isLive(): boolean {
    return !this.over && this.endedAt === null;
  }

  // ── Requests ───────────────────────────────────────────────────────────────────────────────

  /** The parameters every request about this call carries. */
  params(status: CallStatus = this.status): Record<string, string> {
    const p: Record<string, string> = {
      AccountSid: this.accountSid,
      ApiVersion: '2010-04-01',
      CallSid: this.sid,
      CallStatus: status,
      Called: this.to,
      Caller: this.from,
      Direction: this.direction,
      From: this.from,
      To: this.to,
      ...this.geoParams,
    };
    if (this.firstRequest && this.answeredBy && !this.setup.asyncAmd) p.AnsweredBy = this.answeredBy;
    return p;
  }

  async request(kind: WebhookKind, url: string, method: 'GET' | 'POST', extra: Record<string, string>, status?: CallStatus): Promise<WebhookExchange> {
    const exchange = await sendWebhook(kind, url, method, this.env.authToken, { ...this.params(status), ...extra }, this.env.webhookTimeoutMs);
    this.firstRequest = false;
    this.webhooks.push(exchange);
    return exchange;
  }

  /** A callback whose answer Twilio ignores (a non-2xx is only a warning, 15003). */
  async callback(kind: WebhookKind, url: string, method: 'GET' | 'POST', params: Record<string, string>): Promise<void> {
    const exchange = await sendWebhook(kind, url, method, this.env.authToken, params, this.env.webhookTimeoutMs);
    this.webhooks.push(exchange);
    if (exchange.status < 200 || exchange.status > 299) this.warn(15003, `${kind} callback answered ${exchange.status || exchange.error}`, url);
  }

  /** Runs a callback beside the call (recording status, AMD): the call does not wait, `ended` does. */
  background(work: Promise<unknown>): void {
    this.pending.push(work.catch((err) => this.warn(0, String(err))));
  }

  async statusCallback(event: StatusEvent, status: CallStatus): Promise<void> {
    if (!this.setup.statusCallback || !this.setup.statusEvents.includes(event)) return;
    const extra: Record<string, string> = {
      Timestamp: rfc2822(new Date()),
      CallbackSource: 'call-progress-events',
      SequenceNumber: String(this.sequence++),
    };
    if (event === 'completed') {
      extra.CallDuration = String(this.durationSeconds ?? 0);
      extra.Duration = String(Math.ceil((this.durationSeconds ?? 0) / 60));
    }
    if (this.answeredBy) extra.AnsweredBy = this.answeredBy;
    await this.callback('status', this.setup.statusCallback, this.setup.statusCallbackMethod, { ...this.params(status), ...extra });
  }

  warn(code: number, message: string, url?: string): void {
    this.errors.push({ code, message, url, fatal: false });
  }

  // ── The call's life ────────────────────────────────────────────────────────────────────────

  /** Loads one TwiML document; a failure is Twilio's "application error": said, then the call ends. */
  async load(source: DocSource): Promise<{ node: TwimlNode; url: string | null } | null> {
    let xml: string;
    let url: string | null = null;
    if (source.kind === 'inline') xml = source.twiml;
    else {
      const status = source.kind === 'voice' && this.direction === 'inbound' ? 'ringing' : this.status;
      const res = await this.request(source.kind, source.url, source.method, source.extra, status);
      url = source.url;
      if (res.status === 0) return this.fatal(11205, `HTTP connection failure: ${res.error}`, source.url);
      if (res.status < 200 || res.status > 299) return this.fatal(11200, `HTTP retrieval failure: ${res.status}`, source.url);
      if (!/xml/i.test(res.contentType ?? '')) return this.fatal(12300, `Invalid Content-Type: ${res.contentType ?? '(none)'}`, source.url);
      xml = res.body;
    }
    try {
      return { node: parseTwiml(xml), url };
    } catch (err) {
      if (err instanceof TwimlError) return this.fatal(err.code, err.message, url ?? undefined);
      throw err;
    }
  }

  /** A verb that needs a URL where the TwiML came inline (Calls.json `Twiml`) and gave none. */
  fatalNoUrl(message: string): null {
    return this.fatal(11100, message);
  }

  /** Fetches TwiML another leg hears (a <Dial> whisper); a failure is a warning. */
  async callbackTwiml(kind: WebhookKind, url: string, method: 'GET' | 'POST', params: Record<string, string>): Promise<TwimlNode | null> {
    const exchange = await sendWebhook(kind, url, method, this.env.authToken, params, this.env.webhookTimeoutMs);
    this.webhooks.push(exchange);
    try {
      if (exchange.status >= 200 && exchange.status < 300) return parseTwiml(exchange.body);
      this.warn(11200, `${kind} answered ${exchange.status || exchange.error}`, url);
    } catch (err) {
      this.warn(12100, (err as Error).message, url);
    }
    return null;
  }

  /** A failure that ends the call (after Twilio's apology, once the call was answered). */
  fatal(code: number, message: string, url?: string): null {
    this.errors.push({ code, message, url, fatal: true });
    if (this.status === 'in-progress') this.heard.push({ verb: 'say', text: 'We are sorry, an application error has occurred. Goodbye.', voice: null, language: null, loop: 1, inGather: false });
    return null;
  }

  /** The line is picked up: in-progress, and the `answered` status callback. */
  async answer(): Promise<void> {
    this.status = 'in-progress';
    this.startedAt = new Date();
    await this.statusCallback('answered', 'in-progress');
  }

  /** The call ends without being answered (busy, no-answer, failed, canceled). */
  async endUnanswered(status: CallStatus): Promise<void> {
    this.rejected = status;
    await this.finish();
  }

  /** The call is over: its final status, duration and `completed` callback; `ended` resolves. */
  async finish(): Promise<void> {
    this.over = true;
    this.status = this.rejected ?? 'completed';
    this.endedAt = new Date();
    this.durationSeconds = this.startedAt ? Math.max(1, Math.round(this.clockMs / 1000)) : 0;
    await this.statusCallback('completed', this.status);
    await Promise.all(this.pending);
    const listeners = this.listeners;
    this.listeners = [];
    for (const l of listeners) l('ended');
    this.resolveEnded(this);
  }
}
