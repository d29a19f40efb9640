/**
 * The verbs of one TwiML document, followed as Twilio follows them: <Say>/<Play>/<Pause> are
 * heard, <Gather> takes the caller's keys or words to its action URL (or falls through with no
 * input), <Redirect> fetches the next document, <Dial> reports DialCallStatus to its action,
 * <Record> makes a recording it serves and reports it, <Hangup> or the end of the document ends the
 * call. Returns where the next document comes from, or null when the call is over.
 */
import type { DocSource, FakeCall } from './call';
import { newSid } from './call';
import { checkAudio, sayDurationMs, spokenWav, toneWav, wavDurationMs } from './audio';
import { flag, num, type TwimlNode } from './twiml';
import { method, resolveUrl, rfc2822 } from './webhooks';
import type { DialTarget } from './types';

const MAX_DOCUMENTS = 250;
const UNSUPPORTED = new Set(['Enqueue', 'Leave', 'Connect', 'Start', 'Stop', 'Refer', 'Pay', 'Prompt', 'Sms', 'Echo', 'Queue']);
const PROMPT_VERBS = new Set(['Say', 'Play', 'Pause']);

/** Answers (the TwiML's first verb, unless it is <Reject>) and follows documents until the call ends. */
export async function runCall(call: FakeCall, first: DocSource): Promise<void> {
  try {
    let next: DocSource | null = first;
    for (let docs = 0; next && call.isLive; docs++) {
      if (docs >= MAX_DOCUMENTS) {
        call.fatal(11215, `more than ${MAX_DOCUMENTS} TwiML documents in one call`);
        break;
      }
      const doc = await call.load(next);
      if (!doc) break;
      if (call.status !== 'in-progress') {
        const first = doc.node.children[0];
        if (first?.name === 'Reject') {
          call.rejected = first.attrs.reason === 'busy' ? 'busy' : 'no-answer';
          call.heard.push({ verb: 'reject', reason: first.attrs.reason ?? 'rejected' });
          break;
        }
        await call.answer();
      }
      next = await runVerbs(call, doc.node, doc.url);
    }
  } catch (err) {
    call.errors.push({ code: 0, message: `fake Twilio failed: ${(err as Error).stack ?? err}`, fatal: true });
  }
  await call.finish();
}

async function runVerbs(call: FakeCall, doc: TwimlNode, docUrl: string | null): Promise<DocSource | null> {
  for (const verb of doc.children) {
    if (!call.isLive) return null;
    const redirect = call.takeRedirect();
    if (redirect) return redirect;
    let next: DocSource | null | 'continue' = 'continue';
    switch (verb.name) {
      case 'Say':
      case 'Play':
      case 'Pause':
        await prompt(call, verb, docUrl, false);
        break;
      case 'Gather':
        next = await gather(call, verb, docUrl);
        break;
      case 'Redirect':
        call.heard.push({ verb: 'redirect', url: resolveUrl(verb.text, docUrl) });
        next = { kind: 'redirect', url: resolveUrl(verb.text, docUrl), method: method(verb.attrs.method), extra: {} };
        break;
      case 'Dial':
        next = await dial(call, verb, docUrl);
        break;
      case 'Record':
        next = await record(call, verb, docUrl);
        break;
      case 'Hangup':
        call.heard.push({ verb: 'hangup' });
        return null;
      case 'Reject':
        call.heard.push({ verb: 'reject', reason: verb.attrs.reason ?? 'rejected' });
        return null;
      default:
        call.heard.push({ verb: 'unsupported', name: verb.name });
        call.warn(12200, UNSUPPORTED.has(verb.name) ? `<${verb.name}> is not simulated by the fake Twilio` : `Schema validation warning: unknown verb <${verb.name}>`, docUrl ?? undefined);
    }
    if (next !== 'continue') return next ?? call.takeRedirect();
  }
  // The end of the document: Twilio hangs up (unless the API has just redirected the call).
  return call.takeRedirect();
}

/** The caller hears `ms` of audio: on the call's clock, and in real time scaled by the server's `playback`. */
async function listen(call: FakeCall, ms: number): Promise<void> {
  call.clockMs += ms;
  if (call.env.playback > 0) await new Promise((resolve) => setTimeout(resolve, ms * call.env.playback));
}

/** <Say>, <Play> and <Pause>, at the top level or inside <Gather>. */
async function prompt(call: FakeCall, verb: TwimlNode, docUrl: string | null, inGather: boolean): Promise<void> {
  const loop = num(verb.attrs.loop, 1);
  const times = Math.max(1, loop);
  if (verb.name === 'Say') {
    call.heard.push({ verb: 'say', text: verb.text, voice: verb.attrs.voice ?? null, language: verb.attrs.language ?? null, loop, inGather });
    await listen(call, sayDurationMs(verb.text) * times);
  } else if (verb.name === 'Pause') {
    const seconds = num(verb.attrs.length, 1);
    call.heard.push({ verb: 'pause', seconds, inGather });
    await listen(call, seconds * 1000);
  } else if (verb.attrs.digits && !verb.text) {
    call.heard.push({ verb: 'digits', digits: verb.attrs.digits });
  } else {
    const url = resolveUrl(verb.text, docUrl);
    const media = await call.env.fetchMedia(url);
    const check = media.status >= 200 && media.status < 300 ? checkAudio(media.contentType, media.data) : { ok: false, format: null, durationMs: null, problem: media.error ?? `HTTP ${media.status}` };
    call.heard.push({ verb: 'play', url, ok: check.ok, contentType: media.contentType, durationMs: check.durationMs, ...(check.problem ? { problem: check.problem } : {}), inGather });
    // Twilio skips audio it cannot fetch or play, with a warning in the debugger.
    if (!check.ok) call.warn(media.status >= 200 && media.status < 300 ? 12300 : 11200, `<Play> ${url}: ${check.problem}`, url);
    await listen(call, (check.durationMs ?? 2000) * times);
  }
}

