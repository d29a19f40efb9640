/**
 * Thumbnails with the real ffmpeg: a 1280×720 clip and an 800×600 PNG become JPEGs whose longer
 * side is 320 px, a small image is not enlarged, a clip shorter than the 1 s seek still gets its
 * first frame, and garbage, an HLS playlist posing as a video, and unsupported types get none.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeThumbnail } from '../../channels/thumbnails';

const dir = mkdtempSync(join(tmpdir(), 'thumb-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A test-pattern file from ffmpeg's own generator. */
function testMedia(name: string, size: string, output: string[]): Buffer {
  const file = join(dir, name);
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=size=${size}:rate=25`, ...output, file]);
  return readFileSync(file);
}

/** Width and height of a JPEG, read back with ffprobe. */
function dimensions(jpeg: Buffer): [number, number] {
  const file = join(dir, `probe-${Math.random()}.jpg`);
  writeFileSync(file, jpeg);
  const out = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', file]).toString().trim();
  const [w, h] = out.split(',').map(Number);
  return [w, h];
}

const isJpeg = (b: Buffer | null) => !!b && b[0] === 0xff && b[1] === 0xd8;

describe('makeThumbnail', () => {
  it('takes a frame of a video and scales it to 320 px', async () => {
    const clip = testMedia('clip.mp4', '1280x720', ['-t', '2', '-pix_fmt', 'yuv420p']);
    const thumb = await makeThumbnail(clip, 'video/mp4');
    expect(isJpeg(thumb)).toBe(true);
    expect(dimensions(thumb!)).toEqual([320, 180]);
  });

  it('scales an image, and leaves a small one at its size', async () => {
    const png = testMedia('img.png', '800x600', ['-frames:v', '1']);
    expect(dimensions((await makeThumbnail(png, 'image/png'))!)).toEqual([320, 240]);
    const small = testMedia('small.jpg', '200x100', ['-frames:v', '1']);
    expect(dimensions((await makeThumbnail(small, 'image/jpeg'))!)).toEqual([200, 100]);
  });

  it('a clip shorter than a second gets its first frame', async () => {
    const short = testMedia('short.mp4', '640x480', ['-t', '0.4', '-pix_fmt', 'yuv420p']);
    expect(dimensions((await makeThumbnail(short, 'video/mp4'))!)).toEqual([320, 240]);
  });

  it('no thumbnail for a corrupt file, a playlist posing as a video, an unsupported type or a run past its time', async () => {
    expect(await makeThumbnail(Buffer.from('not an image at all'), 'image/png')).toBeNull();
    const playlist = Buffer.from(`#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10.0,\n${join(dir, 'clip.mp4')}\n#EXT-X-ENDLIST\n`);
    expect(await makeThumbnail(playlist, 'video/mp4')).toBeNull();
    expect(await makeThumbnail(Buffer.from('%PDF-1.4'), 'application/pdf')).toBeNull();
    expect(await makeThumbnail(Buffer.from('<svg/>'), 'image/svg+xml')).toBeNull();
    const clip = readFileSync(join(dir, 'clip.mp4'));
    expect(await makeThumbnail(clip, 'video/mp4', { timeoutMs: 1 })).toBeNull();
    expect(await makeThumbnail(clip, 'video/mp4', { ffmpegPath: join(dir, 'no-such-ffmpeg') })).toBeNull();
  });
});
