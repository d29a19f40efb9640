/**
 * What a media file is, by `ffprobe` (container, streams, duration) and ffmpeg's `volumedetect`
 * (the mean loudness of the first audio stream, to tell speech from silence).
 */
import { stat } from 'node:fs/promises';
import { runTool, runToolOrThrow, safeInputArgs, SAFE_INPUT_ARGS } from './ffmpeg';

export interface MediaProbe {
  durationSec: number; width: number | null; height: number | null; videoCodec: string | null; audioCodec: string | null; byteSize: number; meanVolumeDb: number | null;
  /** The video's pixel format (`yuv420p`…): players and WhatsApp need 4:2:0. */
  pixelFormat?: string | null;
}

const PROBE_TIMEOUT_MS = 20_000;
/** Decoding the whole audio track: a few seconds for minutes of speech. */
const VOLUME_TIMEOUT_MS = 120_000;

interface FfprobeJson {
  format?: { duration?: string };
  streams?: { codec_type?: string; codec_name?: string; pix_fmt?: string; width?: number; height?: number; duration?: string; disposition?: { attached_pic?: number } }[];
}

/** Throws when the file is empty or not a media file ffprobe can read. */
export async function probeMedia(path: string): Promise<MediaProbe> {
  const { size: byteSize } = await stat(path);
  if (byteSize === 0) throw new Error('the file is empty');
  const run = await runToolOrThrow(
    'ffprobe',
    // ffprobe takes ffmpeg's input options except -nostdin (it never reads stdin).
    [...SAFE_INPUT_ARGS.filter((a) => a !== '-nostdin'), '-print_format', 'json', '-show_format', '-show_streams', path],
    { timeoutMs: PROBE_TIMEOUT_MS, maxOutputBytes: 1024 * 1024 },
  );
  const json = JSON.parse(run.stdout.toString('utf8')) as FfprobeJson;
  const streams = json.streams ?? [];
  // A cover picture in an audio file is a "video" stream too, but not a video.
  const video = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  const audio = streams.find((s) => s.codec_type === 'audio');
  const durationSec = Number(json.format?.duration ?? video?.duration ?? audio?.duration ?? 0) || 0;
  return {
    durationSec,
    width: video?.width ?? null,
    height: video?.height ?? null,
    videoCodec: video?.codec_name ?? null,
    audioCodec: audio?.codec_name ?? null,
    byteSize,
    meanVolumeDb: audio ? await meanVolume(path) : null,
    pixelFormat: video?.pix_fmt ?? null,
  };
}

/** `mean_volume` of the first audio stream in dBFS; -91 dB is digital silence. */
async function meanVolume(path: string): Promise<number | null> {
  return (await volumeLevels(path))?.meanDb ?? null;
}

/** The first audio stream's mean and peak levels in dBFS (volumedetect), null when it cannot be decoded. */
export async function volumeLevels(path: string): Promise<{ meanDb: number; maxDb: number } | null> {
  const run = await runTool(
    'ffmpeg',
    // volumedetect reports at the info level.
    [...safeInputArgs('info'), '-threads', '1', '-i', path, '-map', '0:a:0', '-af', 'volumedetect', '-vn', '-sn', '-dn', '-f', 'null', '-'],
    { timeoutMs: VOLUME_TIMEOUT_MS, maxOutputBytes: 1024 * 1024 },
  );
  const level = (name: string) => {
    const match = new RegExp(`${name}:\\s*(-?[\\d.]+|-inf) dB`).exec(run.stderr);
    return match ? (match[1] === '-inf' ? -Infinity : Number(match[1])) : null;
  };
  const meanDb = level('mean_volume');
  const maxDb = level('max_volume');
  if (!run.ok || meanDb === null || maxDb === null) return null;
  return { meanDb, maxDb };
}
