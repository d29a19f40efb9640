/**
 * The voice nodes end to end through the fake Twilio (test/fakes/twilio-voice), the voice channel's
 * signed webhooks and the ivrCall workflow: a voicemail recorded, fetched from Twilio into the media
 * store, transcribed (PocketSphinx offline) and kept as the caller's message beside its audio; a warm
 * transfer whose whisper the answering party hears; and an agent taking a live call over from the
 * inbox (Twilio's live-call modify), refused to another tenant.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callWorkflowId } from '../../core/ids';
import { systemEm } from '../../db/orm';
import { mediaStoreFromConfig } from '../../media/store';
import type { FakeCall } from '../fakes/twilio-voice';
import { signedIn } from '../console-api/support';
import { sharedServers } from '../support/shared-servers';
import { waitUntil } from '../support/wait';
import { NUMBER, newCaller, startVoiceBench, type VoiceBench } from '../voice-e2e/support';

let bench: VoiceBench;
const settings = { handoffKeywords: [], idleTimeoutMinutes: 30, contextWindow: 20, variables: {} };
const link = (source: string, target: string, sourceHandle?: string) => ({ id: `${source}-${sourceHandle ?? 'next'}-${target}`, source, target, ...(sourceHandle ? { sourceHandle } : {}) });

const voicemailFlow = {
  nodes: [
    { id: 'start', type: 'start', data: {} },
    { id: 'vm', type: 'record', data: { prompt: 'We are closed. Leave a message after the beep.', maxLengthSeconds: 30 } },
    { id: 'thanks', type: 'hangup', data: { message: 'Thank you. Goodbye.' } },
    { id: 'nothing', type: 'hangup', data: { message: 'No message. Goodbye.' } },
  ],
  edges: [link('start', 'vm'), link('vm', 'thanks', 'recorded'), link('vm', 'nothing', 'empty')],
  settings,
};

const transferFlow = {
  nodes: [
    { id: 'start', type: 'start', data: {} },
    { id: 'desk', type: 'transfer', data: { target: 'number', number: '+14155550142', whisper: 'A caller from the phone line, press nothing.' } },
    { id: 'bye', type: 'hangup', data: { message: 'Thanks for calling.' } },
    { id: 'sorry', type: 'hangup', data: { message: 'The front desk is busy.' } },
  ],
  edges: [link('start', 'desk'), link('desk', 'bye', 'completed'), link('desk', 'sorry', 'failed')],
  settings,
};

// A question the caller never answers: the call waits on it until an agent takes it over.
const waitingFlow = {
  nodes: [
    { id: 'start', type: 'start', data: {} },
    { id: 'q', type: 'ask', data: { prompt: 'How can we help?', variable: 'need' } },
    { id: 'bye', type: 'hangup', data: {} },
  ],
  edges: [link('start', 'q'), link('q', 'bye')],
  settings,
};

beforeAll(async () => {
  bench = await startVoiceBench(sharedServers());
});
afterAll(async () => {
  await bench?.close();
});

const rows = <T = any>(sql: string, params: unknown[]) => systemEm(bench.stack.orm).getConnection().execute<T[]>(sql, params);
const dial = (channel: { webhookUrl: string }) => bench.twilio.call({ url: channel.webhookUrl, from: newCaller(), to: NUMBER, statusEvents: ['answered', 'completed'] });
async function settled(call: FakeCall) {
  await call.ended;
  await bench.stack.temporal.workflow.getHandle(callWorkflowId(bench.tenantId, call.sid)).result();
}

describe('record', () => {
  it('keeps the voicemail: audio from Twilio in the media store, its transcript as the caller’s message', { timeout: 120_000 }, async () => {
    const channel = await bench.channel(voicemailFlow);
    const call = dial(channel);
    call.leaveMessage('Hello please call me back tomorrow morning', { end: '#' });
    await settled(call);
    expect(call.errors.filter((e) => e.fatal)).toEqual([]);
    const recording = call.recordings[0];
    expect(recording).toBeDefined();
    expect(call.heard.find((h) => h.verb === 'record')).toMatchObject({ maxLength: 30 });

    const [row] = await rows<{ conversation_id: string; path: string[] }>(`select conversation_id, path from calls where call_sid = ? and tenant_id = ?`, [call.sid, bench.tenantId]);
    expect(row.path).toEqual(['start', 'vm', 'thanks']);
    const [voicemail] = await rows<{ text: string; source: string; node_id: string; metadata: any }>(
      `select text, source, node_id, metadata from messages where conversation_id = ? and tenant_id = ? and source = 'voicemail'`,
      [row.conversation_id, bench.tenantId],
    );
    expect(voicemail).toMatchObject({ source: 'voicemail', node_id: 'vm', metadata: { kind: 'audio', voicemail: { durationSeconds: recording.durationSeconds, transcribed: true, engine: 'pocketsphinx' } } });
    // PocketSphinx hears espeak-ng's voice roughly (its words vary), but it heard something: the text is the transcript, not the placeholder.
    expect(voicemail.text).not.toBe('[voicemail]');
    expect(voicemail.text.trim().length).toBeGreaterThan(0);

    // The audio is the recording Twilio served, byte for byte, under the tenant's key.
    const key = voicemail.metadata.rich.media.key as string;
    expect(key.startsWith(`t/${bench.tenantId}/calls/${call.sid}/`)).toBe(true);
    const stored = await mediaStoreFromConfig(bench.stack.config).read(key);
    const chunks: Buffer[] = [];
    for await (const c of stored!.body) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).equals(recording.wav)).toBe(true);

    // The inbox shows the recording with a playable, signed link, the transcript as its text.
    const messages = await bench.stack.request('GET', `/v1/conversations/${row.conversation_id}/messages`, { apiKey: bench.apiKey });
    const shown = (messages.body.messages ?? messages.body.items).find((m: any) => m.source === 'voicemail' || m.text === voicemail.text);
    expect(shown.media).toMatchObject({ contentType: 'audio/wav', caption: 'Voicemail' });
    const audio = await fetch(new URL(shown.media.url, bench.stack.url));
    expect(audio.status).toBe(200);
    expect(Buffer.from(await audio.arrayBuffer()).equals(recording.wav)).toBe(true);
  });
});

describe('transfer', () => {
  it('dials the desk, whose phone hears the whisper first, then follows completed', { timeout: 120_000 }, async () => {
    const channel = await bench.channel(transferFlow);
    const call = dial(channel);
    await settled(call);
    const dialed = call.heard.find((h) => h.verb === 'dial');
    expect(dialed).toMatchObject({ targets: [{ kind: 'number', value: '+14155550142' }], whisper: ['A caller from the phone line, press nothing.'] });
    const [row] = await rows<{ path: string[] }>(`select path from calls where call_sid = ? and tenant_id = ?`, [call.sid, bench.tenantId]);
    expect(row.path).toEqual(['start', 'desk', 'bye']);
  });
});

describe('take over', () => {
  it('rings the agent’s phone on a live call, through Twilio’s live-call modify; another tenant gets 404', { timeout: 120_000 }, async () => {
    const channel = await bench.channel(waitingFlow);
    const agent = await signedIn(bench.stack, bench.apiKey, 'agent');
    const call = dial(channel);
    expect(await call.waitForListening()).toBe('gather');
    const [row] = await rows<{ id: string }>(`select id from calls where call_sid = ? and tenant_id = ?`, [call.sid, bench.tenantId]);

    const other = await bench.stack.createTenant();
    expect((await bench.stack.request('POST', `/v1/calls/${row.id}/take-over`, { apiKey: other.apiKey, body: { phone: '+14155550177' } })).status).toBe(404);
    // No phone of their own and none sent: the agent is told which field.
    const noPhone = await agent.request('POST', `/v1/calls/${row.id}/take-over`, { body: {} });
    expect(noPhone.status).toBe(400);
    expect(noPhone.body.error.field).toBe('phone');

    await bench.stack.request('PATCH', `/v1/users/${agent.userId}`, { apiKey: bench.apiKey, body: { phone: '+14155550177' } });
    const taken = await agent.request('POST', `/v1/calls/${row.id}/take-over`, { body: {} });
    expect(taken.status, JSON.stringify(taken.body)).toBe(200);
    expect(taken.body).toMatchObject({ callId: row.id, callSid: call.sid, to: '+14155550177' });
    await settled(call);
    expect(call.heard.find((h) => h.verb === 'dial')).toMatchObject({ targets: [{ kind: 'number', value: '+14155550177' }] });
    expect(call.heard.some((h) => h.verb === 'say' && /agent person is taking your call/.test(h.text))).toBe(true);
    const modify = bench.twilio.apiRequests.find((r) => r.method === 'POST' && r.path.endsWith(`/Calls/${call.sid}.json`));
    expect(modify?.form.Twiml).toContain('<Dial timeout="30">+14155550177</Dial>');

    // Over: nothing more to take.
    await waitUntil(async () => (await rows<{ status: string }>(`select status from calls where id = ?`, [row.id]))[0].status === 'completed');
    expect((await agent.request('POST', `/v1/calls/${row.id}/take-over`, { body: {} })).status).toBe(409);
  });
});
