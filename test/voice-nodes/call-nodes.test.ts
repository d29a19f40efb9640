/**
 * The transfer, conference, record and businessHours nodes on real `ivrCall` runs (real Temporal,
 * worker and PostgreSQL), driven with the callEvent updates Twilio's webhooks become: the verbs of
 * each answer, the edges DialCallStatus and the Record action lead to, the human agents tried in
 * turn, the whisper's signed TwiML, and the call's metrics from its history.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DialVerb, VoiceVerb } from '../../core/voice/types';
import { conferenceName } from '../../workflows/flow/handlers/conference';
import { callMetrics } from '../../console/src/pages/runs/call-metrics';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { signedIn } from '../console-api/support';
import { botLines, DrivenCall, publishedFlow, verbNames, voiceChannel } from './support/calls';

let stack: Stack;
let tenant: { tenantId: string; apiKey: string };
let channelId: string;
let flow: Awaited<ReturnType<typeof publishedFlow>>;
let agentsFlow: Awaited<ReturnType<typeof publishedFlow>>;

const node = (id: string, type: string, data: Record<string, unknown> = {}) => ({ id, type, data });
const link = (source: string, target: string, sourceHandle?: string) => ({ id: `${source}-${sourceHandle ?? 'next'}-${target}`, source, target, ...(sourceHandle ? { sourceHandle } : {}) });

// open → transfer; closed → voicemail. busy → conference; no answer (unconnected) → failed → voicemail.
const reception = {
  nodes: [
    node('start', 'start'),
    node('hours', 'businessHours', { variable: 'hours' }),
    node('transfer', 'transfer', { target: 'number', number: '+4930123456', whisper: 'Caller {{call.from}} asks for the front desk' }),
    node('room', 'conference', { room: 'overflow {{hours}}', announcement: 'Everyone is busy: joining the overflow room.' }),
    node('voicemail', 'record', { maxLengthSeconds: 60 }),
    node('thanks', 'hangup', { message: 'Thanks for calling.' }),
    node('nothing', 'hangup', { message: 'No message recorded. Goodbye.' }),
  ],
  edges: [
    link('start', 'hours'),
    link('hours', 'transfer', 'open'),
    link('hours', 'voicemail', 'closed'),
    link('transfer', 'thanks', 'completed'),
    link('transfer', 'room', 'busy'),
    link('transfer', 'voicemail', 'failed'),
    link('room', 'thanks', 'completed'),
    link('voicemail', 'thanks', 'recorded'),
    link('voicemail', 'nothing', 'empty'),
  ],
};

const agents = {
  nodes: [node('start', 'start'), node('desk', 'transfer', { target: 'agents', announcement: '', timeoutSeconds: 15 }), node('bye', 'hangup', { message: 'Goodbye.' }), node('sorry', 'hangup', { message: 'Nobody could take your call.' })],
  edges: [link('start', 'desk'), link('desk', 'bye', 'completed'), link('desk', 'sorry', 'busy'), link('desk', 'sorry', 'failed')].map((e, i) => ({ ...e, id: `e${i}` })),
};

/** The transcript is stored by an activity after the webhook is answered: read it until it is there. */
const stored = { timeout: 15_000, interval: 100 };
const spokenOn = (conversationId: string) => async () => (await botLines(stack, tenant.tenantId, conversationId)).map((l) => l.text);

const dialOf = (verbs: VoiceVerb[]) => verbs.find((v): v is DialVerb => v.verb === 'dial');

beforeAll(async () => {
  stack = await startStack(sharedServers());
  tenant = await stack.createTenant();
  channelId = await voiceChannel(stack, tenant.tenantId);
  flow = await publishedFlow(stack, tenant.apiKey, reception);
  agentsFlow = await publishedFlow(stack, tenant.apiKey, agents);
});
afterAll(async () => {
  await stack?.close();
});

const newCall = (f = flow) => new DrivenCall(stack, tenant.tenantId, channelId, f);

