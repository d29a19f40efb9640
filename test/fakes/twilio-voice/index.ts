/**
 * A local Twilio Programmable Voice for tests and benchmarks. It drives calls the way Twilio does
 * (signed webhooks, TwiML followed verb by verb, status / recording / AMD callbacks; see call.ts and
 * verbs.ts) and speaks Twilio's REST API for calls: create with `Url` or `Twiml` (machine detection
 * passed to the first request as `AnsweredBy`, or to `AsyncAmdStatusCallback`), fetch, list, and
 * modify a live call with `Twiml`, `Url` or `Status`; Basic auth accountSid:authToken, Twilio's JSON
 * error body. Recordings made by <Record> are served as WAV under /Recordings/{sid}.
 *
 *   const twilio = await startFakeTwilioVoice({ accounts: { [accountSid]: authToken } });
 *   const call = twilio.call({ url: `${api}/v1/webhooks/voice/${channelId}`, from: '+15551230000', to: '+15557654321' });
 *   call.press('2').say('I want to book a table').hangUp();
 *   await call.ended;
 *   expect(call.said()).toContain('Press 1 for opening hours.');
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formValue, parseForm, type FormParams } from '../../../channels/twilio/signature';
import { requestBody } from '../request-body';
import { FakeCall, newSid, type CallEnv, type CallSetup } from './call';
import { callResource, outboundCall, type OutboundAnswer } from './outbound';
import { runCall } from './verbs';
import { method, TWILIO_TIMEOUT_MS } from './webhooks';
import type { DialOutcome, DialTarget, Recording, StatusEvent } from './types';

export { FakeCall } from './call';
export type { OutboundAnswer } from './outbound';
export * from './types';

export interface FakeTwilioVoiceOptions {
  /** accountSid → authToken. */
  accounts: Record<string, string>;
  /** How dialled parties answer (<Dial>), unless a call's own `dialResults` says; default: answered, 10 s. */
  dial?: (targets: DialTarget[], call: FakeCall) => DialOutcome | Promise<DialOutcome>;
  /** Twilio waits 15 s for TwiML. */
  webhookTimeoutMs?: number;
  /** Twilio caches <Play> audio; off, every <Play> fetches again. Default on. */
  cacheMedia?: boolean;
  /**
   * Prompts take real time, scaled: 1 plays them as long as a caller hears them, 0.25 four times
   * faster. Default 0: only the call's clock moves (CallDuration), and callers answer at once.
   */
  playback?: number;
}

export interface InboundCall {
  /** The number's voice webhook. */
  url: string;
  from: string;
  to: string;
  accountSid?: string;
  method?: 'GET' | 'POST';
  /** The number's status callback; default the webhook URL + `/status`. null: none. */
  statusCallback?: string | null;
  /** A number's status callback hears only `completed`, as on Twilio; more can be asked for. */
  statusEvents?: StatusEvent[];
  sid?: string;
}

export interface FakeTwilioApiRequest {
  method: string;
  path: string;
  form: FormParams;
  status: number;
}

export interface FakeTwilioFailure {
  status: number;
  code?: number;
  message?: string;
}

export interface FakeTwilioVoice {
  /** The REST API's base URL (a voice channel's `apiBaseUrl`). */
  url: string;
  calls: FakeCall[];
  apiRequests: FakeTwilioApiRequest[];
  /** Places an inbound call: the number's webhook is called and its TwiML followed. */
  call(opts: InboundCall): FakeCall;
  /** How the next outbound calls (Calls.json) are answered, in order; default a human picks up. */
  answerNext(...answers: OutboundAnswer[]): void;
  /** The first call (existing or to come) that matches. */
  waitForCall(match?: (call: FakeCall) => boolean, timeoutMs?: number): Promise<FakeCall>;
  recording(sid: string): Recording | undefined;
  /** The next REST API requests fail like this, in order. */
  failNext(...failures: FakeTwilioFailure[]): void;
  close(): Promise<void>;
}

