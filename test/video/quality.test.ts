/**
 * Probing and quality control on videos made with ffmpeg here: a good one passes; a silent one,
 * one without audio, an empty file, a corrupt one, a wrong resolution or codec, and a duration
 * outside the script's speech time each fail with a reason a user can read.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMedia } from '../../video/probe';
import { checkVideo, expectedSpeechSeconds, SILENCE_DB } from '../../video/quality';
import { makeClip } from './support';

let dir: string;
let good: string;
let silent: string;
let mute: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'video-qc-'));
  good = makeClip(dir, 'good.mp4', { seconds: 4, width: 320, height: 240 });
  silent = makeClip(dir, 'silent.mp4', { seconds: 4, audio: 'silence' });
  mute = makeClip(dir, 'mute.mp4', { seconds: 4, audio: 'none' });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const expect4s = { minSec: 3, maxSec: 6, width: 320, height: 240, requireAudio: true };

describe('probeMedia', () => {
  it('reads duration, picture, codecs, size and loudness', async () => {
    const p = await probeMedia(good);
    expect(p.durationSec).toBeCloseTo(4, 0);
    expect(p).toMatchObject({ width: 320, height: 240, videoCodec: 'h264', audioCodec: 'aac' });
    expect(p.byteSize).toBeGreaterThan(1000);
    // A full-scale sine's mean is about -21 dBFS at ffmpeg's default amplitude.
    expect(p.meanVolumeDb).toBeGreaterThan(-30);
    expect((await probeMedia(silent)).meanVolumeDb).toBeLessThan(SILENCE_DB);
    expect((await probeMedia(mute)).meanVolumeDb).toBeNull();
  });

  it('throws on an empty or unreadable file', async () => {
    await writeFile(join(dir, 'empty.mp4'), '');
    await expect(probeMedia(join(dir, 'empty.mp4'))).rejects.toThrow(/empty/);
    await writeFile(join(dir, 'junk.mp4'), Buffer.alloc(4096, 7));
    await expect(probeMedia(join(dir, 'junk.mp4'))).rejects.toThrow(/ffprobe failed/);
  });
});

describe('checkVideo', () => {
  it('passes a good video', async () => {
    const r = await checkVideo(good, { ...expect4s, videoCodecs: ['h264'], audioCodecs: ['aac'] });
    expect(r.ok).toBe(true);
  });

  it.each([
    ['silent audio', () => silent, { ...expect4s, width: undefined, height: undefined }, /audio is silent/],
    ['no audio', () => mute, { ...expect4s, width: undefined, height: undefined }, /no audio/],
    ['wrong resolution', () => good, { ...expect4s, width: 1280, height: 720 }, /320x240, not the requested 1280x720/],
    ['wrong codec', () => good, { ...expect4s, videoCodecs: ['vp9'] }, /codec is h264, not vp9/],
    ['too short for the script', () => good, { ...expect4s, minSec: 10, maxSec: 20 }, /less than the 10 s/],
    ['too long for the script', () => good, { ...expect4s, minSec: 1, maxSec: 2 }, /more than the 2 s/],
  ])('fails %s', async (_name, file, expectation, reason) => {
    const r = await checkVideo(file(), expectation);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('fails an empty, a missing, a corrupt and a truncated output', async () => {
    await writeFile(join(dir, 'zero.mp4'), '');
    await writeFile(join(dir, 'corrupt.mp4'), Buffer.from('this is not a video at all'.repeat(100)));
    // The first 2 kB of a real MP4: a header and no frames.
    await writeFile(join(dir, 'truncated.mp4'), readFileSync(good).subarray(0, 2048));
    for (const [file, reason] of [['zero.mp4', /empty/], ['none.mp4', /no output file/], ['corrupt.mp4', /not a readable video/], ['truncated.mp4', /not a readable video|no video|no duration/]] as const) {
      const r = await checkVideo(join(dir, file), expect4s);
      expect(r.ok, file).toBe(false);
      if (!r.ok) expect(r.reason, file).toMatch(reason);
    }
  });

  it('does not ask for audio when told not to', async () => {
    expect((await checkVideo(mute, { ...expect4s, requireAudio: false })).ok).toBe(true);
  });
});

describe('expectedSpeechSeconds', () => {
  it('bounds a script between a brisk and a slow speaker with pauses', () => {
    const words = Array.from({ length: 50 }, () => 'word').join(' ');
    // 50 words: 13.6 s at 220 wpm, 30 s at 100 wpm + 3 s.
    expect(expectedSpeechSeconds(words)).toEqual({ minSec: 13.64, maxSec: 33 });
    expect(expectedSpeechSeconds('Hi')).toEqual({ minSec: 0.5, maxSec: 3.6 });
  });
});
