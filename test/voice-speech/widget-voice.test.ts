/**
 * `POST /v1/widget/voice`: a visitor's recording (espeak-ng speaking a sentence) is transcribed
 * (PocketSphinx: the tenant has no provider), sent through the flow like a typed message, and the
 * reply comes back as text and as MP3 speech; the recording is kept on the conversation. Refusals
 * name the field: no token, a forged token, no audio, bytes that are not audio, too large.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WIDGET_VOICE_MAX_BYTES } from '../../core/api/widget';
import { echoFlow } from '../support/flows';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { createWebchatChannel, openSession } from '../widget/support';
import { FAKE_VOICES, startFakeElevenLabs, type FakeElevenLabs } from '../fakes/elevenlabs-server';
import { spokenWav, tempStore } from './support';

let stack: Stack;
let media: Awaited<ReturnType<typeof tempStore>>;
let wav: Buffer;
let eleven: FakeElevenLabs;

beforeAll(async () => {
  [media, eleven] = await Promise.all([tempStore(), startFakeElevenLabs({ apiKey: 'xi-widget' })]);
  stack = await startStack({ ...sharedServers(), env: { MEDIA_DIR: media.dir, ELEVENLABS_API_URL: eleven.url, ELEVENLABS_API_KEY: 'xi-widget', OUTBOUND_ALLOWED_PRIVATE: '127.0.0.1' } });
  wav = await readFile(await spokenWav(media.dir, 'I would like to speak to someone about my order'));
});
afterAll(async () => {
  await stack?.close();
  await Promise.all([media?.close(), eleven?.close()]);
});

async function postVoice(token: string | null, parts: { audio?: { bytes: Buffer; type: string }; clientId?: string } = {}) {
  const form = new FormData();
  if (parts.clientId) form.append('clientId', parts.clientId);
  if (parts.audio) form.append('audio', new Blob([new Uint8Array(parts.audio.bytes)], { type: parts.audio.type }), 'recording');
  const res = await fetch(`${stack.url}/v1/widget/voice`, { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {}, body: form });
  return { status: res.status, body: (await res.json()) as any };
}

describe('widget push-to-talk route', () => {
  it('transcribes the recording, runs the turn and answers the reply as text and speech', async () => {
    const { apiKey } = await stack.createTenant();
    const { channelId } = await createWebchatChannel(stack, apiKey, echoFlow);
    const session = await openSession(stack, channelId);
    const answer = await postVoice(session.body.token, { audio: { bytes: wav, type: 'audio/wav' }, clientId: 'voice-turn-0001' });
    expect(answer.status).toBe(200);
    expect(answer.body.transcriptEngine).toBe('pocketsphinx');
    expect(answer.body.transcript).toMatch(/would like to speak/);
    // The echo flow's first turn asks; the next echoes what was said.
    expect(answer.body.replies).toEqual([{ id: expect.any(String), text: 'Ready.' }]);
    const second = await postVoice(session.body.token, { audio: { bytes: wav, type: 'audio/wav' }, clientId: 'voice-turn-0002' });
    expect(second.body.replies.map((r: { text: string }) => r.text)).toEqual([`Echo: ${answer.body.transcript}`, 'Ready.']);
    expect(second.body.audioUrl).not.toBe(answer.body.audioUrl);
    expect(answer.body.speechEngine).toBe('espeak-ng');
    // A signed media URL (a path when the API has no PUBLIC_URL: the widget resolves it against the API).
    const audioUrl = new URL(answer.body.audioUrl, stack.url);
    expect(`${audioUrl.pathname}${audioUrl.search}`).toMatch(/^\/media\/t\/[^/]+\/voice-speech\/[0-9a-f]{64}\.mp3\?expires=\d+&signature=/);
    const audio = await fetch(audioUrl);
    expect(audio.status).toBe(200);
    expect(audio.headers.get('content-type')).toBe('audio/mpeg');
    expect((await audio.arrayBuffer()).byteLength).toBeGreaterThan(1000);

    // The transcript is the visitor's message in the conversation, as a typed one would be.
    const messages = await stack.request('GET', `/v1/conversations/${session.body.conversationId}/messages`, { apiKey });
    const texts = messages.body.messages.map((m: { author: string; text: string }) => `${m.author}: ${m.text}`);
    expect(texts).toContain(`contact: ${answer.body.transcript}`);
    expect(texts).toContain(`bot: Echo: ${answer.body.transcript}`);
  });

  it("speaks the replies in the channel's voice profile, never in another tenant's", async () => {
    const a = await stack.createTenant();
    const b = await stack.createTenant();
    const mine = await stack.request('POST', '/v1/voices', { apiKey: a.apiKey, body: { name: 'Rachel', provider: 'elevenlabs', voiceId: FAKE_VOICES[0].voice_id } });
    const theirs = await stack.request('POST', '/v1/voices', { apiKey: b.apiKey, body: { name: 'Adam', provider: 'elevenlabs', voiceId: FAKE_VOICES[1].voice_id } });
    const own = await createWebchatChannel(stack, a.apiKey, echoFlow, { voiceProfileId: mine.body.id });
    const config = await fetch(`${stack.url}/v1/widget/${own.channelId}/config`).then((r) => r.json());
    expect(config).not.toHaveProperty('voiceProfileId');
    const before = eleven.streamed;
    const spoken = await postVoice((await openSession(stack, own.channelId)).body.token, { audio: { bytes: wav, type: 'audio/wav' } });
    expect(spoken.body.speechEngine).toBe('elevenlabs');
    expect(eleven.streamed - before).toBe(1);
    expect(eleven.requests.at(-1)!.path).toBe(`/v1/text-to-speech/${FAKE_VOICES[0].voice_id}/stream`);

    const other = await createWebchatChannel(stack, a.apiKey, echoFlow, { voiceProfileId: theirs.body.id });
    const offline = await postVoice((await openSession(stack, other.channelId)).body.token, { audio: { bytes: wav, type: 'audio/wav' } });
    expect(offline.body.speechEngine).toBe('espeak-ng');
    expect(eleven.streamed - before).toBe(1);
  });

  it('refuses what it cannot take, naming the field', async () => {
    const { apiKey } = await stack.createTenant();
    const { channelId } = await createWebchatChannel(stack, apiKey, echoFlow);
    const { body } = await openSession(stack, channelId);
    expect(await postVoice(null, { audio: { bytes: wav, type: 'audio/wav' } })).toMatchObject({ status: 401, body: { error: { field: 'authorization' } } });
    const forged = `${body.token.split('.')[0]}.${Buffer.alloc(32).toString('base64url')}`;
    expect(await postVoice(forged, { audio: { bytes: wav, type: 'audio/wav' } })).toMatchObject({ status: 401, body: { error: { field: 'token' } } });
    expect(await postVoice(body.token)).toMatchObject({ status: 400, body: { error: { field: 'audio' } } });
    expect(await postVoice(body.token, { audio: { bytes: Buffer.from('%PDF-1.4 not audio'), type: 'audio/webm' } })).toMatchObject({ status: 415, body: { error: { field: 'audio' } } });
    expect(await postVoice(body.token, { audio: { bytes: Buffer.concat([wav, Buffer.alloc(WIDGET_VOICE_MAX_BYTES)]), type: 'audio/wav' } })).toMatchObject({ status: 413, body: { error: { field: 'audio' } } });
    expect(await postVoice(body.token, { audio: { bytes: wav, type: 'audio/wav' }, clientId: 'bad id!' })).toMatchObject({ status: 400, body: { error: { field: 'clientId' } } });
    // Silence: nothing heard is the visitor's to try again, not a message.
    const silence = Buffer.concat([wav.subarray(0, 44), Buffer.alloc(22050 * 2)]);
    silence.writeUInt32LE(silence.length - 8, 4);
    silence.writeUInt32LE(silence.length - 44, 40);
    expect(await postVoice(body.token, { audio: { bytes: silence, type: 'audio/wav' } })).toMatchObject({ status: 400, body: { error: { field: 'audio' } } });
  });
});