export async function startFakeTwilioVoice(opts: FakeTwilioVoiceOptions): Promise<FakeTwilioVoice> {
  const calls: FakeCall[] = [];
  const apiRequests: FakeTwilioApiRequest[] = [];
  const recordings = new Map<string, Recording>();
  const failures: FakeTwilioFailure[] = [];
  const answers: OutboundAnswer[] = [];
  const mediaCache = new Map<string, Promise<{ status: number; contentType: string | null; data: Buffer; error?: string }>>();
  let callWaiters: Array<{ match: (c: FakeCall) => boolean; resolve: (c: FakeCall) => void }> = [];
  let baseUrl = '';

  const server = createServer(async (req, res) => {
    const raw = await requestBody(req);
    const path = (req.url ?? '/').split('?')[0];
    const isForm = (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
    const form = isForm ? parseForm(raw) : {};
    const entry: FakeTwilioApiRequest = { method: req.method ?? 'GET', path, form, status: 0 };
    apiRequests.push(entry);
    const reply = (status: number, body: unknown) => {
      entry.status = status;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    const error = (status: number, code: number, message: string) => reply(status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });

    const m = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})(\.json|\/.*)?$/i.exec(path);
    if (!m) return error(404, 20404, 'The requested resource was not found');
    const [, accountSid, rest = ''] = m;
    // Recording media is public by default on Twilio (no HTTP auth on media URLs).
    const media = /^\/Recordings\/(RE[0-9a-f]{32})(\.wav)?$/i.exec(rest);
    if (req.method === 'GET' && media) {
      const rec = recordings.get(media[1]);
      if (!rec || rec.accountSid !== accountSid) return error(404, 20404, `The requested resource ${path} was not found`);
      entry.status = 200;
      return res.writeHead(200, { 'content-type': 'audio/x-wav', 'content-length': rec.wav.length }).end(rec.wav);
    }
    if (!authorized(req, accountSid, opts.accounts)) return error(401, 20003, 'Authenticate');
    const failure = failures.shift();
    if (failure) return error(failure.status, failure.code ?? failure.status, failure.message ?? 'Service unavailable');

    const v = (name: string) => formValue(form, name);
    // The Account resource: what a channel's connection test reads.
    if (rest === '.json' && req.method === 'GET') return reply(200, { sid: accountSid, friendly_name: 'Test account', status: 'active', type: 'Full', owner_account_sid: accountSid, uri: `/2010-04-01/Accounts/${accountSid}.json` });
    if (rest === '/Calls.json' && req.method === 'GET') {
      const query = new URL(req.url ?? '/', 'http://x').searchParams;
      const found = calls.filter((c) => c.accountSid === accountSid && (!query.get('To') || c.to === query.get('To')) && (!query.get('Status') || c.status === query.get('Status')));
      return reply(200, { calls: found.reverse().map((c) => callResource(c)), page: 0, page_size: 50, uri: `/2010-04-01/Accounts/${accountSid}/Calls.json`, next_page_uri: null });
    }
    if (rest === '/Calls.json' && req.method === 'POST') {
      if (!isForm) return error(400, 20001, 'Content-Type must be application/x-www-form-urlencoded');
      const created = outboundCall(form, accountSid, env(accountSid), answers.shift() ?? {});
      if ('code' in created) return error(400, created.code, created.message);
      addCall(created.call);
      reply(201, callResource(created.call));
      setImmediate(() => void created.start());
      return;
    }
    const one = /^\/Calls\/(CA[0-9a-f]{32})\.json$/i.exec(rest);
    const call = one ? calls.find((c) => c.sid === one[1] && c.accountSid === accountSid) : undefined;
    if (!call) return error(404, 20404, `The requested resource ${path} was not found`);
    if (req.method === 'GET') return reply(200, callResource(call));
    if (req.method !== 'POST') return error(405, 20004, 'Method not allowed');
    if (!call.isLive) return error(400, 21220, 'Call is not in-progress. Cannot redirect.');
    const status = v('Status');
    if (status !== undefined && status !== 'completed' && status !== 'canceled') return error(400, 21218, `Invalid Status: ${status}`);
    if (status === undefined && v('Twiml') === undefined && v('Url') === undefined) return error(400, 21205, 'Either Url, Twiml or Status is required');
    if (v('Url') !== undefined && !isHttpUrl(v('Url')!)) return error(400, 21205, `Url is not a valid URL: ${v('Url')}`);
    call.modify({ twiml: v('Twiml'), url: v('Url'), method: method(v('Method')), status: status as 'completed' | 'canceled' | undefined });
    return reply(200, callResource(call));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function env(accountSid: string): CallEnv {
    return {
      apiUrl: baseUrl,
      authToken: opts.accounts[accountSid],
      webhookTimeoutMs: opts.webhookTimeoutMs ?? TWILIO_TIMEOUT_MS,
      playback: opts.playback ?? 0,
      addRecording(rec) {
        const full = { ...rec, url: `${baseUrl}/2010-04-01/Accounts/${rec.accountSid}/Recordings/${rec.sid}` };
        recordings.set(rec.sid, full);
        return full;
      },
      fetchMedia(url) {
        const cached = opts.cacheMedia !== false ? mediaCache.get(url) : undefined;
        if (cached) return cached;
        const fetched = fetchMedia(url);
        if (opts.cacheMedia !== false) mediaCache.set(url, fetched);
        return fetched;
      },
      dial: (targets, call) => call.dialResults.shift() ?? opts.dial?.(targets, call) ?? { status: 'completed', durationSeconds: 10 },
    };
  }

  function addCall(call: FakeCall) {
    calls.push(call);
    const waiting = callWaiters;
    callWaiters = [];
    for (const w of waiting) (w.match(call) ? w.resolve(call) : callWaiters.push(w));
  }

  return {
    url: baseUrl,
    calls,
    apiRequests,
    call(inbound) {
      const accountSid = inbound.accountSid ?? Object.keys(opts.accounts)[0];
      if (!opts.accounts[accountSid]) throw new Error(`unknown account ${accountSid}`);
      const setup: CallSetup = {
        sid: inbound.sid,
        accountSid,
        from: inbound.from,
        to: inbound.to,
        direction: 'inbound',
        statusCallback: inbound.statusCallback === undefined ? statusUrl(inbound.url) : inbound.statusCallback,
        statusCallbackMethod: 'POST',
        statusEvents: inbound.statusEvents ?? ['completed'],
      };
      const call = new FakeCall(env(accountSid), setup);
      call.status = 'ringing';
      addCall(call);
      void (async () => {
        await call.statusCallback('initiated', 'ringing');
        await call.statusCallback('ringing', 'ringing');
        await runCall(call, { kind: 'voice', url: inbound.url, method: inbound.method ?? 'POST', extra: {} });
      })();
      return call;
    },
    answerNext: (...a) => void answers.push(...a),
    waitForCall(match = () => true, timeoutMs = 30_000) {
      const found = calls.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching call in ${timeoutMs} ms`)), timeoutMs);
        callWaiters.push({ match, resolve: (c) => (clearTimeout(timer), resolve(c)) });
      });
    },
    recording: (sid) => recordings.get(sid),
    failNext: (...f) => void failures.push(...f),
    async close() {
      for (const c of calls) if (c.isLive) c.modify({ status: 'completed' });
      await Promise.race([Promise.all(calls.map((c) => c.ended)), new Promise((r) => setTimeout(r, 5_000))]);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function fetchMedia(url: string): Promise<{ status: number; contentType: string | null; data: Buffer; error?: string }> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(TWILIO_TIMEOUT_MS), headers: { 'user-agent': 'TwilioProxy/1.1' } });
    return { status: res.status, contentType: res.headers.get('content-type'), data: Buffer.from(await res.arrayBuffer()) };
  } catch (err) {
    return { status: 0, contentType: null, data: Buffer.alloc(0), error: String((err as Error).cause ?? err) };
  }
}

const statusUrl = (url: string) => {
  const u = new URL(url);
  u.pathname = u.pathname.replace(/\/$/, '') + '/status';
  return u.toString();
};

export const isHttpUrl = (s: string) => {
  try {
    return ['http:', 'https:'].includes(new URL(s).protocol);
  } catch {
    return false;
  }
};

function authorized(req: IncomingMessage, accountSid: string, accounts: Record<string, string>): boolean {
  const header = req.headers.authorization ?? '';
  if (!header.startsWith('Basic ')) return false;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return decoded.slice(0, colon) === accountSid && accounts[accountSid] !== undefined && accounts[accountSid] === decoded.slice(colon + 1);
}

export { newSid };
