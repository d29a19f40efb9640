/**
 * The delivery formats made from one video: MP4 with its index before the data (faststart),
 * the size cap honoured by re-encoding, VP9/Opus WebM, a poster, a 5×5 sprite and, above the
 * length threshold, a valid HLS playlist whose segments add up to the video.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeMp4, makeOutputs, SPRITE, type VideoOutputs } from '../../video/outputs';
import { probeMedia } from '../../video/probe';
import { checkVideo } from '../../video/quality';
import { jpegSize, makeClip, mp4Boxes } from './support';

let dir: string;
let source: string;
let outputs: VideoOutputs;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'video-out-'));
  source = makeClip(dir, 'source.mp4', { seconds: 8, width: 480, height: 270 });
  outputs = await makeOutputs(source, join(dir, 'out'), { hlsAboveSec: 5 });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('makeOutputs', () => {
  it('makes an H.264/AAC MP4 with the moov box before mdat (faststart) that passes QC', async () => {
    const boxes = mp4Boxes(readFileSync(outputs.mp4));
    expect(boxes.indexOf('moov')).toBeGreaterThan(-1);
    expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'));
    const qc = await checkVideo(outputs.mp4, { minSec: 7.5, maxSec: 8.5, width: 480, height: 270, requireAudio: true, videoCodecs: ['h264'], audioCodecs: ['aac'] });
    expect(qc.ok).toBe(true);
  });

  it('makes a VP9/Opus WebM of the same length', async () => {
    const p = await probeMedia(outputs.webm);
    expect(p).toMatchObject({ videoCodec: 'vp9', audioCodec: 'opus', width: 480, height: 270 });
    expect(p.durationSec).toBeCloseTo(8, 0);
  });

  it('makes a poster JPEG at the video size and a 5x5 sprite of 160-px tiles', () => {
    expect(jpegSize(readFileSync(outputs.poster))).toEqual([480, 270]);
    // 160 × 90 tiles (270/480 × 160), five across and five down.
    expect(jpegSize(readFileSync(outputs.sprite))).toEqual([SPRITE.columns * SPRITE.tileWidth, SPRITE.rows * 90]);
  });

  it('makes an HLS VOD playlist above the threshold whose segments exist and cover the video', () => {
    expect(outputs.hls).not.toBeNull();
    const playlist = readFileSync(outputs.hls!.playlist, 'utf8');
    const lines = playlist.trim().split('\n');
    expect(lines[0]).toBe('#EXTM3U');
    expect(playlist).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(lines.at(-1)).toBe('#EXT-X-ENDLIST');
    const target = Number(/#EXT-X-TARGETDURATION:(\d+)/.exec(playlist)![1]);
    const durations = [...playlist.matchAll(/#EXTINF:([\d.]+),/g)].map((m) => Number(m[1]));
    expect(durations.every((d) => d <= target + 0.5)).toBe(true);
    expect(durations.reduce((a, b) => a + b, 0)).toBeCloseTo(8, 0);
    const named = lines.filter((l) => l && !l.startsWith('#'));
    expect(named.length).toBe(outputs.hls!.files.length);
    for (const segment of named) expect(existsSync(join(dir, 'out/hls', segment))).toBe(true);
  });

  it('makes no HLS for a video under the threshold', async () => {
    const short = await makeOutputs(makeClip(dir, 'short.mp4', { seconds: 2 }), join(dir, 'short'), { hlsAboveSec: 5 });
    expect(short.hls).toBeNull();
  });
});

describe('the delivery MP4', () => {
  it('rewraps a source that is already H.264 4:2:0 + AAC, and encodes any other', async () => {
    const copied = await encodeMp4(source, join(dir, 'copied.mp4'), { durationSec: 8, hasAudio: true, copy: true });
    expect(copied).toMatchObject({ copied: true, attempts: 1 });
    expect(mp4Boxes(readFileSync(join(dir, 'copied.mp4'))).indexOf('moov')).toBeLessThan(mp4Boxes(readFileSync(join(dir, 'copied.mp4'))).indexOf('mdat'));
    // A 4:4:4 source (what a PNG sequence or a screen capture gives) is not for phones: encoded to 4:2:0.
    const full = join(dir, 'yuv444.mkv');
    execFileSync('ffmpeg', ['-nostdin', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25', '-f', 'lavfi', '-i', 'sine', '-t', '2', '-c:v', 'libx264', '-pix_fmt', 'yuv444p', '-c:a', 'aac', full]);
    const out = await makeOutputs(full, join(dir, 'from444'), { hlsAboveSec: 60 });
    expect(await probeMedia(out.mp4)).toMatchObject({ videoCodec: 'h264', pixelFormat: 'yuv420p', audioCodec: 'aac' });
  });
});

describe('the MP4 size cap', () => {
  it('encodes a rewrapped source that is over the cap', async () => {
    const noisy = makeClip(dir, 'noisy-copy.mp4', { seconds: 3, width: 640, height: 360, noise: true });
    const result = await encodeMp4(noisy, join(dir, 'capped-copy.mp4'), { durationSec: 3, maxBytes: 300 * 1024, hasAudio: true, copy: true });
    expect(result.copied).toBe(false);
    expect(result.bytes).toBeLessThanOrEqual(300 * 1024);
  });

  it('re-encodes a video over the cap at a lower bitrate until it fits', async () => {
    // Noise does not compress: at CRF 23 this is several times the cap.
    const noisy = makeClip(dir, 'noisy.mp4', { seconds: 4, width: 640, height: 360, noise: true });
    const cap = 400 * 1024;
    const out = join(dir, 'capped.mp4');
    const result = await encodeMp4(noisy, out, { durationSec: 4, maxBytes: cap, hasAudio: true });
    expect(result.attempts).toBeGreaterThan(1);
    expect(result.bytes).toBeLessThanOrEqual(cap);
    expect((await stat(out)).size).toBe(result.bytes);
    expect((await checkVideo(out, { minSec: 3.5, maxSec: 4.5, width: 640, height: 360, requireAudio: true })).ok).toBe(true);
    expect(mp4Boxes(readFileSync(out)).indexOf('moov')).toBeLessThan(mp4Boxes(readFileSync(out)).indexOf('mdat'));
  });

  it('says so when a video cannot fit at any sensible bitrate', async () => {
    const long = makeClip(dir, 'long.mp4', { seconds: 3, noise: true });
    await expect(encodeMp4(long, join(dir, 'nofit.mp4'), { durationSec: 3, maxBytes: 20 * 1024, hasAudio: true })).rejects.toThrow(/too long for this channel/);
  });
});
