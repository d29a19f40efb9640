/**
 * Outbound calls and the calls API on the real stack, against the fake Twilio Voice (its Calls
 * REST API and the calls it drives): POST /v1/calls with answering-machine detection, the flow the
 * answered call runs with its variables, busy and refused calls, GET /v1/calls, and tenancy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callWorkflowId } from '../../core/ids';
import { startFakeTwilioVoice, type FakeTwilioVoice } from '../fakes/twilio-voice';
import { waitUntil } from '../support/wait';
import { newPhone, startVoiceBench, type VoiceBench } from './support/bench';

let bench: VoiceBench;
let twilio: FakeTwilioVoice;
let channel: { id: string; webhookUrl: string };

const edge = (source: string, target: string, sourceHandle?: string) => ({ id: `${source}-${sourceHandle ?? 'next'}`, source, target, ...(sourceHandle ? { sourceHandle } : {}) });
/** A reminder call: a voicemail gets a short message, a person confirms with a key. */
const reminderFlow = {
  nodes: [
    { id: 'start', type: 'start', data: {} },
    { id: 'machine', type: 'condition', data: { expression: 'call.answeredBy != "human"' } },
    { id: 'voicemail', type: 'hangup', data: { message: 'Reminder: table for {{party}} tonight.' } },
    { id: 'confirm', type: 'menu', data: { prompt: 'Hi{{#caller.name}} {{caller.name}}{{/caller.name}}, your table for {{party}} is at eight. Press 1 to confirm.', options: [{ key: '1', keywords: ['yes', 'confirm'] }], retries: 0 } },
    { id: 'thanks', type: 'hangup', data: { message: 'Confirmed, thank you.' } },
  ],
  edges: [edge('start', 'machine'), edge('machine', 'voicemail', 'true'), edge('machine', 'confirm', 'false'), edge('confirm', 'thanks', 'key1')],
  settings: { handoffKeywords: [], idleTimeoutMinutes: 30, contextWindow: 20, variables: {} },
};

beforeAll(async () => {
  bench = await startVoiceBench();
  twilio = await startFakeTwilioVoice({ accounts: { [bench.account.sid]: bench.account.token } });
  channel = await bench.channel(reminderFlow, { apiBaseUrl: twilio.url });
});
afterAll(async () => {
  await bench?.close();
  await twilio?.close();
});

const place = (body: Record<string, unknown>, apiKey = bench.apiKey) => bench.stack.request('POST', '/v1/calls', { apiKey, body: { channelId: channel.id, ...body } });
const getCall = (id: string, apiKey = bench.apiKey) => bench.stack.request('GET', `/v1/calls/${id}`, { apiKey });

describe('outbound calls', () => {
  it('places a call with machine detection; a person answers, hears the flow with its variables and confirms', async () => {
    const to = newPhone();
    const contact = await bench.stack.request('POST', '/v1/contacts', { apiKey: bench.apiKey, body: { name: 'Grace', phone: to } });
    expect(contact.status).toBe(201);
    twilio.answerNext({ answeredBy: 'human' });
    const placed = await place({ to, contactId: contact.body.id, variables: { party: 4 }, machineDetection: 'Enable' });
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ direction: 'outbound', to, from: bench.number, contactId: contact.body.id });
    expect(placed.body.callSid).toMatch(/^CA[0-9a-f]{32}$/);

    const request = twilio.apiRequests.find((r) => r.form.To === to)!;
    expect(request.path).toBe(`/2010-04-01/Accounts/${bench.account.sid}/Calls.json`);
    expect(request.form).toMatchObject({ MachineDetection: 'Enable', From: bench.number, Url: `${channel.webhookUrl}?call=${placed.body.id}` });

    const call = await twilio.waitForCall((c) => c.sid === placed.body.callSid);
    call.press('1');
    await call.ended;
    await bench.stack.temporal.workflow.getHandle(callWorkflowId(bench.tenantId, call.sid)).result();
    expect(call.errors, JSON.stringify(call.webhooks.filter((w: any) => w.status !== 200 && w.status !== 204).map((w: any) => [w.kind, w.url, w.params, w.status, w.body]))).toEqual([]);
    expect(call.path()).toEqual(['play', 'gather', 'play', 'hangup']);

    const shown = await getCall(placed.body.id);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ status: 'completed', answeredBy: 'human', path: ['start', 'machine', 'confirm', 'thanks'], contactId: contact.body.id });
    expect(shown.body.durationSeconds).toBeGreaterThanOrEqual(0);
    const lines = await bench.rows(`select author, text from messages where conversation_id = ? order by created_at, id`, [shown.body.conversationId]);
    expect(lines.map((l: any) => `${l.author}:${l.text}`)).toEqual(['bot:Hi Grace, your table for 4 is at eight. Press 1 to confirm.', 'contact:1', 'bot:Confirmed, thank you.']);
  });

  it('leaves the short message on a machine (AnsweredBy passed to the flow)', async () => {
    twilio.answerNext({ answeredBy: 'machine_end_beep' });
    const placed = await place({ to: newPhone(), variables: { party: 2 }, machineDetection: 'DetectMessageEnd' });
    const call = await twilio.waitForCall((c) => c.sid === placed.body.callSid);
    await call.ended;
    await waitUntil(async () => (await getCall(placed.body.id)).body.status === 'completed', 15_000, 'call completed');
    const shown = await getCall(placed.body.id);
    expect(shown.body).toMatchObject({ answeredBy: 'machine_end_beep', path: ['start', 'machine', 'voicemail'] });
  });

  it('records a busy line, and a number Twilio refuses as a failed call with a 400', async () => {
    twilio.answerNext({ status: 'busy' });
    const busy = await place({ to: newPhone() });
    expect(busy.status).toBe(201);
    await waitUntil(async () => (await getCall(busy.body.id)).body.status === 'busy', 15_000, 'busy recorded');
    // Unanswered: the row says so, and no conversation was opened for it.
    expect((await getCall(busy.body.id)).body).toMatchObject({ conversationId: null, startedAt: null });
    expect((await getCall(busy.body.id)).body.endedAt).not.toBeNull();

    twilio.failNext({ status: 400, code: 21217, message: 'Phone number does not appear to be valid' });
    const refused = await place({ to: newPhone() });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'bad_request', field: 'to' });
    expect(refused.body.error.message).toContain('21217');
    const failed = await bench.stack.request('GET', '/v1/calls?status=failed', { apiKey: bench.apiKey });
    expect(failed.body.items.some((c: any) => c.error?.includes('21217'))).toBe(true);
  });

  it('validates the request, naming the field', async () => {
    expect((await place({ to: '0612345678' })).body.error.field).toBe('to');
    expect((await place({ to: newPhone(), from: '+15550000000' })).body.error.field).toBe('from');
    const noChannel = await bench.stack.request('POST', '/v1/calls', { apiKey: bench.apiKey, body: { channelId: 'nope', to: newPhone() } });
    expect(noChannel.status).toBe(400);
    expect(noChannel.body.error.field).toBe('channelId');
  });
});

