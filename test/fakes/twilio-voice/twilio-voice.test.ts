/**
 * The fake Twilio Voice against TwiML served by a tiny local application: every request it sends
 * passes the `twilio` package's own signature check; it follows Say/Play/Pause, Gather (digits and
 * speech to a relative action URL, falling through with no input), Redirect, Dial (DialCallStatus
 * to the action, whisper), Record (a WAV it serves, recording status callback), Hangup and the end
 * of the document; it turns a failing or malformed answer into Twilio's application error; its REST
 * API creates outbound calls (AMD, status events, Twilio's errors) and modifies live ones.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import VoiceResponse from 'twilio/lib/twiml/VoiceResponse';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { renderTwiml } from '../../../voice/twiml';
import { isValidTwilioSignature, parseForm, type FormParams } from '../../../channels/twilio/signature';
import { requestBody } from '../request-body';
import { toneWav, wavDurationMs } from './audio';
import { startFakeTwilioVoice, type FakeTwilioVoice } from './index';

const ACCOUNT = 'AC' + 'a1'.repeat(16);
const TOKEN = 'auth-token-for-tests';
type Answer = string | { status: number; contentType?: string; body: string | Buffer };
type Route = (params: Record<string, string>) => Answer;

/** The application: routes by path, checks every signature, keeps every request. */
let app: { url: string; routes: Map<string, Route>; requests: Array<{ path: string; params: Record<string, string>; signed: boolean }>; close(): Promise<void> };
let twilio: FakeTwilioVoice;

