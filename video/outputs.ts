/**
 * The formats a finished video is delivered in, made with ffmpeg from one source file:
 * - `video.mp4`: H.264 (main profile, yuv420p) + AAC with `+faststart` (the index first, so a
 *   player starts before the download ends), rewrapped without encoding when the source already is
 *   that, kept under a size cap (WhatsApp: 16 MB) by re-encoding at a computed lower bitrate;
 * - `video.webm`: VP9 + Opus for browsers that prefer it;
 * - `poster.jpg`: one frame for players and email;
 * - `sprite.jpg`: a grid of frames for seek previews;
 * - HLS (`hls/index.m3u8` + 6-s segments) above a length where progressive download wastes data.
 */
import { mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { runToolOrThrow, SAFE_INPUT_ARGS } from './ffmpeg';
import { probeMedia, type MediaProbe } from './probe';

export interface VideoOutputs { mp4: string; webm: string; poster: string; sprite: string; hls: { playlist: string; files: string[] } | null }

/** WhatsApp's video message limit (Cloud API media: 16 MB). */
export const WHATSAPP_MAX_VIDEO_BYTES = 16 * 1024 * 1024;
export const DEFAULT_HLS_ABOVE_SEC = 60;
export const SPRITE = { columns: 5, rows: 5, tileWidth: 160 } as const;
const HLS_SEGMENT_SEC = 6;
const AUDIO_KBPS = 128;
const SIZE_CAP_ATTEMPTS = 4;
/** Leaves room for the container (moov, per-sample tables) and the encoder overshooting its target. */
const SIZE_CAP_HEADROOM = 0.9;

export interface EncodeOptions {
  /** How long one ffmpeg run may take. */
  timeoutMs?: number;
  /** Encoder threads (the worker shares its cores with other activities). */
  threads?: number;
}

const run = (args: string[], o: EncodeOptions) =>
  runToolOrThrow('ffmpeg', [...SAFE_INPUT_ARGS, ...args], { timeoutMs: o.timeoutMs ?? 15 * 60_000, maxOutputBytes: 1024 * 1024 });

export async function makeOutputs(input: string, outDir: string, opts: { maxMp4Bytes?: number; hlsAboveSec?: number } & EncodeOptions = {}): Promise<VideoOutputs> {
  await mkdir(outDir, { recursive: true, mode: 0o700 });
  const source = await probeMedia(input);
  const mp4 = join(outDir, 'video.mp4');
  await encodeMp4(input, mp4, { ...opts, durationSec: source.durationSec, maxBytes: opts.maxMp4Bytes, hasAudio: !!source.audioCodec, copy: deliverableAsIs(source) });
  const webm = join(outDir, 'video.webm');
  await encodeWebm(input, webm, { ...opts, hasAudio: !!source.audioCodec });
  const poster = join(outDir, 'poster.jpg');
  await makePoster(input, poster, source.durationSec, opts);
  const sprite = join(outDir, 'sprite.jpg');
  await makeSprite(input, sprite, source.durationSec, opts);
  const hls = source.durationSec > (opts.hlsAboveSec ?? DEFAULT_HLS_ABOVE_SEC) ? await makeHls(mp4, join(outDir, 'hls'), opts) : null;
  return { mp4, webm, poster, sprite, hls };
}

/** H.264 in 4:2:0 with AAC (or no audio): what every player and WhatsApp take, so the MP4 copies the streams. */
export const deliverableAsIs = (p: MediaProbe) => p.videoCodec === 'h264' && p.pixelFormat === 'yuv420p' && (p.audioCodec === 'aac' || p.audioCodec === null);

/**
 * H.264 MP4 with faststart; `copy` rewraps the source's streams (a render that is already H.264 +
 * AAC: a fraction of a second instead of an encode) and encodes only if that breaks the cap. With a cap, a file over it is encoded again at the bitrate that fits
 * (cap × headroom × 8 / duration − audio), each retry 15 % lower than the last, at most 4 times.
 */
export async function encodeMp4(input: string, out: string, o: EncodeOptions & { durationSec: number; maxBytes?: number; hasAudio: boolean; copy?: boolean }): Promise<{ bytes: number; attempts: number; videoKbps: number | null; copied: boolean }> {
  if (o.copy) {
    await run(['-i', input, '-y', '-map', '0:v:0', ...(o.hasAudio ? ['-map', '0:a:0'] : []), '-c', 'copy', '-movflags', '+faststart', '-f', 'mp4', out], o);
    const bytes = (await stat(out)).size;
    if (!o.maxBytes || bytes <= o.maxBytes) return { bytes, attempts: 1, videoKbps: null, copied: true };
  } else {
    await run(mp4Args(input, out, null, o), o);
  }
  let bytes = (await stat(out)).size;
  if (!o.maxBytes || bytes <= o.maxBytes) return { bytes, attempts: 1, videoKbps: null, copied: false };
  let kbps = Math.floor(((o.maxBytes * SIZE_CAP_HEADROOM * 8) / Math.max(o.durationSec, 0.1)) / 1000 - (o.hasAudio ? AUDIO_KBPS : 0));
  for (let attempt = 2; attempt <= SIZE_CAP_ATTEMPTS + 1; attempt++) {
    if (kbps < 50) break;
    await run(mp4Args(input, out, kbps, o), o);
    bytes = (await stat(out)).size;
    if (bytes <= o.maxBytes) return { bytes, attempts: attempt, videoKbps: kbps, copied: false };
    kbps = Math.floor(kbps * 0.85);
  }
  throw new Error(`the MP4 stays above ${o.maxBytes} bytes (${bytes}) even at a low bitrate: the video is too long for this channel`);
}

function mp4Args(input: string, out: string, videoKbps: number | null, o: EncodeOptions & { hasAudio: boolean }): string[] {
  // A fixed quality (CRF 23) first; a target bitrate with a capped VBV buffer when the file must fit a size.
  const rate = videoKbps === null ? ['-crf', '23'] : ['-b:v', `${videoKbps}k`, '-maxrate', `${Math.floor(videoKbps * 1.2)}k`, '-bufsize', `${videoKbps * 2}k`];
  return [
    '-threads', String(o.threads ?? 1), '-i', input, '-threads', String(o.threads ?? 1), '-y',
    '-map', '0:v:0', ...(o.hasAudio ? ['-map', '0:a:0'] : []),
    '-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'main', '-pix_fmt', 'yuv420p', ...rate,
    // A keyframe every 2 s so HLS segments (6 s) cut cleanly and seeking is quick.
    '-force_key_frames', 'expr:gte(t,n_forced*2)',
    // Even dimensions: yuv420p needs them.
    '-vf', 'scale=trunc(iw/2)*2:trunc(ih/2)*2',
    ...(o.hasAudio ? ['-c:a', 'aac', '-b:a', `${AUDIO_KBPS}k`, '-ac', '2'] : []),
    '-movflags', '+faststart', '-f', 'mp4', out,
  ];
}

/** VP9 (libvpx-vp9, realtime speed: a good-quality encode is ~10× slower) + Opus. */
export async function encodeWebm(input: string, out: string, o: EncodeOptions & { hasAudio: boolean }): Promise<void> {
  await run([
    '-threads', String(o.threads ?? 1), '-i', input, '-threads', String(o.threads ?? 1), '-y',
    '-map', '0:v:0', ...(o.hasAudio ? ['-map', '0:a:0'] : []),
    '-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-row-mt', '1', '-crf', '36', '-b:v', '0', '-pix_fmt', 'yuv420p',
    '-vf', 'scale=trunc(iw/2)*2:trunc(ih/2)*2',
    ...(o.hasAudio ? ['-c:a', 'libopus', '-b:a', '96k'] : []),
    '-f', 'webm', out,
  ], o);
}

/** A frame a second in (past a fade from black), or the middle of a shorter clip, at most 1280 px wide. */
export async function makePoster(input: string, out: string, durationSec: number, o: EncodeOptions = {}): Promise<void> {
  const at = Math.min(1, durationSec / 2).toFixed(2);
  await run(['-ss', at, '-threads', '1', '-i', input, '-y', '-frames:v', '1', '-vf', "scale='min(1280,iw)':-2", '-q:v', '3', '-f', 'image2', '-c:v', 'mjpeg', out], o);
}

/** 25 frames evenly spread over the video, 160 px wide, tiled 5 × 5 in one JPEG. */
export async function makeSprite(input: string, out: string, durationSec: number, o: EncodeOptions = {}): Promise<void> {
  const frames = SPRITE.columns * SPRITE.rows;
  const fps = frames / Math.max(durationSec, 0.1);
  await run([
    '-threads', '1', '-i', input, '-y', '-an',
    '-vf', `fps=${fps.toFixed(6)},scale=${SPRITE.tileWidth}:-2,tile=${SPRITE.columns}x${SPRITE.rows}`,
    '-frames:v', '1', '-q:v', '4', '-f', 'image2', '-c:v', 'mjpeg', out,
  ], o);
}

/** HLS from the MP4 without re-encoding (its keyframes every 2 s allow 6-s segments). */
export async function makeHls(mp4: string, dir: string, o: EncodeOptions = {}): Promise<{ playlist: string; files: string[] }> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const playlist = join(dir, 'index.m3u8');
  await run([
    '-i', mp4, '-y', '-c', 'copy', '-f', 'hls', '-hls_time', String(HLS_SEGMENT_SEC), '-hls_playlist_type', 'vod',
    '-hls_segment_filename', join(dir, 'segment%03d.ts'), playlist,
  ], o);
  const files = (await readdir(dir)).filter((f) => f.endsWith('.ts')).sort().map((f) => join(dir, f));
  return { playlist, files };
}
