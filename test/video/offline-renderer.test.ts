/**
 * The offline renderer makes a real video from an avatar image and espeak-ng speech: the size
 * asked for, H.264 + AAC, as long as the speech, not silent, with captions burned in, and it
 * passes the same quality checks as a provider's render.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captionCues, renderOffline, wrapCaption } from '../../video/offline-renderer';
import { probeMedia } from '../../video/probe';
import { checkVideo, expectedSpeechSeconds } from '../../video/quality';
import { makeImage, makeSpeech } from './support';

const SCRIPT = 'Hello! This week our chef presents a special lasagna with fresh basil and tomatoes from the market. Book your table today.';
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'offline-render-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Mean brightness of the caption band in a frame at `t` (white text on a dark box lifts it). */
function captionBandLuma(video: string, t: number): number {
  const raw = execFileSync('ffmpeg', ['-nostdin', '-loglevel', 'error', '-ss', String(t), '-i', video, '-frames:v', '1', '-vf', 'crop=iw:ih/6:0:ih*3/4,scale=64:16,format=gray', '-f', 'rawvideo', '-']);
  return raw.reduce((a, b) => a + b, 0) / raw.length;
}

describe('renderOffline', () => {
  it('renders a portrait video that passes quality control for its script', async () => {
    const image = makeImage(dir, 'avatar.png', 600, 600);
    const speech = makeSpeech(dir, 'speech.wav', SCRIPT);
    const out = join(dir, 'render.mp4');
    await renderOffline({ imagePath: image, audioPath: speech, captions: SCRIPT, width: 360, height: 640, outPath: out });
    const qc = await checkVideo(out, { ...expectedSpeechSeconds(SCRIPT), width: 360, height: 640, requireAudio: true, videoCodecs: ['h264'], audioCodecs: ['aac'] });
    expect(qc.ok, qc.ok ? '' : qc.reason).toBe(true);
    const audio = await probeMedia(speech);
    expect(qc.probe!.durationSec).toBeCloseTo(audio.durationSec, 0);
  });

  it('refuses odd dimensions and a speech file without audio', async () => {
    const image = makeImage(dir, 'a2.png');
    await expect(renderOffline({ imagePath: image, audioPath: image, captions: 'x', width: 360, height: 640, outPath: join(dir, 'x.mp4') })).rejects.toThrow(/no audio/);
    await expect(renderOffline({ imagePath: image, audioPath: image, captions: 'x', width: 361, height: 640, outPath: join(dir, 'x.mp4') })).rejects.toThrow(/even dimensions/);
  });

  it('burns the captions in (the caption band is brighter than without)', async () => {
    // A black avatar: any light in the caption band is the caption.
    const black = join(dir, 'black.png');
    execFileSync('ffmpeg', ['-nostdin', '-loglevel', 'error', '-f', 'lavfi', '-i', 'color=black:size=400x400', '-frames:v', '1', black]);
    const speech = makeSpeech(dir, 's2.wav', 'One two three four five six seven eight nine ten.');
    const withText = join(dir, 'captioned.mp4');
    const without = join(dir, 'blank.mp4');
    await renderOffline({ imagePath: black, audioPath: speech, captions: 'One two three four five six seven eight nine ten.', width: 320, height: 320, outPath: withText });
    await renderOffline({ imagePath: black, audioPath: speech, captions: '', width: 320, height: 320, outPath: without });
    expect(captionBandLuma(withText, 1)).toBeGreaterThan(captionBandLuma(without, 1) + 5);
  });
});

describe('captions', () => {
  it('split the script into timed cues covering the speech', () => {
    const cues = captionCues(SCRIPT, 10);
    expect(cues[0].start).toBe(0);
    expect(cues.at(-1)!.end).toBeCloseTo(10, 2);
    for (let i = 1; i < cues.length; i++) expect(cues[i].start).toBeCloseTo(cues[i - 1].end, 3);
    expect(cues.map((c) => c.text).join(' ')).toBe(SCRIPT);
  });

  it('wrap to the frame width', () => {
    expect(wrapCaption('a special lasagna with fresh basil and', 20)).toBe('a special lasagna\nwith fresh basil and');
    expect(wrapCaption('supercalifragilistic word', 10)).toBe('supercalifragilistic\nword');
  });
});