beforeAll(async () => {
  const routes = new Map<string, Route>();
  const requests: typeof app.requests = [];
  const server = createServer(async (req, res) => {
    const raw = await requestBody(req);
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const form: FormParams = req.method === 'POST' ? parseForm(raw) : {};
    const params = req.method === 'POST' ? (form as Record<string, string>) : Object.fromEntries(url.searchParams);
    const signed = isValidTwilioSignature(TOKEN, req.headers['x-twilio-signature'] as string | undefined, url.toString(), form);
    requests.push({ path: url.pathname, params, signed });
    const route = routes.get(url.pathname);
    const answer: Answer = route ? route(params) : { status: 404, body: 'not found' };
    if (typeof answer === 'string') return res.writeHead(200, { 'content-type': 'text/xml' }).end(answer);
    res.writeHead(answer.status, { 'content-type': answer.contentType ?? 'text/plain' }).end(answer.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  app = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    routes,
    requests,
    close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
  twilio = await startFakeTwilioVoice({ accounts: { [ACCOUNT]: TOKEN } });
});
afterAll(async () => {
  await twilio?.close();
  await app?.close();
});
afterEach(() => {
  app.routes.clear();
  app.requests.length = 0;
});

const twiml = (build: (r: VoiceResponse) => void) => {
  const r = new VoiceResponse();
  build(r);
  return r.toString();
};
const route = (path: string, fn: Route) => app.routes.set(path, fn);
const dialIn = (path = '/voice', opts: { statusEvents?: Array<'initiated' | 'ringing' | 'answered' | 'completed'> } = {}) =>
  twilio.call({ url: `${app.url}${path}`, from: '+15551230000', to: '+15557654321', ...opts });
const basic = (sid = ACCOUNT, token = TOKEN) => `Basic ${Buffer.from(`${sid}:${token}`).toString('base64')}`;
const api = async (path: string, form: Record<string, string | string[]>, auth = basic()) => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const one of ([] as string[]).concat(v)) body.append(k, one);
  const res = await fetch(`${twilio.url}/2010-04-01/Accounts/${ACCOUNT}${path}`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' }, body });
  return { status: res.status, body: (await res.json()) as any };
};

function menu() {
  route('/voice', () =>
    twiml((r) => {
      r.gather({ numDigits: 1, action: 'menu' }).say('Press 1 for opening hours, 2 to book a table.');
      r.say('We did not get that.');
      r.redirect('/voice');
    }),
  );
  route('/menu', (p) =>
    twiml((r) => {
      if (p.Digits === '1') r.say('We are open from nine to five.');
      else r.gather({ input: ['speech'], action: '/booking', speechTimeout: 'auto' }).say('What would you like?');
    }),
  );
  route('/booking', (p) =>
    twiml((r) => {
      r.say(`You said: ${p.SpeechResult}.`);
      r.play(`${app.url}/tone.wav`);
      r.pause({ length: 2 });
      r.hangup();
      r.say('Never heard.');
    }),
  );
  route('/tone.wav', () => ({ status: 200, contentType: 'audio/wav', body: toneWav(1.5) }));
  route('/voice/status', () => ({ status: 204, body: '' }));
}

describe('an inbound call', () => {
  it('follows a menu: digits and speech to relative action URLs, Play fetched and checked, Hangup ends the call', async () => {
    menu();
    const call = dialIn('/voice', { statusEvents: ['ringing', 'answered', 'completed'] });
    call.press('2').say('I want to book a table', { confidence: 0.87 });
    await call.ended;

    expect(call.errors).toEqual([]);
    expect(call.said()).toEqual(['Press 1 for opening hours, 2 to book a table.', 'What would you like?', 'You said: I want to book a table.']);
    expect(call.path()).toEqual(['say', 'gather', 'say', 'gather', 'say', 'play', 'pause', 'hangup']);
    expect(call.heard.find((h) => h.verb === 'play')).toMatchObject({ url: `${app.url}/tone.wav`, ok: true, durationMs: 1500 });
    // Webhooks are signed; the audio fetch is a plain GET.
    expect(app.requests.filter((r) => r.path !== '/tone.wav').every((r) => r.signed)).toBe(true);
    expect(app.requests.filter((r) => r.path === '/tone.wav')).toHaveLength(1);
    const [first, digits, speech] = app.requests.filter((r) => r.path !== '/tone.wav' && r.path !== '/voice/status');
    expect(first).toMatchObject({ path: '/voice', params: { CallSid: call.sid, AccountSid: ACCOUNT, From: '+15551230000', To: '+15557654321', CallStatus: 'ringing', Direction: 'inbound', FromCountry: 'US' } });
    expect(digits).toMatchObject({ path: '/menu', params: { Digits: '2', CallStatus: 'in-progress' } });
    expect(speech).toMatchObject({ path: '/booking', params: { SpeechResult: 'I want to book a table', Confidence: '0.87000000' } });
    const statuses = app.requests.filter((r) => r.path === '/voice/status').map((r) => `${r.params.SequenceNumber}:${r.params.CallStatus}`);
    expect(statuses).toEqual(['0:ringing', '1:in-progress', '2:completed']);
    const completed = app.requests.find((r) => r.path === '/voice/status' && r.params.CallStatus === 'completed')!;
    expect(Number(completed.params.CallDuration)).toBe(call.durationSeconds);
    expect(call.durationSeconds).toBeGreaterThan(5);
    expect(call.status).toBe('completed');
  });

  it('falls through a Gather with no input to the next verb, as Twilio does, and cuts digits at finishOnKey', async () => {
    route('/voice', () =>
      twiml((r) => {
        r.gather({ action: '/account', finishOnKey: '#' }).say('Enter your account number, then hash.');
        r.say('We did not get that.');
        r.redirect({ method: 'GET' }, '/voice');
      }),
    );
    route('/account', (p) => twiml((r) => r.say(`Account ${p.Digits}.`)));
    const call = dialIn();
    call.silence().say('hello').press('4471#9');
    await call.ended;
    expect(call.said()).toEqual([
      'Enter your account number, then hash.',
      'We did not get that.',
      'Enter your account number, then hash.',
      'We did not get that.',
      'Enter your account number, then hash.',
      'Account 4471.',
    ]);
    expect(app.requests.filter((r) => r.path === '/voice').map((r) => r.params.CallStatus)).toEqual(['ringing', 'in-progress', 'in-progress']);
    expect(app.requests.find((r) => r.path === '/account')!.params).toMatchObject({ Digits: '4471', FinishedOnKey: '#' });
    expect(app.requests.every((r) => r.signed)).toBe(true);
  });

  it('waits for the caller at a Gather; hanging up there sends no action, only the completed callback', async () => {
    menu();
    const call = dialIn();
    expect(await call.waitForListening()).toBe('gather');
    expect(call.said()).toEqual(['Press 1 for opening hours, 2 to book a table.']);
    call.hangUp();
    await call.ended;
    expect(app.requests.map((r) => r.path)).toEqual(['/voice', '/voice/status']);
    expect(app.requests[1].params).toMatchObject({ CallStatus: 'completed', CallbackSource: 'call-progress-events' });
  });

  it('reports a Dial to its action with DialCallStatus, and plays the whisper to the called party', async () => {
    route('/voice', () =>
      twiml((r) => {
        r.dial({ action: '/dialed', timeout: 20 }).number({ url: '/whisper' }, '+15550001111');
      }),
    );
    route('/whisper', () => twiml((r) => r.say('A caller from the phone menu.')));
    route('/dialed', (p) => twiml((r) => r.say(`Dial ${p.DialCallStatus} ${p.DialCallDuration ?? '-'}`)));
    const answered = dialIn();
    answered.dialResults.push({ status: 'completed', durationSeconds: 42 });
    await answered.ended;
    expect(answered.said()).toEqual(['Dial completed 42']);
    expect(answered.heard.find((h) => h.verb === 'dial')).toMatchObject({ targets: [{ kind: 'number', value: '+15550001111' }], whisper: ['A caller from the phone menu.'] });
    expect(app.requests.find((r) => r.path === '/whisper')!.params).toMatchObject({ Direction: 'outbound-dial', ParentCallSid: answered.sid });

    const busy = dialIn();
    busy.dialResults.push({ status: 'busy' });
    await busy.ended;
    expect(busy.said()).toEqual(['Dial busy -']);
    expect(busy.requests('whisper')).toEqual([]);
  });

  it('records a voicemail: the action gets the recording it serves as WAV, the status callback follows', async () => {
    route('/voice', () =>
      twiml((r) => {
        r.say('Leave a message after the beep.');
        r.record({ action: '/recorded', maxLength: 30, recordingStatusCallback: '/recording-status', transcribe: true, transcribeCallback: '/transcribed' });
        r.say('No message recorded.');
      }),
    );
    route('/recorded', (p) => twiml((r) => r.say(`Thanks, ${p.RecordingDuration} seconds.`)));
    route('/recording-status', () => ({ status: 204, body: '' }));
    route('/transcribed', () => ({ status: 204, body: '' }));

    const silent = dialIn();
    silent.silence();
    await silent.ended;
    expect(silent.said()).toEqual(['Leave a message after the beep.', 'No message recorded.']);
    expect(app.requests.map((r) => r.path)).not.toContain('/recorded');

    const call = dialIn();
    call.leaveMessage(toneWav(4), { end: '#' });
    await call.ended;
    expect(call.said()).toEqual(['Leave a message after the beep.', 'Thanks, 4 seconds.']);
    const action = app.requests.find((r) => r.path === '/recorded')!;
    expect(action.params).toMatchObject({ RecordingSid: call.recordings[0].sid, RecordingDuration: '4', Digits: '#' });
    const audio = await fetch(action.params.RecordingUrl);
    expect(audio.headers.get('content-type')).toBe('audio/x-wav');
    expect(wavDurationMs(Buffer.from(await audio.arrayBuffer()))).toBe(4000);
    expect(app.requests.find((r) => r.path === '/recording-status')!.params).toMatchObject({ RecordingStatus: 'completed', RecordingUrl: action.params.RecordingUrl, CallSid: call.sid });
    expect(app.requests.find((r) => r.path === '/transcribed')!.params).toMatchObject({ TranscriptionStatus: 'failed', RecordingSid: call.recordings[0].sid });
    expect(app.requests.every((r) => r.signed)).toBe(true);
  });

  it('records spoken words (espeak-ng) and, when the caller hangs up, still posts the recording', async () => {
    route('/voice', () => twiml((r) => r.record({ action: '/recorded', transcribe: true, transcribeCallback: '/transcribed' })));
    route('/recorded', () => twiml((r) => r.say('Never heard: the caller is gone.')));
    route('/transcribed', () => ({ status: 204, body: '' }));
    const call = dialIn();
    call.leaveMessage('Please call me back tomorrow morning', { end: 'hangup' });
    await call.ended;
    expect(call.said()).toEqual([]);
    expect(app.requests.find((r) => r.path === '/recorded')!.params).toMatchObject({ Digits: 'hangup', CallStatus: 'completed' });
    expect(app.requests.find((r) => r.path === '/transcribed')!.params).toMatchObject({ TranscriptionStatus: 'completed', TranscriptionText: 'Please call me back tomorrow morning' });
    expect(call.recordings[0].durationSeconds).toBeGreaterThanOrEqual(1);
    expect(wavDurationMs(twilio.recording(call.recordings[0].sid)!.wav)).toBeGreaterThan(1000);
  });

  it("turns a failing or malformed answer into Twilio's application error, and skips audio it cannot play", async () => {
    route('/voice/status', () => ({ status: 204, body: '' }));
    route('/voice', () => ({ status: 500, body: 'boom' }));
    const failing = dialIn();
    await failing.ended;
    expect(failing.errors).toMatchObject([{ code: 11200, fatal: true }]);
    expect(failing.status).toBe('completed');

    route('/voice', () => ({ status: 200, contentType: 'text/xml', body: '<Response><Say>unclosed</Response>' }));
    const malformed = dialIn();
    await malformed.ended;
    expect(malformed.errors).toMatchObject([{ code: 12100, fatal: true }]);

    route('/voice', () => ({ status: 200, contentType: 'text/xml', body: '<Reply><Say>wrong root</Say></Reply>' }));
    expect((await dialIn().ended).errors).toMatchObject([{ code: 12100 }]);

    route('/voice', () =>
      twiml((r) => {
        r.play(`${app.url}/page.html`);
        r.say('Still here.');
        r.gather({ numDigits: 1, action: '/broken' }).say('Press a key.');
      }),
    );
    route('/page.html', () => ({ status: 200, contentType: 'text/html', body: '<html></html>' }));
    route('/broken', () => ({ status: 200, contentType: 'text/plain', body: 'not TwiML' }));
    const call = dialIn();
    call.press('5');
    await call.ended;
    expect(call.heard[0]).toMatchObject({ verb: 'play', ok: false });
    expect(call.said()).toEqual(['Still here.', 'Press a key.', 'We are sorry, an application error has occurred. Goodbye.']);
    expect(call.errors.map((e) => `${e.code}:${e.fatal}`)).toEqual(['12300:false', '12300:true']);
  });

  it('rejects a call with <Reject>: busy, never answered', async () => {
    route('/voice', () => twiml((r) => r.reject({ reason: 'busy' })));
    route('/voice/status', () => ({ status: 204, body: '' }));
    const call = dialIn();
    await call.ended;
    expect(call.status).toBe('busy');
    expect(app.requests.find((r) => r.path === '/voice/status')!.params).toMatchObject({ CallStatus: 'busy', CallDuration: '0' });
  });
});

describe('the REST API', () => {
  it("refuses bad credentials and bad calls with Twilio's error shapes", async () => {
    expect(await api('/Calls.json', { To: '+15550001111', From: '+15557654321', Url: `${app.url}/out` }, basic(ACCOUNT, 'wrong'))).toMatchObject({ status: 401, body: { code: 20003, status: 401, more_info: expect.stringContaining('20003') } });
    expect(await api('/Calls.json', { From: '+15557654321', Url: `${app.url}/out` })).toMatchObject({ status: 400, body: { code: 21201 } });
    expect(await api('/Calls.json', { To: '555', From: '+15557654321', Url: `${app.url}/out` })).toMatchObject({ status: 400, body: { code: 21211 } });
    expect(await api('/Calls.json', { To: '+15550001111', From: '+15557654321' })).toMatchObject({ status: 400, body: { code: 21205 } });
    expect(await api(`/Calls/CA${'0'.repeat(32)}.json`, { Twiml: '<Response/>' })).toMatchObject({ status: 404, body: { code: 20404 } });
    const account = await fetch(`${twilio.url}/2010-04-01/Accounts/${ACCOUNT}.json`, { headers: { authorization: basic() } });
    expect(await account.json()).toMatchObject({ sid: ACCOUNT, status: 'active' });
  });

  it('places an outbound call: status events in order, AnsweredBy on the first request', async () => {
    route('/out', () => twiml((r) => r.say('This is your reminder.')));
    route('/out-status', () => ({ status: 204, body: '' }));
    twilio.answerNext({ answeredBy: 'machine_end_beep' });
    const created = await api('/Calls.json', {
      To: '+15550001111',
      From: '+15557654321',
      Url: `${app.url}/out`,
      StatusCallback: `${app.url}/out-status`,
      StatusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
      MachineDetection: 'DetectMessageEnd',
    });
    expect(created).toMatchObject({ status: 201, body: { sid: expect.stringMatching(/^CA[0-9a-f]{32}$/), status: 'queued', direction: 'outbound-api', to: '+15550001111' } });
    const call = await twilio.waitForCall((c) => c.sid === created.body.sid);
    await call.ended;
    const requests = app.requests.filter((r) => r.params.CallSid === call.sid);
    expect(requests.map((r) => `${r.path}:${r.params.CallStatus}`)).toEqual(['/out-status:initiated', '/out-status:ringing', '/out-status:in-progress', '/out:in-progress', '/out-status:completed']);
    expect(requests[3].params).toMatchObject({ AnsweredBy: 'machine_end_beep', Direction: 'outbound-api', From: '+15557654321' });
    expect(call.said()).toEqual(['This is your reminder.']);
    const fetched = await fetch(`${twilio.url}/2010-04-01/Accounts/${ACCOUNT}/Calls/${call.sid}.json`, { headers: { authorization: basic() } });
    expect(await fetched.json()).toMatchObject({ status: 'completed', answered_by: 'machine_end_beep', duration: String(call.durationSeconds) });
  });

  it('reports a busy callee in the completed callback, and AsyncAmd posts AnsweredBy on its own', async () => {
    route('/out', () => twiml((r) => r.say('Hello.')));
    route('/out-status', () => ({ status: 204, body: '' }));
    route('/amd', () => ({ status: 204, body: '' }));
    twilio.answerNext({ status: 'busy' }, { answeredBy: 'human' });
    const busy = await api('/Calls.json', { To: '+15550001111', From: '+15557654321', Url: `${app.url}/out`, StatusCallback: `${app.url}/out-status` });
    await (await twilio.waitForCall((c) => c.sid === busy.body.sid)).ended;
    expect(app.requests.map((r) => `${r.path}:${r.params.CallStatus}:${r.params.CallDuration}`)).toEqual(['/out-status:busy:0']);

    app.requests.length = 0;
    const amd = await api('/Calls.json', { To: '+15550001111', From: '+15557654321', Url: `${app.url}/out`, MachineDetection: 'Enable', AsyncAmd: 'true', AsyncAmdStatusCallback: `${app.url}/amd` });
    await (await twilio.waitForCall((c) => c.sid === amd.body.sid)).ended;
    expect(app.requests.find((r) => r.path === '/out')!.params.AnsweredBy).toBeUndefined();
    expect(app.requests.find((r) => r.path === '/amd')!.params).toMatchObject({ AnsweredBy: 'human', CallSid: amd.body.sid });
  });

  it('modifies a live call with Twiml or Url, and refuses to modify a finished one', async () => {
    menu();
    route('/agent', () => twiml((r) => r.dial('+15550009999')));
    const call = dialIn();
    await call.waitForListening();
    expect(await api(`/Calls/${call.sid}.json`, { Twiml: '<Response><Say>Please hold.</Say><Redirect>' + `${app.url}/agent` + '</Redirect></Response>' })).toMatchObject({ status: 200, body: { sid: call.sid, status: 'in-progress' } });
    await call.ended;
    expect(call.said()).toEqual(['Press 1 for opening hours, 2 to book a table.', 'Please hold.']);
    expect(call.heard.at(-1)).toMatchObject({ verb: 'dial', targets: [{ value: '+15550009999' }] });
    expect(app.requests.map((r) => r.path)).not.toContain('/menu');
    expect(await api(`/Calls/${call.sid}.json`, { Url: `${app.url}/agent` })).toMatchObject({ status: 400, body: { code: 21220 } });

    const second = dialIn();
    await second.waitForListening();
    await api(`/Calls/${second.sid}.json`, { Url: `${app.url}/agent`, Method: 'POST' });
    await second.ended;
    expect(second.requests('modify')).toHaveLength(1);
    expect(second.heard.at(-1)).toMatchObject({ verb: 'dial' });

    const third = dialIn();
    await third.waitForListening();
    await api(`/Calls/${third.sid}.json`, { Status: 'completed' });
    expect((await third.ended).status).toBe('completed');
  });
});

describe("the platform's own TwiML (voice/twiml.ts)", () => {
  it('follows every verb the renderer writes: gather with prompts, dial with a whisper, record, conference, redirect, hangup', async () => {
    const cb = (kind: string, node: string) => `${app.url}/cb/${kind}?node=${node}`;
    route('/voice', () =>
      renderTwiml([
        { verb: 'say', text: 'Welcome.', language: 'en-US' },
        { verb: 'gather', input: ['speech', 'dtmf'], action: cb('gather', 'menu'), numDigits: 1, timeout: 4, speechTimeout: 'auto', hints: ['hours', 'book'], prompt: [{ verb: 'play', url: `${app.url}/tone.wav` }, { verb: 'pause', length: 1 }] },
      ]),
    );
    route('/cb/gather', (p) => renderTwiml(p.Digits === '2' ? [{ verb: 'dial', action: cb('dial', 'transfer'), number: '+15550002222', whisperUrl: `${app.url}/whisper`, timeout: 15 }] : [{ verb: 'hangup' }]));
    route('/whisper', () => renderTwiml([{ verb: 'say', text: 'Transferred from the menu.' }]));
    route('/cb/dial', (p) =>
      renderTwiml(p.DialCallStatus === 'no-answer' ? [{ verb: 'record', action: cb('record', 'voicemail'), maxLength: 60, playBeep: true, recordingStatusCallback: cb('recording', 'voicemail') }] : [{ verb: 'redirect', url: cb('end', 'bye') }]),
    );
    route('/cb/end', () => renderTwiml([{ verb: 'hangup' }]));
    route('/cb/record', () => renderTwiml([{ verb: 'conference', name: 'room-1', action: cb('dial', 'conf'), startConferenceOnEnter: true }]));
    route('/cb/recording', () => ({ status: 204, body: '' }));
    route('/tone.wav', () => ({ status: 200, contentType: 'audio/wav', body: toneWav(1) }));
    route('/voice/status', () => ({ status: 204, body: '' }));
    const call = dialIn();
    call.dialResults.push({ status: 'no-answer' }, { status: 'completed', durationSeconds: 30 });
    call.press('2').leaveMessage(toneWav(2));
    await call.ended;
    expect(call.errors).toEqual([]);
    expect(call.path()).toEqual(['say', 'play', 'pause', 'gather', 'dial', 'record', 'dial', 'redirect', 'hangup']);
    expect(call.heard.filter((h) => h.verb === 'dial').map((h) => h.verb === 'dial' && h.targets[0].kind)).toEqual(['number', 'conference']);
    expect(app.requests.find((r) => r.path === '/cb/dial')!.params).toMatchObject({ DialCallStatus: 'no-answer' });
    expect(app.requests.filter((r) => r.path === '/cb/dial').map((r) => r.params.DialCallStatus)).toEqual(['no-answer', 'completed']);
    expect(app.requests.find((r) => r.path === '/cb/recording')).toBeDefined();
    expect(app.requests.every((r) => r.path === '/tone.wav' || r.signed)).toBe(true);
  });
});
