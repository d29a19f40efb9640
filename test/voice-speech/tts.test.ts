/**
 * Text to speech (voice/tts.ts) on the offline engine: espeak-ng's audio checked, encoded as 8 kHz
 * μ-law WAV for calls and MP3 for the web, kept under its hash and served from the cache the
 * second time; the result's URL is a signed absolute media URL.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMedia } from '../../video/probe';
import { speechCacheKey, synthesize } from '../../voice/tts';
import { DEFAULT_VOICE } from '../../renders/speech';
import { MEDIA_BASE, tempStore } from './support';

let media: Awaited<ReturnType<typeof tempStore>>;
beforeAll(async () => {
  media = await tempStore();
});
afterAll(() => media?.close());

const tenantId = 'tenant_tts';
const deps = () => ({ store: media.store, elevenlabs: null, urlTtlSeconds: 600 });

async function fileOf(key: string, name: string) {
  const path = join(media.dir, name);
  await media.store.download(key, path);
  return path;
}

describe('espeak-ng speech', () => {
  it('speaks telephony audio as 8 kHz mono μ-law WAV, once', async () => {
    const text = 'Thank you for calling. Press one for sales.';
    const first = await synthesize(deps(), { tenantId, text, voice: null, format: 'telephony' });
    expect(first).toMatchObject({ engine: 'espeak-ng', cached: false, mediaKey: speechCacheKey(tenantId, text, DEFAULT_VOICE, 'telephony') });
    expect(first.mediaKey).toMatch(/^t\/tenant_tts\/voice-speech\/[0-9a-f]{64}\.wav$/);
    expect(first.url!.startsWith(`${MEDIA_BASE}/t/tenant_tts/voice-speech/`)).toBe(true);
    expect(first.url).toMatch(/\?expires=\d+&signature=/);
    const probe = await probeMedia(await fileOf(first.mediaKey!, 'a.wav'));
    expect(probe.audioCodec).toBe('pcm_mulaw');
    expect(probe.durationSec).toBeGreaterThan(1.5);
    expect(Math.abs(probe.durationSec * 1000 - first.durationMs!)).toBeLessThan(100);
    const header = await media.store.head(first.mediaKey!);
    expect(header?.contentType).toBe('audio/wav');

    const again = await synthesize(deps(), { tenantId, text, voice: null, format: 'telephony' });
    expect(again).toMatchObject({ engine: 'espeak-ng', cached: true, mediaKey: first.mediaKey, durationMs: first.durationMs });
  });

  it('keeps web and telephony audio, voices and settings apart', async () => {
    const text = 'Your table is booked.';
    const web = await synthesize(deps(), { tenantId, text, voice: null, format: 'web' });
    expect(web.mediaKey).toMatch(/\.mp3$/);
    const probe = await probeMedia(await fileOf(web.mediaKey!, 'b.mp3'));
    expect(probe.audioCodec).toBe('mp3');
    const phone = await synthesize(deps(), { tenantId, text, voice: null, format: 'telephony' });
    const faster = await synthesize(deps(), { tenantId, text, voice: { ...DEFAULT_VOICE, settings: { speed: 1.2 } }, format: 'telephony' });
    const british = await synthesize(deps(), { tenantId, text, voice: { ...DEFAULT_VOICE, voiceId: 'en-gb' }, format: 'telephony' });
    expect(new Set([web.mediaKey, phone.mediaKey, faster.mediaKey, british.mediaKey]).size).toBe(4);
    expect([phone, faster, british].every((r) => r.cached === false && r.engine === 'espeak-ng')).toBe(true);
    expect(faster.durationMs!).toBeLessThan(phone.durationMs!);
  });

  it('answers twilio-say when no engine can speak, and a torn cache entry is spoken again', async () => {
    // An espeak voice name espeak-ng refuses: the only engine fails, <Say> remains.
    const reasons: string[] = [];
    const none = await synthesize({ ...deps(), onFallback: (engine, reason) => reasons.push(`${engine}: ${reason}`) }, { tenantId, text: 'Hello.', voice: { ...DEFAULT_VOICE, voiceId: 'not a voice!' }, format: 'telephony' });
    expect(none).toEqual({ url: null, mediaKey: null, engine: 'twilio-say', cached: false, durationMs: null });
    expect(reasons.join()).toMatch(/espeak-ng: not an espeak-ng voice/);

    const text = 'A torn entry.';
    const key = speechCacheKey(tenantId, text, DEFAULT_VOICE, 'telephony');
    await media.store.put(`${key}.json`, Buffer.from('{"engine":'), 'application/json');
    const spoken = await synthesize(deps(), { tenantId, text, voice: null, format: 'telephony' });
    expect(spoken).toMatchObject({ cached: false, engine: 'espeak-ng', mediaKey: key });
  });
});
