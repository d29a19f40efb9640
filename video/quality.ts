/**
 * Quality control of a finished video before anyone receives it: it exists and is not empty,
 * ffprobe can read it, its duration fits the script it speaks, its picture and codecs are the ones
 * requested, and it has audio that is not silence.
 */
import { probeMedia, type MediaProbe } from './probe';

export interface QualityExpectation {
  minSec: number;
  maxSec: number;
  width?: number;
  height?: number;
  requireAudio: boolean;
  /** Accepted video codecs (ffprobe names: h264, vp9…); unset: any. */
  videoCodecs?: string[];
  /** Accepted audio codecs (aac, opus…); unset: any. */
  audioCodecs?: string[];
}
export type QualityResult = { ok: true; probe: MediaProbe } | { ok: false; reason: string; probe: MediaProbe | null };

/**
 * Speaking rates: ~150 words a minute is conversational English (TTS voices, espeak-ng's default is
 * 175); the bounds allow a brisk 220 and a slow 100 plus 3 s of lead-in and trailing silence.
 */
export const SPEECH_WPM = { typical: 150, fastest: 220, slowest: 100 } as const;
const PAUSE_ALLOWANCE_SEC = 3;

/** Below this mean loudness the audio is silence (digital silence is -91 dBFS; quiet speech ~-35). */
export const SILENCE_DB = -60;

/** Expected speech time of a script (words per minute documented). */
export function expectedSpeechSeconds(script: string): { minSec: number; maxSec: number } {
  const words = script.trim().split(/\s+/).filter(Boolean).length;
  const minSec = Math.max(0.5, (words / SPEECH_WPM.fastest) * 60);
  const maxSec = (words / SPEECH_WPM.slowest) * 60 + PAUSE_ALLOWANCE_SEC;
  return { minSec: round(minSec), maxSec: round(maxSec) };
}

export async function checkVideo(path: string, expect: QualityExpectation): Promise<QualityResult> {
  let probe: MediaProbe;
  try {
    probe = await probeMedia(path);
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no output file' : (err as Error).message;
    return { ok: false, reason: `not a readable video: ${why}`, probe: null };
  }
  const reason = failure(probe, expect);
  return reason ? { ok: false, reason, probe } : { ok: true, probe };
}

function failure(p: MediaProbe, e: QualityExpectation): string | null {
  if (p.byteSize === 0) return 'the video is empty';
  if (!p.videoCodec) return 'the file has no video stream';
  if (!(p.durationSec > 0)) return 'the video has no duration';
  if (p.durationSec < e.minSec) return `the video lasts ${round(p.durationSec)} s, less than the ${e.minSec} s the script needs`;
  if (p.durationSec > e.maxSec) return `the video lasts ${round(p.durationSec)} s, more than the ${e.maxSec} s the script can take`;
  if ((e.width && p.width !== e.width) || (e.height && p.height !== e.height)) {
    return `the video is ${p.width}x${p.height}, not the requested ${e.width ?? p.width}x${e.height ?? p.height}`;
  }
  if (e.videoCodecs && !e.videoCodecs.includes(p.videoCodec)) return `the video codec is ${p.videoCodec}, not ${e.videoCodecs.join(' or ')}`;
  if (e.requireAudio) {
    if (!p.audioCodec) return 'the video has no audio';
    if (e.audioCodecs && !e.audioCodecs.includes(p.audioCodec)) return `the audio codec is ${p.audioCodec}, not ${e.audioCodecs.join(' or ')}`;
    if (p.meanVolumeDb === null) return 'the audio could not be decoded';
    if (p.meanVolumeDb < SILENCE_DB) return `the audio is silent (mean volume ${p.meanVolumeDb} dB)`;
  }
  return null;
}

const round = (n: number) => Math.round(n * 100) / 100;
