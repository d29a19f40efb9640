/** The speech quality check (voice/audio.ts) on real files: speech passes; silence, a wrong length, no audio fail with the reason. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runToolOrThrow } from '../../video/ffmpeg';
import { checkSpeechAudio, convertAudio, plausibleSeconds } from '../../voice/audio';
import { probeMedia } from '../../video/probe';
import { spokenWav, tempStore } from './support';

let media: Awaited<ReturnType<typeof tempStore>>;
beforeAll(async () => {
  media = await tempStore();
});
afterAll(() => media?.close());

async function lavfi(name: string, source: string, seconds: number) {
  const path = join(media.dir, name);
  await runToolOrThrow('ffmpeg', ['-nostdin', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `${source}:duration=${seconds}:sample_rate=16000`, '-c:a', 'libmp3lame', path], { timeoutMs: 30_000 });
  return path;
}

describe('speech quality check', () => {
  const text = 'Thanks for calling, we open at nine tomorrow.';

  it('passes spoken text with its duration', async () => {
    const check = await checkSpeechAudio(await spokenWav(media.dir, text), text);
    expect(check.ok).toBe(true);
    if (check.ok) expect(check.durationMs).toBeGreaterThan(2000);
  });

  it('fails silence, audio far too long or too short for the words, and files that are not audio', async () => {
    expect(await checkSpeechAudio(await lavfi('silence.mp3', 'anullsrc=channel_layout=mono', 3), text)).toEqual({ ok: false, reason: 'the audio is silent' });
    expect(await checkSpeechAudio(await lavfi('long.mp3', 'sine=frequency=300', 40), text)).toMatchObject({ ok: false, reason: expect.stringMatching(/^duration 40\.\d+ s is not plausible/) });
    expect(await checkSpeechAudio(await lavfi('short.mp3', 'sine=frequency=300', 0.3), 'one two three four five six seven eight nine ten eleven twelve')).toMatchObject({ ok: false, reason: expect.stringMatching(/not plausible/) });
    const text2 = join(media.dir, 'page.mp3');
    await writeFile(text2, '<html>busy</html>');
    expect(await checkSpeechAudio(text2, text)).toMatchObject({ ok: false, reason: expect.stringMatching(/^not decodable audio/) });
  });

  it('encodes for the phone, the web and Opus', async () => {
    const spoken = await spokenWav(media.dir, text, 'enc.wav');
    const codecs: string[] = [];
    for (const [target, file] of [['telephony', 'enc-phone.wav'], ['web', 'enc-web.mp3'], ['opus', 'enc-web.ogg']] as const) {
      const out = join(media.dir, file);
      await convertAudio(spoken, out, target);
      const probe = await probeMedia(out);
      expect(probe.durationSec).toBeGreaterThan(2);
      codecs.push(probe.audioCodec!);
    }
    expect(codecs).toEqual(['pcm_mulaw', 'mp3', 'opus']);
  });

  it('allows numbers their spoken length', () => {
    const { min, max } = plausibleSeconds('Call 5551234567 or 5559876543');
    expect(min).toBeLessThan(1);
    expect(max).toBeGreaterThan(9);
  });
});
