/**
 * The speech activities with real dependencies (PostgreSQL, the local media store): the voice
 * profile read when the activity runs (another tenant's profile is not found: espeak-ng speaks),
 * the signed absolute URL under PUBLIC_URL, the operator's ElevenLabs account, and transcription
 * through the tenant's OpenAI-compatible provider or PocketSphinx, scoped to the tenant's keys.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchboardActivities } from '../../activities/types';
import { VoiceProfile } from '../../db/entities';
import { tenantEm } from '../../db/orm';
import { createSecretBox } from '../../db/secrets';
import { mediaStoreFromConfig } from '../../media/store';
import { activitiesFor, testDeps, type TestDeps } from '../activities/support';
import { makeTenant, TEST_SECRET_KEY } from '../db/fixtures';
import { FAKE_VOICES, startFakeElevenLabs, type FakeElevenLabs } from '../fakes/elevenlabs-server';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server';
import { spokenWav } from './support';

let deps: TestDeps;
let acts: SwitchboardActivities;
let eleven: FakeElevenLabs;
let openai: FakeOpenAI;
let dir: string;
const box = createSecretBox({ v1: TEST_SECRET_KEY });

beforeAll(async () => {
  [eleven, openai, dir] = await Promise.all([startFakeElevenLabs({ apiKey: 'xi-op' }), startFakeOpenAI({ apiKeys: ['sk-t'] }), mkdtemp(join(tmpdir(), 'speech-acts-'))]);
  deps = await testDeps({ MEDIA_DIR: join(dir, 'media'), PUBLIC_URL: 'https://calls.example.com', ELEVENLABS_API_URL: eleven.url, ELEVENLABS_API_KEY: 'xi-op', OUTBOUND_ALLOWED_PRIVATE: '127.0.0.1' });
  acts = activitiesFor(deps);
});
afterAll(async () => {
  await deps?.close();
  await Promise.all([eleven?.close(), openai?.close()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function profile(tenantId: string, data: Partial<VoiceProfile>) {
  const em = tenantEm(deps.orm, tenantId);
  const row = em.create(VoiceProfile, { tenant: tenantId, name: 'Voice', provider: 'espeak', voiceId: 'en-us', modelId: null, settings: {}, ...data } as VoiceProfile);
  await em.flush();
  return row.id;
}

describe('synthesizeSpeech', () => {
  it("speaks in the tenant's ElevenLabs voice profile through the operator's account, with a signed absolute URL", async () => {
    const t = await makeTenant(deps.orm);
    const voiceProfileId = await profile(t.tenantId, { provider: 'elevenlabs', voiceId: FAKE_VOICES[1].voice_id, settings: { stability: 0.3 } });
    const result = await acts.synthesizeSpeech({ tenantId: t.tenantId, text: '  Press one for reservations.  ', voiceProfileId, format: 'telephony' });
    expect(result).toMatchObject({ engine: 'elevenlabs', cached: false });
    expect(result.url!.startsWith(`https://calls.example.com/media/t/${t.tenantId}/voice-speech/`)).toBe(true);
    expect(eleven.requests.at(-1)).toMatchObject({ path: `/v1/text-to-speech/${FAKE_VOICES[1].voice_id}/stream`, apiKey: 'xi-op', body: { text: 'Press one for reservations.', model_id: 'eleven_multilingual_v2' } });
    const again = await acts.synthesizeSpeech({ tenantId: t.tenantId, text: 'Press one for reservations.', voiceProfileId, format: 'telephony' });
    expect(again).toMatchObject({ engine: 'elevenlabs', cached: true, mediaKey: result.mediaKey });
  });

  it("does not speak in another tenant's voice profile, and refuses empty text naming the field", async () => {
    const [a, b] = await Promise.all([makeTenant(deps.orm), makeTenant(deps.orm)]);
    const theirs = await profile(b.tenantId, { provider: 'elevenlabs', voiceId: FAKE_VOICES[0].voice_id });
    const before = eleven.requests.length;
    const result = await acts.synthesizeSpeech({ tenantId: a.tenantId, text: 'Hello.', voiceProfileId: theirs, format: 'web' });
    expect(result.engine).toBe('espeak-ng');
    expect(result.mediaKey!.startsWith(`t/${a.tenantId}/`)).toBe(true);
    expect(eleven.requests.length).toBe(before);
    await expect(acts.synthesizeSpeech({ tenantId: a.tenantId, text: '   ', format: 'web' })).rejects.toMatchObject({ type: 'bad_request', nonRetryable: true, details: ['text'] });
  });
});

describe('transcribeAudio', () => {
  it("transcribes a stored recording through the tenant's provider, else PocketSphinx; another tenant's key is not found", async () => {
    const withLlm = await makeTenant(deps.orm, { llm: { baseURL: `${openai.url}/v1`, model: 'gpt-test', apiKeyEncrypted: box.encrypt('sk-t') } });
    const offline = await makeTenant(deps.orm);
    const store = mediaStoreFromConfig(deps.config);
    const audio = await readFile(await spokenWav(dir, 'I would like to speak to someone about my order'));
    const key = (tenantId: string) => `t/${tenantId}/recordings/RE123.wav`;
    await Promise.all([store.put(key(withLlm.tenantId), audio, 'audio/wav'), store.put(key(offline.tenantId), audio, 'audio/wav')]);

    openai.enqueueTranscription({ text: 'I would like to speak to someone about my order.' });
    expect(await acts.transcribeAudio({ tenantId: withLlm.tenantId, mediaKey: key(withLlm.tenantId), language: 'en-GB' })).toEqual({ text: 'I would like to speak to someone about my order.', engine: 'openai', confidence: null });
    expect(openai.transcriptions.at(-1)).toMatchObject({ model: 'whisper-1', fileName: 'RE123.wav', language: 'en' });

    const local = await acts.transcribeAudio({ tenantId: offline.tenantId, mediaKey: key(offline.tenantId) });
    expect(local.engine).toBe('pocketsphinx');
    expect(local.text).toMatch(/would like to speak/);

    await expect(acts.transcribeAudio({ tenantId: offline.tenantId, mediaKey: key(withLlm.tenantId) })).rejects.toMatchObject({ type: 'not_found', nonRetryable: true, details: ['mediaKey'] });
    await expect(acts.transcribeAudio({ tenantId: offline.tenantId, mediaKey: `t/${offline.tenantId}/recordings/none.wav` })).rejects.toMatchObject({ type: 'not_found' });
    await expect(acts.transcribeAudio({ tenantId: offline.tenantId, mediaKey: '../../etc/passwd' })).rejects.toMatchObject({ type: 'not_found' });
  });
});
