/**
 * Small JPEG previews of inbound images and videos, made with `ffmpeg` (a Debian package, run as a
 * child process with an argument array, never through a shell). A file ffmpeg cannot read, an
 * unsupported type, a missing binary or a run past its time limit gives no thumbnail: the file
 * itself stays stored either way, so every failure here answers `null`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTool, SAFE_INPUT_ARGS } from '../video/ffmpeg';

/** The longer side of a thumbnail, in pixels (smaller images are not enlarged). */
export const THUMBNAIL_MAX_PX = 320;
export const THUMBNAIL_CONTENT_TYPE = 'image/jpeg';
const DEFAULT_TIMEOUT_MS = 15_000;
/** A 320-px JPEG is a few dozen kB; anything near this is not a thumbnail. */
const MAX_OUTPUT_BYTES = 2 * 1024 * 1024;
/** Video frames are taken at ~1 s (past a black first frame), or at the start of a shorter clip. */
const VIDEO_SEEK_SECONDS = ['1', '0'];

export const thumbnailable = (contentType: string | undefined): boolean => !!contentType && /^(image|video)\//i.test(contentType) && !/svg/i.test(contentType);

export interface ThumbnailOptions {
  /** How long ffmpeg may run, in total for the file. */
  timeoutMs?: number;
  ffmpegPath?: string;
}

/** The JPEG thumbnail of an image or video, or null when none can be made. */
export async function makeThumbnail(data: Buffer, contentType: string | undefined, opts: ThumbnailOptions = {}): Promise<Buffer | null> {
  if (!thumbnailable(contentType) || data.length === 0) return null;
  const deadline = Date.now() + (opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  // Video containers need seeking (an MP4 index may sit at the end), so the input is a file, not stdin.
  const dir = await mkdtemp(join(tmpdir(), 'thumb-'));
  try {
    const input = join(dir, 'input');
    await writeFile(input, data);
    const seeks = /^video\//i.test(contentType!) ? VIDEO_SEEK_SECONDS : [null];
    for (const seek of seeks) {
      const left = deadline - Date.now();
      if (left <= 0) return null;
      const jpeg = await runFfmpeg(opts.ffmpegPath ?? 'ffmpeg', frameArgs(input, seek), left);
      if (jpeg?.length) return jpeg;
    }
    return null;
  } finally {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

function frameArgs(input: string, seek: string | null): string[] {
  const scale = `scale=w='min(${THUMBNAIL_MAX_PX},iw)':h='min(${THUMBNAIL_MAX_PX},ih)':force_original_aspect_ratio=decrease`;
  return [
    ...SAFE_INPUT_ARGS,
    ...(seek ? ['-ss', seek] : []),
    // One thread each way: a preview is small, and the worker's other activities share the cores.
    '-threads', '1', '-i', input, '-threads', '1', '-filter_threads', '1',
    '-map', '0:v:0', '-frames:v', '1', '-vf', scale, '-q:v', '5',
    '-f', 'image2pipe', '-c:v', 'mjpeg', 'pipe:1',
  ];
}

async function runFfmpeg(bin: string, args: string[], timeoutMs: number): Promise<Buffer | null> {
  const run = await runTool(bin, args, { timeoutMs, maxOutputBytes: MAX_OUTPUT_BYTES });
  return run.ok ? run.stdout : null;
}
