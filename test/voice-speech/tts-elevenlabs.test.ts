/**
 * Text to speech through ElevenLabs' streaming endpoint (the SDK against the fake speaking its
 * HTTP API): the cache, retries of 429 / 500 / a stream cut short, and the automatic fallback to
 * espeak-ng when ElevenLabs keeps failing, refuses the key, or answers audio that fails the
 * quality check (empty, not audio).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SpeechEndpoint } from '../../renders/endpoints';
import type { SpeechVoice } from '../../renders/speech';
import { probeMedia } from '../../video/probe';
import { synthesize, type TtsDeps } from '../../voice/tts';
import { FAKE_VOICES, startFakeElevenLabs, type FakeElevenLabs } from '../fakes/elevenlabs-server';
import { tempStore } from './support';

let eleven: FakeElevenLabs;
let media: Awaited<ReturnType<typeof tempStore>>;
let endpoint: SpeechEndpoint;
const tenantId = 'tenant_eleven';
const voice: SpeechVoice = { provider: 'elevenlabs', voiceId: FAKE_VOICES[0].voice_id, modelId: 'eleven_flash_v2_5', settings: { stability: 0.5, similarityBoost: 0.75 } };
let fallbacks: string[] = [];
let n = 0;
/** A new sentence each time, so no test reads another's cache. */
const sentence = () => `Welcome to the bistro, option ${++n}. How can I help you today?`;

beforeAll(async () => {
  [eleven, media] = await Promise.all([startFakeElevenLabs({ apiKey: 'xi-voice' }), tempStore()]);
  endpoint = { baseURL: eleven.url, apiKey: 'xi-voice', modelId: 'eleven_multilingual_v2', policy: { allowedPrivate: ['127.0.0.1'] } };
});
afterAll(async () => {
  await Promise.all([eleven?.close(), media?.close()]);
});
beforeEach(() => {
  fallbacks = [];
});

const deps = (over: Partial<TtsDeps> = {}): TtsDeps => ({
  store: media.store,
  elevenlabs: endpoint,
  urlTtlSeconds: 600,
  retryDelayMs: 5,
  onFallback: (engine, reason) => fallbacks.push(`${engine}: ${reason}`),
  ...over,
});
const ttsRequests = () => eleven.requests.filter((r) => r.path.startsWith('/v1/text-to-speech/'));

describe('ElevenLabs speech', () => {
  it('streams the synthesis, encodes it for the phone, and never synthesizes the same prompt twice', async () => {
    const text = sentence();
    const before = { syntheses: eleven.syntheses, streamed: eleven.streamed };
    const first = await synthesize(deps(), { tenantId, text, voice, format: 'telephony' });
    expect(first).toMatchObject({ engine: 'elevenlabs', cached: false });
    expect(eleven.streamed - before.streamed).toBe(1);
    const request = ttsRequests().at(-1)!;
    expect(request.path).toBe(`/v1/text-to-speech/${voice.voiceId}/stream`);
    expect(request.apiKey).toBe('xi-voice');
    expect(request.query.output_format).toBe('mp3_44100_128');
    expect(request.body).toMatchObject({ text, model_id: 'eleven_flash_v2_5', voice_settings: { stability: 0.5, similarity_boost: 0.75 } });
    const path = join(media.dir, 'eleven.wav');
    await media.store.download(first.mediaKey!, path);
    const probe = await probeMedia(path);
    expect(probe.audioCodec).toBe('pcm_mulaw');
    expect(probe.durationSec).toBeGreaterThan(2);

    const again = await synthesize(deps(), { tenantId, text, voice, format: 'telephony' });
    expect(again).toMatchObject({ engine: 'elevenlabs', cached: true, mediaKey: first.mediaKey, durationMs: first.durationMs });
    expect(eleven.syntheses - before.syntheses).toBe(1);

    // The web format is another file, another synthesis; the model falls back to the account's.
    const web = await synthesize(deps(), { tenantId, text, voice: { ...voice, modelId: null }, format: 'web' });
    expect(web).toMatchObject({ engine: 'elevenlabs', cached: false });
    expect(web.mediaKey).toMatch(/\.mp3$/);
    expect(ttsRequests().at(-1)!.body.model_id).toBe('eleven_multilingual_v2');
  });

  it('retries a 429 and a 500, then speaks with ElevenLabs', async () => {
    const count = ttsRequests().length;
    eleven.failNext(429);
    eleven.failNext(500);
    const result = await synthesize(deps(), { tenantId, text: sentence(), voice, format: 'telephony' });
    expect(result).toMatchObject({ engine: 'elevenlabs', cached: false });
    expect(ttsRequests().length - count).toBe(3);
    expect(fallbacks).toEqual([]);
  });

  it('retries a stream that breaks off mid-way', async () => {
    const count = ttsRequests().length;
    eleven.answerNext('drop');
    const result = await synthesize(deps(), { tenantId, text: sentence(), voice, format: 'telephony' });
    expect(result.engine).toBe('elevenlabs');
    expect(ttsRequests().length - count).toBe(2);
  });

  it('falls back to espeak-ng when ElevenLabs keeps failing, and tries ElevenLabs again for the next prompt', async () => {
    const count = ttsRequests().length;
    eleven.failNext(500);
    eleven.failNext(500);
    eleven.failNext(500);
    const text = sentence();
    const result = await synthesize(deps(), { tenantId, text, voice, format: 'telephony' });
    expect(result).toMatchObject({ engine: 'espeak-ng', cached: false });
    expect(ttsRequests().length - count).toBe(3);
    expect(fallbacks).toEqual([expect.stringMatching(/^elevenlabs: ElevenLabs answered HTTP 500/)]);
    // ElevenLabs is back: the same prompt is spoken by it now (the espeak file was not its cache).
    const recovered = await synthesize(deps(), { tenantId, text, voice, format: 'telephony' });
    expect(recovered).toMatchObject({ engine: 'elevenlabs', cached: false });
    expect(recovered.mediaKey).not.toBe(result.mediaKey);
  });

  it('does not retry a refused key: espeak-ng speaks at once', async () => {
    const count = ttsRequests().length;
    const result = await synthesize(deps({ elevenlabs: { ...endpoint, apiKey: 'xi-wrong' } }), { tenantId, text: sentence(), voice, format: 'telephony' });
    expect(result.engine).toBe('espeak-ng');
    expect(ttsRequests().length - count).toBe(1);
    expect(fallbacks[0]).toMatch(/HTTP 401: Invalid API key/);
  });

  it.each([
    ['empty', /not decodable audio: the file is empty/],
    ['not-audio', /not decodable audio/],
  ] as const)('falls back when ElevenLabs answers %s audio (the quality check)', async (kind, reason) => {
    eleven.answerNext(kind);
    const result = await synthesize(deps(), { tenantId, text: sentence(), voice, format: 'web' });
    expect(result).toMatchObject({ engine: 'espeak-ng', cached: false });
    expect(fallbacks).toHaveLength(1);
    expect(fallbacks[0]).toMatch(/^elevenlabs: elevenlabs audio failed the quality check/);
    expect(fallbacks[0]).toMatch(reason);
  });

  it('speaks an ElevenLabs voice with espeak-ng when no account is set', async () => {
    const count = ttsRequests().length;
    const result = await synthesize(deps({ elevenlabs: null }), { tenantId, text: sentence(), voice, format: 'telephony' });
    expect(result.engine).toBe('espeak-ng');
    expect(ttsRequests().length).toBe(count);
    expect(fallbacks[0]).toMatch(/no ElevenLabs key is set/);
  });
});