describe('transfer', () => {
  it('dials the number with a signed whisper, and follows completed when the bridged call ends', { timeout: 60_000 }, async () => {
    const call = newCall();
    const first = await call.answer();
    const dial = dialOf(first.verbs)!;
    expect(dial).toMatchObject({ number: '+4930123456', timeout: 30 });
    expect(dial.action).toBe(`${call.input.callbackBase}/dial?node=transfer`);
    expect(verbNames(first)).toEqual(['speak', 'dial']);

    // Twilio fetches the whisper for the person who answers: the flow's text, with the caller filled in.
    const whisper = await fetch(dial.whisperUrl!, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'CallSid=CA1&To=%2B4930123456' });
    expect(whisper.status).toBe(200);
    expect(whisper.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(await whisper.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Say>Caller +15551230000 asks for the front desk</Say></Response>');
    const forged = dial.whisperUrl!.replace(/\.[^.]+$/, '.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect((await fetch(forged)).status).toBe(404);

    const after = await call.dialed('transfer', 'completed', 42);
    expect(verbNames(after)).toEqual(['speak', 'hangup']);
    const state = await call.state();
    expect(state?.path.filter((n, i, all) => n !== all[i - 1])).toEqual(['start', 'hours', 'transfer', 'thanks']);
    expect(state?.variables.hours).toBe('open');
    await expect.poll(spokenOn(state!.conversationId!), stored).toEqual(['Please hold while I transfer your call.', 'Thanks for calling.']);
  });

  it('goes to the conference on busy, and to voicemail when nobody answers (noAnswer unconnected follows failed)', { timeout: 60_000 }, async () => {
    const busy = newCall();
    await busy.answer();
    const room = await busy.dialed('transfer', 'busy');
    expect(room.verbs.find((v) => v.verb === 'conference')).toEqual({
      verb: 'conference',
      name: conferenceName(tenant.tenantId, 'overflow open'),
      action: `${busy.input.callbackBase}/dial?node=room`,
      startConferenceOnEnter: true,
      endConferenceOnExit: false,
      beep: true,
    });
    expect(conferenceName(tenant.tenantId, 'overflow open')).toBe(`${tenant.tenantId}-overflow-open`);
    expect(verbNames(await busy.dialed('room', 'completed', 300))).toEqual(['speak', 'hangup']);

    const unanswered = newCall();
    await unanswered.answer();
    const voicemail = await unanswered.dialed('transfer', 'no-answer');
    expect(voicemail.verbs.find((v) => v.verb === 'record')).toEqual({ verb: 'record', action: `${unanswered.input.callbackBase}/record?node=voicemail`, maxLength: 60, timeout: 5, playBeep: true, finishOnKey: '#', trim: 'trim-silence' });
    const empty = await unanswered.recorded('voicemail', null);
    expect(verbNames(empty)).toEqual(['speak', 'hangup']);
    const state = await unanswered.state();
    expect(state?.path.slice(-2)).toEqual(['voicemail', 'nothing']);
    await expect.poll(async () => (await spokenOn(state!.conversationId!)()).at(-1), stored).toBe('No message recorded. Goodbye.');
  });

  it('tries the human agents one after another, the first to answer takes the call', { timeout: 60_000 }, async () => {
    const first = await signedIn(stack, tenant.apiKey, 'agent');
    const second = await signedIn(stack, tenant.apiKey, 'admin');
    const off = await signedIn(stack, tenant.apiKey, 'agent');
    const viewer = await signedIn(stack, tenant.apiKey, 'viewer');
    await stack.request('PATCH', `/v1/users/${first.userId}`, { apiKey: tenant.apiKey, body: { phone: '+4930111111' } });
    await stack.request('PATCH', `/v1/users/${second.userId}`, { apiKey: tenant.apiKey, body: { phone: '+4930222222' } });
    await stack.request('PATCH', `/v1/users/${off.userId}`, { apiKey: tenant.apiKey, body: { phone: '+4930333333', disabled: true } });
    await stack.request('PATCH', `/v1/users/${viewer.userId}`, { apiKey: tenant.apiKey, body: { phone: '+4930444444' } });

    const call = newCall(agentsFlow);
    expect(dialOf((await call.answer()).verbs)).toMatchObject({ number: '+4930111111', timeout: 15 });
    expect(dialOf((await call.dialed('desk', 'no-answer')).verbs)).toMatchObject({ number: '+4930222222' });
    const done = await call.dialed('desk', 'busy');
    expect(verbNames(done)).toEqual(['speak', 'hangup']);
    const state = await call.state();
    await expect.poll(spokenOn(state!.conversationId!), stored).toEqual(['Nobody could take your call.']);

    // The run page's metrics: the transfer rang twice in one stay, the second ring a retry.
    const history = await stack.request('GET', `/v1/runs/${encodeURIComponent(call.workflowId)}/history`, { apiKey: tenant.apiKey });
    expect(history.status).toBe(200);
    const metrics = callMetrics(history.body, Date.now());
    expect(metrics.nodes.map((n) => [n.nodeId, n.stays, n.retries])).toEqual([
      ['start', 1, 0],
      ['desk', 1, 1],
      ['sorry', 1, 0],
    ]);

    const answered = newCall(agentsFlow);
    await answered.answer();
    expect(verbNames(await answered.dialed('desk', 'answered', 60))).toEqual(['speak', 'hangup']);
    expect((await answered.state())?.path.at(-1)).toBe('bye');
  });
});

describe('businessHours on a call', () => {
  it('sends a call outside the opening hours to voicemail', { timeout: 60_000 }, async () => {
    expect((await stack.request('PUT', '/v1/settings/opening-hours', { apiKey: tenant.apiKey, body: { timezone: 'Europe/Berlin', weekly: {} } })).status).toBe(200);
    const call = newCall();
    const answer = await call.answer();
    expect(verbNames(answer)).toEqual(['speak', 'record']);
    const state = await call.state();
    expect(state?.variables.hours).toBe('closed');
    expect(state?.currentNodeId).toBe('voicemail');
    await call.hangUp();
    await stack.request('PUT', '/v1/settings/opening-hours', { apiKey: tenant.apiKey, body: { timezone: 'UTC', weekly: { mon: [{ start: '00:00', end: '24:00' }], tue: [{ start: '00:00', end: '24:00' }], wed: [{ start: '00:00', end: '24:00' }], thu: [{ start: '00:00', end: '24:00' }], fri: [{ start: '00:00', end: '24:00' }], sat: [{ start: '00:00', end: '24:00' }], sun: [{ start: '00:00', end: '24:00' }] } } });
  });
});