async function gather(call: FakeCall, verb: TwimlNode, docUrl: string | null): Promise<DocSource | null | 'continue'> {
  for (const child of verb.children) if (PROMPT_VERBS.has(child.name)) await prompt(call, child, docUrl, true);
  const input = (verb.attrs.input ?? 'dtmf').toLowerCase();
  const action = verb.attrs.action ? resolveUrl(verb.attrs.action, docUrl) : docUrl;
  const heard = { verb: 'gather' as const, input, action, result: null as { digits: string } | { speech: string; confidence: number } | null };
  call.heard.push(heard);
  const step = await call.nextAction('gather');
  if (step === null) return call.isLive ? call.takeRedirect() : null;
  if (step.kind === 'hangup') {
    call.over = true;
    return null;
  }
  const extra: Record<string, string> = {};
  if (step.kind === 'press' && input.includes('dtmf')) {
    const finishOnKey = verb.attrs.finishOnKey ?? '#';
    let digits = step.digits;
    const stop = finishOnKey ? digits.indexOf(finishOnKey) : -1;
    if (stop >= 0) digits = digits.slice(0, stop);
    const numDigits = num(verb.attrs.numDigits, 0);
    if (numDigits > 0) digits = digits.slice(0, numDigits);
    if (digits) {
      extra.Digits = digits;
      if (stop >= 0) extra.FinishedOnKey = finishOnKey;
    }
    call.clockMs += 500 * step.digits.length;
  } else if (step.kind === 'say' && input.includes('speech')) {
    extra.SpeechResult = step.text;
    extra.Confidence = step.confidence.toFixed(8);
    call.clockMs += sayDurationMs(step.text) + 1000;
  } else if (step.kind === 'message') {
    call.scriptMismatches.push(`a voicemail was left at a <Gather input="${input}">`);
  }
  if (extra.Digits === undefined && extra.SpeechResult === undefined) {
    // No input: the timeout passes, then Twilio goes on with the next verb (or reports the empty result).
    call.clockMs += num(verb.attrs.timeout, 5) * 1000;
    if (!flag(verb.attrs.actionOnEmptyResult, false)) return 'continue';
  } else {
    heard.result = extra.Digits !== undefined ? { digits: extra.Digits } : { speech: extra.SpeechResult, confidence: step.kind === 'say' ? step.confidence : 0 };
  }
  if (!action) return call.fatalNoUrl('<Gather> has no action and the TwiML came from no URL');
  return { kind: 'gather', url: action, method: method(verb.attrs.method), extra: { ...extra, msg: 'Gather End' } };
}

function dialTargets(verb: TwimlNode): DialTarget[] {
  if (verb.children.length === 0 && verb.text) return [{ kind: 'number', value: verb.text, attrs: {} }];
  const kinds: Record<string, DialTarget['kind']> = { Number: 'number', Sip: 'sip', Client: 'client', Conference: 'conference', Queue: 'queue' };
  return verb.children.filter((c) => kinds[c.name]).map((c) => ({ kind: kinds[c.name], value: c.text, attrs: c.attrs }));
}

async function dial(call: FakeCall, verb: TwimlNode, docUrl: string | null): Promise<DocSource | null | 'continue'> {
  const targets = dialTargets(verb);
  const held = await call.hold(Promise.resolve(call.env.dial(targets, call)));
  const outcome = typeof held === 'string' ? { status: 'completed' as const, durationSeconds: 0 } : held;
  const whisper: string[] = [];
  const dialSid = newSid('CA');
  const answered = outcome.status === 'completed' || outcome.status === 'answered';
  // A whisper (<Number url>) is TwiML the called party hears before the two legs are bridged.
  const whisperTarget = targets.find((t) => t.attrs.url);
  if (answered && whisperTarget) {
    const url = resolveUrl(whisperTarget.attrs.url, docUrl);
    const params = { ...call.params('in-progress'), CallSid: dialSid, ParentCallSid: call.sid, Direction: 'outbound-dial', To: whisperTarget.value, Called: whisperTarget.value };
    const res = await call.callbackTwiml('whisper', url, method(whisperTarget.attrs.method), params);
    if (res) for (const v of res.children) if (v.name === 'Say') whisper.push(v.text);
  }
  call.heard.push({ verb: 'dial', targets, outcome, whisper });
  call.clockMs += (outcome.durationSeconds ?? 0) * 1000 + 5000;
  if (held === 'interrupted') return call.takeRedirect();
  if (held === 'hangup') call.over = true;
  if (!verb.attrs.action) return call.over ? null : 'continue';
  const extra: Record<string, string> = { DialCallStatus: outcome.status, DialCallSid: dialSid, DialBridged: String(answered) };
  if (answered) extra.DialCallDuration = String(outcome.durationSeconds ?? 0);
  const next: DocSource = { kind: 'dial', url: resolveUrl(verb.attrs.action, docUrl), method: method(verb.attrs.method), extra };
  if (!call.over) return next;
  // The caller hung up: Twilio still reports the dial to its action but plays nothing more.
  await call.request('dial', next.url, next.method, extra, 'completed');
  return null;
}

