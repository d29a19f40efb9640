/**
 * Speech audio with ffmpeg (video/ffmpeg.ts runs it safely): the encodings a call and a browser
 * take (8 kHz μ-law WAV for Twilio's `<Play>`, MP3 or Opus for the web), the 16 kHz PCM the
 * offline recognizer reads, and the quality check every synthesis passes before it is kept:
 * not empty, decodable by ffprobe, an audio stream that is not silence, and a duration plausible
 * for the words (a provider answering a truncated or endless file falls back instead of playing).
 */
import { probeMedia, volumeLevels } from '../video/probe';
import { runToolOrThrow, SAFE_INPUT_ARGS } from '../video/ffmpeg';

/** What synthesizeSpeech is asked for: a phone call's audio, or a browser's. */
export type SpeechFormat = 'telephony' | 'web';
/** Every encoding this module writes: the two speech formats, Opus for browsers that prefer it, and the recognizer's input. */
export type AudioTarget = SpeechFormat | 'opus' | 'recognizer';

export const AUDIO_FILES: Record<AudioTarget, { ext: string; contentType: string }> = {
  telephony: { ext: 'wav', contentType: 'audio/wav' },
  web: { ext: 'mp3', contentType: 'audio/mpeg' },
  opus: { ext: 'ogg', contentType: 'audio/ogg' },
  recognizer: { ext: 'wav', contentType: 'audio/wav' },
};

/** Twilio plays 8 kHz mono μ-law WAV without transcoding: the telephone network's own encoding. */
const TELEPHONY_ARGS = ['-ac', '1', '-ar', '8000', '-c:a', 'pcm_mulaw', '-f', 'wav'];
const ENCODE_ARGS: Record<AudioTarget, string[]> = {
  telephony: TELEPHONY_ARGS,
  web: ['-ac', '1', '-ar', '44100', '-c:a', 'libmp3lame', '-b:a', '96k', '-f', 'mp3'],
  opus: ['-ac', '1', '-ar', '48000', '-c:a', 'libopus', '-b:a', '32k', '-f', 'ogg'],
  // PocketSphinx's acoustic model is 16 kHz, 16-bit mono.
  recognizer: ['-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le', '-f', 'wav'],
};
/** μ-law is one byte a sample: 8000 bytes a second of telephony audio. */
export const TELEPHONY_BYTES_PER_SECOND = 8000;
const TIMEOUT_MS = 60_000;
/** PocketSphinx hears best with the peak well under full scale (measured on synthetic and 8 kHz speech) and a little silence around the speech. */
const RECOGNIZER_PEAK_DB = -20;

/** Encodes `input` (any audio ffmpeg reads) as `target` into `output`; no metadata, bit-exact headers. */
export async function convertAudio(input: string, output: string, target: AudioTarget, filters: string[] = []): Promise<void> {
  const af = filters.length ? ['-af', filters.join(',')] : [];
  await runToolOrThrow('ffmpeg', [...SAFE_INPUT_ARGS, '-y', '-threads', '1', '-i', input, '-vn', '-sn', '-dn', '-map_metadata', '-1', '-fflags', '+bitexact', '-flags:a', '+bitexact', ...af, ...ENCODE_ARGS[target], output], { timeoutMs: TIMEOUT_MS });
}

/** A recording as PocketSphinx reads it: 16 kHz PCM, peak normalized, padded with silence. */
export async function toRecognizerWav(input: string, output: string): Promise<void> {
  const levels = await volumeLevels(input);
  if (!levels) throw new Error('the recording is not audio ffmpeg can decode');
  if (levels.maxDb === -Infinity) throw new Error('the recording is silent');
  const gainDb = Math.max(-30, Math.min(30, RECOGNIZER_PEAK_DB - levels.maxDb));
  await convertAudio(input, output, 'recognizer', [`volume=${gainDb.toFixed(1)}dB`, 'adelay=300', 'apad=pad_dur=0.5']);
}

/** Seconds a text plausibly takes to say: 420 words a minute at the fastest, 72 at the slowest plus pauses. */
export function plausibleSeconds(text: string): { min: number; max: number } {
  const words = text.trim().split(/\s+/).filter(Boolean).length;
  // Digits and abbreviations are read out longer than they are written: the slow bound counts characters too.
  return { min: words / 7, max: Math.max(words / 1.2, text.length / 6) + 5 };
}

export type AudioCheck = { ok: true; durationMs: number } | { ok: false; reason: string };

/** Mean loudness under which a "speech" file is taken for silence. */
const SILENCE_DB = -60;

/** The quality check of what a speech engine answered (never throws). */
export async function checkSpeechAudio(path: string, text: string): Promise<AudioCheck> {
  let probe;
  try {
    probe = await probeMedia(path);
  } catch (err) {
    return { ok: false, reason: `not decodable audio: ${(err as Error).message}` };
  }
  if (!probe.audioCodec) return { ok: false, reason: 'no audio stream' };
  const { min, max } = plausibleSeconds(text);
  if (probe.durationSec < min || probe.durationSec > max) return { ok: false, reason: `duration ${probe.durationSec.toFixed(2)} s is not plausible for the text (${min.toFixed(2)}–${max.toFixed(2)} s)` };
  if (probe.meanVolumeDb === null || probe.meanVolumeDb < SILENCE_DB) return { ok: false, reason: 'the audio is silent' };
  return { ok: true, durationMs: Math.round(probe.durationSec * 1000) };
}
