/**
 * A phone call end to end: the fake Twilio dials the voice channel's webhook, follows the TwiML
 * the ivrCall workflow answers, and a scripted caller presses 2 and says what to book. The call's
 * path is the flow's (on the run and the call row), its transcript is on the conversation like
 * chat messages, and the prompts' audio is stored (the fake fetched and checked each <Play>). A
 * caller who says a keyword instead of pressing reaches the same option; a known caller is
 * greeted by name and continues their open conversation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callWorkflowId } from '../../core/ids';
import { systemEm } from '../../db/orm';
import type { FakeCall } from '../fakes/twilio-voice';
import { sharedServers } from '../support/shared-servers';
import { bookingTranscript, GREETING, HOURS, MENU_PROMPT, NUMBER, menuFlow, newCaller, startVoiceBench, type VoiceBench } from './support';

let bench: VoiceBench;
let channel: { id: string; webhookUrl: string; flowId: string };

beforeAll(async () => {
  bench = await startVoiceBench(sharedServers());
  channel = await bench.channel(menuFlow());
});
afterAll(async () => {
  await bench?.close();
});

const rows = <T = any>(sql: string, params: unknown[]) => systemEm(bench.stack.orm).getConnection().execute<T[]>(sql, params);
const callRow = async (sid: string) => (await rows(`select * from calls where call_sid = ? and tenant_id = ?`, [sid, bench.tenantId]))[0];
const transcript = async (conversationId: string) =>
  (await rows<{ author: string; text: string }>(`select author, text from messages where conversation_id = ? and tenant_id = ? order by created_at, id`, [conversationId, bench.tenantId])).map((m) => `${m.author}: ${m.text}`);
const dial = (from = newCaller()) => bench.twilio.call({ url: channel.webhookUrl, from, to: NUMBER, statusEvents: ['answered', 'completed'] });

/** What the caller heard: <Say> text, or the audio <Play> fetched (every one checked as playable audio). */
const prompts = (call: FakeCall) => call.heard.filter((h) => h.verb === 'say' || h.verb === 'play');

/** The call is over and its ivrCall run has finished (after the completed status callback). */
async function settled(call: FakeCall) {
  await call.ended;
  await bench.stack.temporal.workflow.getHandle(callWorkflowId(bench.tenantId, call.sid)).result();
}

describe('a phone call through a published menu flow', () => {
  it('takes the menu path by keys and speech: path on the run, transcript on the conversation, audio stored', async () => {
    const call = dial();
    call.press('2').say('I want to book a table for four at eight', { confidence: 0.91 });
    await settled(call);

    expect(call.errors).toEqual([]);
    expect(call.status).toBe('completed');
    expect(call.requests('gather').map((r) => r.params.Digits ?? r.params.SpeechResult)).toEqual(['2', 'I want to book a table for four at eight']);
    expect(call.path().at(-1)).toBe('hangup');
    // Every prompt was heard: spoken by Twilio, or audio the platform stored and Twilio could play.
    expect(prompts(call).length).toBe(4);
    for (const p of prompts(call)) if (p.verb === 'play') expect(p).toMatchObject({ ok: true, contentType: expect.stringMatching(/^audio\//) });

    const row = await callRow(call.sid);
    expect(row).toMatchObject({ status: 'completed', direction: 'inbound', from_number: call.from, to_number: NUMBER });
    expect(row.path).toEqual(['start', 'greet', 'menu', 'askBooking', 'confirm', 'bye']);
    expect(Number(row.duration_seconds)).toBe(call.durationSeconds);

    expect(await transcript(row.conversation_id)).toEqual(bookingTranscript('I want to book a table for four at eight'));

    // The run's history (what the run page draws): each node visited once, in the flow's order; a
    // node that waits for the caller shows once when it asks and once when the answer resumes it.
    const run = await bench.stack.request('GET', `/v1/runs/${encodeURIComponent(callWorkflowId(bench.tenantId, call.sid))}/history`, { apiKey: bench.apiKey });
    expect(run.body).toMatchObject({ type: 'ivrCall', status: 'completed' });
    const visits: Array<{ nodeId: string; turn: number }> = run.body.visits;
    expect(visits.map((v) => v.nodeId).filter((id, i, all) => id !== all[i - 1])).toEqual(['start', 'greet', 'menu', 'askBooking', 'confirm', 'bye']);
    expect(visits.filter((v) => v.nodeId === 'menu').map((v) => v.turn)).toHaveLength(2);

    // The prompts' audio is in the media store: each URL played still serves it.
    for (const url of call.played()) {
      const audio = await fetch(url);
      expect(audio.status).toBe(200);
      expect(audio.headers.get('content-type')).toMatch(/^audio\//);
    }
  });

  it('reaches an option by its spoken keyword', async () => {
    const call = dial();
    call.say('what are your opening hours');
    await settled(call);
    expect(call.errors).toEqual([]);
    const row = await callRow(call.sid);
    expect(row.path).toEqual(['start', 'greet', 'menu', 'hours', 'bye']);
    expect(await transcript(row.conversation_id)).toEqual([`bot: ${GREETING}`, `bot: ${MENU_PROMPT}`, 'contact: what are your opening hours', `bot: ${HOURS}`]);
  });

  it('greets a known caller by name and continues their open conversation', async () => {
    const phone = newCaller();
    const contact = await bench.stack.request('POST', '/v1/contacts', { apiKey: bench.apiKey, body: { firstName: 'Ada', name: 'Ada Lovelace', phone } });
    expect(contact.status).toBe(201);

    const first = dial(phone);
    first.hangUp();
    await settled(first);
    const firstRow = await callRow(first.sid);
    expect(firstRow.contact_id).toBe(contact.body.id);

    const second = dial(phone);
    second.press('1');
    await settled(second);
    const secondRow = await callRow(second.sid);
    expect(secondRow.contact_id).toBe(contact.body.id);
    expect(secondRow.conversation_id).toBe(firstRow.conversation_id);
    expect((await transcript(secondRow.conversation_id)).filter((l) => l.includes(GREETING))).toEqual([`bot: Hello Ada. ${GREETING}`, `bot: Hello Ada. ${GREETING}`]);
  });
});
