/**
 * Inbound calls on the real stack: signed Twilio webhooks → the voice routes → the ivrCall
 * workflow (real Temporal, real worker and activities, PostgreSQL) → TwiML; the caller's contact,
 * the continued conversation, the transcript and the call row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callWorkflowId } from '../../core/ids';
import { waitUntil } from '../support/wait';
import { newPhone, receptionistFlow, startVoiceBench, type VoiceBench } from './support/bench';

let bench: VoiceBench;
let channel: { id: string; webhookUrl: string };

beforeAll(async () => {
  bench = await startVoiceBench();
  channel = await bench.channel(receptionistFlow);
});
afterAll(async () => {
  await bench?.close();
});

const transcriptOf = (conversationId: string) =>
  bench.rows<{ author: string; text: string; source: string; metadata: any }>(`select author, text, source, metadata from messages where conversation_id = ? order by created_at, id`, [conversationId]);

describe('an inbound call', () => {
  it('greets a known caller by name, continues their open chat, follows the menu and records the call', async () => {
    const phone = newPhone();
    // Ada chatted before: her open conversation continues on the phone.
    const flow = await bench.stack.request('POST', '/v1/flows', { apiKey: bench.apiKey, body: { name: 'chat', graph: receptionistFlow } });
    await bench.stack.request('POST', `/v1/flows/${flow.body.id}/publish`, { apiKey: bench.apiKey, body: {} });
    const chat = await bench.stack.request('POST', '/v1/conversations', { apiKey: bench.apiKey, body: { flowId: flow.body.id, contact: { name: 'Ada', phone } } });
    expect(chat.status).toBe(201);

    const caller = bench.caller(channel, phone);
    const first = await caller.answer();
    expect(first.status).toBe(200);
    expect(await bench.heard(caller, 2)).toEqual(['Hello Ada, thanks for calling.', 'For bookings press 1 or say booking. For opening hours press 2.']);
    // espeak-ng spoke (no ElevenLabs voice here): audio Twilio plays, the menu's prompt inside the Gather so the caller may answer over it.
    expect(first.verbs.map((v) => v.name)).toEqual(['Play', 'Gather']);
    const gather = caller.gather();
    expect(gather.children.map((c) => c.name)).toEqual(['Play']);
    expect(gather.children[0].text).toMatch(/^http/);
    expect(gather.attrs).toMatchObject({ input: 'dtmf speech', numDigits: '1', actionOnEmptyResult: 'true', method: 'POST' });
    expect(gather.attrs.action).toBe(`${channel.webhookUrl}/gather?node=menu`);
    expect(gather.attrs.hints).toBe('booking, book a table, hours, opening');

    const party = await caller.say('I want to book a table please');
    expect(await bench.heard(caller, 1)).toEqual(['How many people? Enter the number, then press hash.']);
    expect(caller.gather().attrs.action).toBe(`${channel.webhookUrl}/gather?node=party`);

    const done = await caller.press('4');
    expect(await bench.heard(caller, 2)).toEqual(['A table for 4. See you soon!', 'Goodbye.']);
    expect(done.verbs.at(-1)?.name).toBe('Hangup');

    expect((await caller.hangup(37)).status).toBe(204);
    const handle = bench.stack.temporal.workflow.getHandle(callWorkflowId(bench.tenantId, caller.sid));
    await handle.result();

    const [call] = await bench.rows(`select * from calls where tenant_id = ? and call_sid = ?`, [bench.tenantId, caller.sid]);
    expect(call).toMatchObject({ direction: 'inbound', status: 'completed', duration_seconds: 37, from_number: phone, conversation_id: chat.body.id });
    expect(call.path).toEqual(['start', 'hello', 'menu', 'party', 'booked', 'bye']);
    expect(call.ended_at).not.toBeNull();

    const lines = await transcriptOf(chat.body.id);
    expect(lines.map((l) => `${l.author}:${l.text}`)).toEqual([
      'bot:Hello Ada, thanks for calling.',
      'bot:For bookings press 1 or say booking. For opening hours press 2.',
      'contact:I want to book a table please',
      'bot:How many people? Enter the number, then press hash.',
      'contact:4',
      'bot:A table for 4. See you soon!',
      'bot:Goodbye.',
    ]);
    expect(lines.filter((l) => l.author === 'contact').map((l) => l.source)).toEqual(['speech', 'dtmf']);
    // The engine that spoke each line is on it (and in the run history, as the synthesizeSpeech result).
    expect(lines.filter((l) => l.author === 'bot').map((l) => l.metadata.engine)).toEqual(Array(5).fill('espeak-ng'));
  });

  it('creates the contact of an unknown number (E.164), asks again on silence, then leaves on no input', async () => {
    const phone = newPhone();
    const caller = bench.caller(channel, phone);
    const first = await caller.answer();
    expect((await bench.heard(caller, 2))[0]).toBe('Hello, thanks for calling.');
    const again = await caller.silence();
    expect(await bench.heard(caller, 2)).toEqual(['Sorry, I did not hear anything.', 'For bookings press 1 or say booking. For opening hours press 2.']);
    const gone = await caller.silence();
    expect(await bench.heard(caller, 1)).toEqual(['Sorry, goodbye.']);
    expect(gone.verbs.at(-1)?.name).toBe('Hangup');

    const contacts = await bench.rows(`select id, phone, channel, external_id from contacts where tenant_id = ? and phone = ?`, [bench.tenantId, phone]);
    expect(contacts).toHaveLength(1);
    expect(contacts[0]).toMatchObject({ channel: 'voice', external_id: phone });
    const [call] = await bench.rows(`select contact_id, conversation_id from calls where call_sid = ?`, [caller.sid]);
    expect(call.contact_id).toBe(contacts[0].id);
    const [conversation] = await bench.rows(`select channel, channel_id from conversations where id = ?`, [call.conversation_id]);
    expect(conversation).toMatchObject({ channel: 'voice', channel_id: channel.id });
    await caller.hangup(5);
  });

  it('answers a retried webhook with the same document, and a late one of a finished call with a hangup', async () => {
    const caller = bench.caller(channel, newPhone());
    const first = await caller.answer();
    const retried = await caller.answer();
    expect(retried.body).toBe(first.body);
    await caller.press('2');
    await caller.hangup(9);
    await bench.stack.temporal.workflow.getHandle(callWorkflowId(bench.tenantId, caller.sid)).result();
    const late = await caller.post(`${channel.webhookUrl}/gather?node=menu`, { CallSid: caller.sid, AccountSid: bench.account.sid, Digits: '1', CallStatus: 'in-progress' });
    expect(late.status).toBe(200);
    expect(late.verbs.map((v) => v.name)).toEqual(['Hangup']);
  });

  it('refuses unsigned, forged and malformed webhooks', async () => {
    const caller = bench.caller(channel, newPhone());
    const params = { CallSid: caller.sid, AccountSid: bench.account.sid, From: caller.from, To: bench.number, CallStatus: 'in-progress' };
    const unsigned = await fetch(channel.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() });
    expect(unsigned.status).toBe(401);
    const forged = await caller.post(channel.webhookUrl, params, { token: 'f'.repeat(32) });
    expect(forged.status).toBe(403);
    expect(JSON.parse(forged.body).error).toMatchObject({ code: 'forbidden', field: 'x-twilio-signature' });
    const otherAccount = await caller.post(channel.webhookUrl, { ...params, AccountSid: `AC${'0'.repeat(32)}` });
    expect(otherAccount.status).toBe(403);
    expect(JSON.parse(otherAccount.body).error.field).toBe('AccountSid');
    const badSid = await caller.post(channel.webhookUrl, { ...params, CallSid: 'nope' });
    expect(badSid.status).toBe(400);
    expect(JSON.parse(badSid.body).error.field).toBe('CallSid');
    const badStatus = await caller.post(`${channel.webhookUrl}/status`, { ...params, CallStatus: 'exploded' });
    expect(badStatus.status).toBe(400);
    expect(JSON.parse(badStatus.body).error.field).toBe('CallStatus');
    const unknown = await caller.post(channel.webhookUrl.replace(channel.id, '00000000-0000-4000-8000-000000000000'), params);
    expect(unknown.status).toBe(404);
    // Nothing was started for the refused requests.
    expect(await bench.rows(`select 1 from calls where call_sid = ?`, [caller.sid])).toHaveLength(0);
  });
});

describe('chat nodes on a call', () => {
  it('speaks sendMessage, gathers speech for ask and validates it like a chat', async () => {
    const flow = {
      nodes: [
        { id: 'start', type: 'start', data: {} },
        { id: 'q', type: 'ask', data: { prompt: 'What is your email?', variable: 'email', inputType: 'email', maxRetries: 1 } },
        { id: 'ok', type: 'sendMessage', data: { text: 'Thanks, we will write to {{email}}.' } },
        { id: 'end', type: 'end', data: {} },
      ],
      edges: [
        { id: 'e1', source: 'start', target: 'q' },
        { id: 'e2', source: 'q', target: 'ok' },
        { id: 'e3', source: 'ok', target: 'end' },
      ],
      settings: { handoffKeywords: [], idleTimeoutMinutes: 30, contextWindow: 20, variables: {} },
    };
    const chatChannel = await bench.channel(flow);
    const caller = bench.caller(chatChannel, newPhone());
    const first = await caller.answer();
    expect(await bench.heard(caller, 1)).toEqual(['What is your email?']);
    expect(caller.gather().attrs).toMatchObject({ input: 'speech dtmf', action: `${chatChannel.webhookUrl}/gather?node=q` });
    const retry = await caller.say('not an address');
    expect(await bench.heard(caller, 1)).toEqual(['Please enter a valid e-mail address, like name@example.com.']);
    const done = await caller.say('ada@example.com');
    expect(await bench.heard(caller, 1)).toEqual(['Thanks, we will write to ada@example.com.']);
    expect(done.verbs.at(-1)?.name).toBe('Hangup');
    await caller.hangup(12);
    await waitUntil(async () => (await bench.rows(`select status from calls where call_sid = ?`, [caller.sid]))[0]?.status === 'completed', 10_000, 'call completed');
  });
});