describe('calls placed by a flow', () => {
  it('places the call from an automation once, with the variables the called flow reads', async () => {
    const to = newPhone();
    const automation = {
      nodes: [
        { id: 'start', type: 'start', data: {} },
        { id: 'ring', type: 'placeCall', data: { channelId: channel.id, to: '{{phone}}', variables: { party: '{{party}}' }, machineDetection: 'Enable', saveAs: 'placed' } },
        { id: 'end', type: 'end', data: {} },
      ],
      edges: [edge('start', 'ring'), edge('ring', 'end')],
      settings: { handoffKeywords: [], idleTimeoutMinutes: 30, contextWindow: 20, variables: {} },
    };
    const created = await bench.stack.request('POST', '/v1/flows', { apiKey: bench.apiKey, body: { name: 'reminders', graph: automation } });
    expect((await bench.stack.request('POST', `/v1/flows/${created.body.id}/publish`, { apiKey: bench.apiKey, body: {} })).status).toBe(201);
    twilio.answerNext({ answeredBy: 'human' });
    const run = await bench.stack.request('POST', `/v1/flows/${created.body.id}/runs`, { apiKey: bench.apiKey, body: { input: { phone: to, party: '6' } } });
    expect(run.status).toBe(202);
    const output = await bench.stack.temporal.workflow.getHandle(run.body.workflowId).result();
    expect(output.status).toBe('completed');
    const placed = output.variables.placed;
    expect(placed.callSid).toMatch(/^CA/);
    expect(twilio.apiRequests.filter((r) => r.form.To === to)).toHaveLength(1);
    expect(twilio.apiRequests.find((r) => r.form.To === to)!.form.MachineDetection).toBe('Enable');
    const call = await twilio.waitForCall((c) => c.sid === placed.callSid);
    call.press('1');
    await call.ended;
    await waitUntil(async () => (await getCall(placed.id)).body.status === 'completed', 15_000, 'the placed call completed');
    const lines = await bench.rows(`select text from messages where conversation_id = ? and author = 'bot' order by created_at, id`, [(await getCall(placed.id)).body.conversationId]);
    expect(lines[0].text).toBe('Hi, your table for 6 is at eight. Press 1 to confirm.');
  });
});

describe('the calls API', () => {
  it('lists calls newest first, with filters and pages', async () => {
    const all = await bench.stack.request('GET', '/v1/calls?direction=outbound&limit=2', { apiKey: bench.apiKey });
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(2);
    expect(all.body.nextCursor).toBeTruthy();
    const next = await bench.stack.request('GET', `/v1/calls?direction=outbound&limit=2&cursor=${all.body.nextCursor}`, { apiKey: bench.apiKey });
    const ids = [...all.body.items, ...next.body.items].map((c: any) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    const times = [...all.body.items, ...next.body.items].map((c: any) => Date.parse(c.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect((await bench.stack.request('GET', '/v1/calls?status=ringing-ish', { apiKey: bench.apiKey })).body.error.field).toBe('status');
  });

  it("keeps tenants apart: another tenant's call and channel are not found", async () => {
    const other = await bench.stack.createTenant();
    const mine = (await bench.stack.request('GET', '/v1/calls?limit=1', { apiKey: bench.apiKey })).body.items[0];
    expect((await getCall(mine.id, other.apiKey)).status).toBe(404);
    expect((await bench.stack.request('GET', '/v1/calls', { apiKey: other.apiKey })).body.items).toEqual([]);
    const foreign = await place({ to: newPhone() }, other.apiKey);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.field).toBe('channelId');
  });
});
