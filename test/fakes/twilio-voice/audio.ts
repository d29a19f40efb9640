/**
 * Audio as the fake Twilio handles it: what a <Play> URL must serve to be playable (an audio
 * Content-Type Twilio accepts, and bytes that are that format), how long it plays, and the WAV files
 * a <Record> produces (8 kHz mono 16-bit PCM, as Twilio's recordings are), either a tone or the
 * caller's words spoken by espeak-ng.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runToolOrThrow } from '../../../video/ffmpeg';

/** The audio types <Play> accepts (Twilio's list). */
export const PLAYABLE_TYPES = ['audio/mpeg', 'audio/mp3', 'audio/wav', 'audio/wave', 'audio/x-wav', 'audio/aiff', 'audio/x-aifc', 'audio/x-aiff', 'audio/x-gsm', 'audio/gsm', 'audio/ulaw', 'audio/basic'];

export interface AudioCheck {
  ok: boolean;
  format: 'wav' | 'mp3' | 'aiff' | 'raw' | null;
  durationMs: number | null;
  problem?: string;
}

/** Whether bytes served as `contentType` are audio Twilio can play, and how long they last. */
export function checkAudio(contentType: string | null, data: Buffer): AudioCheck {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (!PLAYABLE_TYPES.includes(type)) return { ok: false, format: null, durationMs: null, problem: `Content-Type ${type || '(none)'} is not audio Twilio plays` };
  if (data.length === 0) return { ok: false, format: null, durationMs: null, problem: 'empty body' };
  if (type.includes('wav')) {
    const duration = wavDurationMs(data);
    return duration === null ? { ok: false, format: null, durationMs: null, problem: 'not a RIFF/WAVE file' } : { ok: true, format: 'wav', durationMs: duration };
  }
  if (type === 'audio/mpeg' || type === 'audio/mp3') {
    const id3 = data.subarray(0, 3).toString('latin1') === 'ID3';
    const frameSync = data.length > 1 && data[0] === 0xff && (data[1] & 0xe0) === 0xe0;
    return id3 || frameSync ? { ok: true, format: 'mp3', durationMs: null } : { ok: false, format: null, durationMs: null, problem: 'not an MP3 stream' };
  }
  if (type.includes('aif')) {
    return data.subarray(0, 4).toString('latin1') === 'FORM' ? { ok: true, format: 'aiff', durationMs: null } : { ok: false, format: null, durationMs: null, problem: 'not an AIFF file' };
  }
  // μ-law / GSM: headerless, 8000 bytes a second for μ-law.
  return { ok: true, format: 'raw', durationMs: type.includes('ulaw') || type === 'audio/basic' ? Math.round(data.length / 8) : null };
}

/** A WAV file's duration from its header (fmt byte rate and data length), or null if it is not one. */
export function wavDurationMs(data: Buffer): number | null {
  if (data.length < 12 || data.toString('latin1', 0, 4) !== 'RIFF' || data.toString('latin1', 8, 12) !== 'WAVE') return null;
  let byteRate = 0;
  for (let at = 12; at + 8 <= data.length; ) {
    const id = data.toString('latin1', at, at + 4);
    const size = data.readUInt32LE(at + 4);
    if (id === 'fmt ' && at + 16 <= data.length) byteRate = data.readUInt32LE(at + 16);
    if (id === 'data') return byteRate > 0 ? Math.round((Math.min(size, data.length - at - 8) / byteRate) * 1000) : null;
    at += 8 + size + (size % 2);
  }
  return null;
}

/** A recording of `seconds` of a quiet 440 Hz tone: 8 kHz mono 16-bit PCM WAV. */
export function toneWav(seconds: number): Buffer {
  const rate = 8000;
  const samples = Math.max(1, Math.round(seconds * rate));
  const pcm = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) pcm.writeInt16LE(Math.round(3000 * Math.sin((2 * Math.PI * 440 * i) / rate)), i * 2);
  return wavFile(pcm, rate);
}

function wavFile(pcm: Buffer, rate: number): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + pcm.length, 4);
  header.write('WAVE', 8, 'latin1');
  header.write('fmt ', 12, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([header, pcm]);
}

/** The caller's words as a Twilio recording: espeak-ng speaks them, ffmpeg makes 8 kHz mono PCM. */
export async function spokenWav(text: string): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'fake-twilio-rec-'));
  try {
    const textFile = join(dir, 'words.txt');
    const raw = join(dir, 'raw.wav');
    const out = join(dir, 'recording.wav');
    await writeFile(textFile, text);
    await runToolOrThrow('espeak-ng', ['-v', 'en-us', '-w', raw, '-f', textFile], { timeoutMs: 30_000 });
    await runToolOrThrow('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-i', raw, '-ac', '1', '-ar', '8000', '-c:a', 'pcm_s16le', out], { timeoutMs: 30_000 });
    return await readFile(out);
  } finally {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** How long Twilio's <Say> takes to speak a text: about 150 words a minute. */
export const sayDurationMs = (text: string): number => Math.max(500, Math.round((text.split(/\s+/).filter(Boolean).length / 150) * 60_000));
