/**
 * Voicemail end to end: the record node's <Record> is followed by the fake Twilio, the caller's
 * words (spoken by espeak-ng into an 8 kHz WAV the fake serves as Twilio's recording) reach the
 * action; the platform stores the recording with the call and the conversation and transcribes it
 * offline, on the caller's conversation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphInput } from '../../core/graph/schema';
import { callWorkflowId } from '../../core/ids';
import { systemEm } from '../../db/orm';
import type { FakeCall } from '../fakes/twilio-voice';
import { sharedServers } from '../support/shared-servers';
import { NUMBER, newCaller, startVoiceBench, type VoiceBench } from './support';

let bench: VoiceBench;
let channel: { id: string; webhookUrl: string; flowId: string };

const edge = (source: string, target: string, sourceHandle?: string) => ({ id: `${source}-${sourceHandle ?? 'next'}-${target}`, source, target, ...(sourceHandle ? { sourceHandle } : {}) });
const voicemailFlow: GraphInput = {
  nodes: [
    { id: 'start', type: 'start', data: {} },
    { id: 'voicemail', type: 'record', data: { prompt: 'We are closed. Leave a message after the beep.', maxLengthSeconds: 60, silenceTimeoutSeconds: 3, variable: 'message' } },
    { id: 'thanks', type: 'say', data: { text: 'Thank you, we will call you back.' } },
    { id: 'nothing', type: 'say', data: { text: 'We did not get a message.' } },
    { id: 'bye', type: 'hangup', data: {} },
  ],
  edges: [edge('start', 'voicemail'), edge('voicemail', 'thanks', 'recorded'), edge('voicemail', 'nothing', 'empty'), edge('thanks', 'bye'), edge('nothing', 'bye')],
  settings: { handoffKeywords: [], idleTimeoutMinutes: 30, contextWindow: 20, variables: {} },
};

beforeAll(async () => {
  bench = await startVoiceBench(sharedServers());
  channel = await bench.channel(voicemailFlow);
});
afterAll(async () => {
  await bench?.close();
});

const rows = <T = any>(sql: string, params: unknown[]) => systemEm(bench.stack.orm).getConnection().execute<T[]>(sql, params);
const settled = async (call: FakeCall) => {
  await call.ended;
  await bench.stack.temporal.workflow.getHandle(callWorkflowId(bench.tenantId, call.sid)).result();
  return (await rows(`select * from calls where call_sid = ? and tenant_id = ?`, [call.sid, bench.tenantId]))[0];
};

describe('voicemail on a call', () => {
  it('stores the recording Twilio made and transcribes it', async () => {
    const call = bench.twilio.call({ url: channel.webhookUrl, from: newCaller(), to: NUMBER });
    call.leaveMessage('Please call me back tomorrow morning', { end: '#' });
    const row = await settled(call);

    expect(call.errors).toEqual([]);
    expect(call.recordings).toHaveLength(1);
    const action = call.requests('record')[0];
    expect(action.params).toMatchObject({ RecordingSid: call.recordings[0].sid, Digits: '#' });
    expect(row.path).toEqual(['start', 'voicemail', 'thanks', 'bye']);
    // The caller's message is on the conversation: the recording copied into the platform's media
    // store (named by Twilio's RecordingSid) with its offline transcript beside it.
    const lines = await rows<{ author: string; text: string; source: string; metadata: any }>(
      `select author, text, source, metadata from messages where conversation_id = ? and tenant_id = ? order by created_at, id`,
      [row.conversation_id, bench.tenantId],
    );
    const message = lines.filter((l) => l.author === 'contact');
    expect(message).toHaveLength(1);
    expect(message[0]).toMatchObject({ source: 'voicemail', metadata: { rich: { media: { contentType: 'audio/wav' } }, voicemail: { transcribed: true, durationSeconds: call.recordings[0].durationSeconds } } });
    expect(message[0].metadata.rich.media.key).toContain(call.recordings[0].sid);
    expect(message[0].text.trim()).not.toBe('');
    expect(lines.map((l) => `${l.author}: ${l.text}`).at(-1)).toBe('bot: Thank you, we will call you back.');
  });
});