async function record(call: FakeCall, verb: TwimlNode, docUrl: string | null): Promise<DocSource | null | 'continue'> {
  const maxLength = num(verb.attrs.maxLength, 3600);
  const finishOnKey = verb.attrs.finishOnKey ?? '1234567890*#';
  const step = await call.nextAction('record');
  if (step === null) return call.isLive ? call.takeRedirect() : null;
  if (step.kind === 'hangup') {
    call.over = true;
    return null;
  }
  const message = step.kind === 'message' ? step : step.kind === 'say' ? { text: step.text, wav: null, end: 'silence' } : null;
  if (!message) {
    // Silence (or keys alone): an empty recording; Twilio skips the action and goes on.
    call.heard.push({ verb: 'record', recordingSid: null, durationSeconds: 0, maxLength });
    call.clockMs += num(verb.attrs.timeout, 5) * 1000;
    return 'continue';
  }
  let wav = message.wav ?? (await spokenWav(message.text!));
  let durationSeconds = Math.max(1, Math.round((wavDurationMs(wav) ?? 1000) / 1000));
  if (durationSeconds > maxLength) {
    durationSeconds = maxLength;
    wav = toneWav(maxLength);
  }
  const recording = call.env.addRecording({ sid: newSid('RE'), callSid: call.sid, accountSid: call.accountSid, wav, durationSeconds, text: message.text });
  call.recordings.push(recording);
  call.heard.push({ verb: 'record', recordingSid: recording.sid, durationSeconds, maxLength });
  call.clockMs += durationSeconds * 1000 + (message.end === 'silence' ? num(verb.attrs.timeout, 5) * 1000 : 0);

  const hungUp = message.end === 'hangup';
  const extra: Record<string, string> = { RecordingUrl: recording.url, RecordingSid: recording.sid, RecordingDuration: String(durationSeconds) };
  if (hungUp) extra.Digits = 'hangup';
  else if (message.end !== 'silence' && finishOnKey.includes(message.end)) extra.Digits = message.end;
  recordingCallbacks(call, verb, docUrl, recording, message.text);
  const action = verb.attrs.action ? resolveUrl(verb.attrs.action, docUrl) : docUrl;
  if (!action) return call.fatalNoUrl('<Record> has no action and the TwiML came from no URL');
  if (!hungUp) return { kind: 'record', url: action, method: method(verb.attrs.method), extra };
  // The caller hung up: Twilio still posts the recording to the action, and ignores what it answers.
  call.over = true;
  await call.request('record', action, method(verb.attrs.method), extra, 'completed');
  return null;
}

/** recordingStatusCallback and transcribeCallback: posted beside the call once the recording is ready. */
function recordingCallbacks(call: FakeCall, verb: TwimlNode, docUrl: string | null, rec: { sid: string; url: string; durationSeconds: number }, text: string | null): void {
  const base = { AccountSid: call.accountSid, CallSid: call.sid, RecordingSid: rec.sid, RecordingUrl: rec.url };
  if (verb.attrs.recordingStatusCallback) {
    const events = (verb.attrs.recordingStatusCallbackEvent ?? 'completed').split(/[\s,]+/);
    if (events.includes('completed')) {
      const params = { ...base, RecordingStatus: 'completed', RecordingDuration: String(rec.durationSeconds), RecordingChannels: '1', RecordingStartTime: rfc2822(new Date()), RecordingSource: 'RecordVerb', RecordingTrack: 'inbound', ErrorCode: '0' };
      call.background(call.callback('recording-status', resolveUrl(verb.attrs.recordingStatusCallback, docUrl), method(verb.attrs.recordingStatusCallbackMethod), params));
    }
  }
  if (flag(verb.attrs.transcribe, false) && verb.attrs.transcribeCallback) {
    const transcription: Record<string, string> = text ? { TranscriptionStatus: 'completed', TranscriptionText: text } : { TranscriptionStatus: 'failed' };
    const sid = newSid('TR');
    const params = { ...call.params(), ...base, TranscriptionSid: sid, TranscriptionType: 'fast', TranscriptionUrl: `${call.env.apiUrl}/2010-04-01/Accounts/${call.accountSid}/Transcriptions/${sid}`, ...transcription };
    call.background(call.callback('transcription', resolveUrl(verb.attrs.transcribeCallback, docUrl), 'POST', params));
  }
}
