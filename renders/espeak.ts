/**
 * The offline voice: `espeak-ng` (Debian) speaks the text into a WAV file, ffmpeg encodes it as
 * MP3 (what D-ID and browsers take). Robotic, free and local: renders work with no ElevenLabs
 * account, and the whole pipeline is testable without a provider.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VoiceSettings } from '../core/renders';
import { runToolOrThrow } from '../video/ffmpeg';

/** espeak-ng's default speaking rate, words per minute; `settings.speed` scales it. */
export const ESPEAK_BASE_WPM = 175;
/** espeak voice names: a language tag with an optional variant (`en-us`, `de`, `en+f3`). */
export const ESPEAK_VOICE = /^[a-z]{2,3}(-[a-z0-9]{2,8})*(\+[a-z0-9]{1,8})?$/i;
const TIMEOUT_MS = 60_000;

/** espeak-ng speaks the text into `wavPath` (22.05 kHz mono PCM, espeak's own format). */
export async function espeakWav(input: { voiceId: string; settings: VoiceSettings; text: string }, dir: string, wavPath: string): Promise<void> {
  if (!ESPEAK_VOICE.test(input.voiceId)) throw new Error(`not an espeak-ng voice: ${input.voiceId}`);
  const textFile = join(dir, 'script.txt');
  // The text goes through a file: a script starting with "-" is never read as an option.
  await writeFile(textFile, input.text);
  const wpm = Math.round(ESPEAK_BASE_WPM * (input.settings.speed ?? 1));
  await runToolOrThrow('espeak-ng', ['-v', input.voiceId, '-s', String(wpm), '-p', String(input.settings.pitch ?? 50), '-w', wavPath, '-f', textFile], { timeoutMs: TIMEOUT_MS });
}

export async function espeakSpeech(input: { voiceId: string; settings: VoiceSettings; text: string }): Promise<Buffer> {
  if (!ESPEAK_VOICE.test(input.voiceId)) throw new Error(`not an espeak-ng voice: ${input.voiceId}`);
  const dir = await mkdtemp(join(tmpdir(), 'espeak-'));
  try {
    const wav = join(dir, 'speech.wav');
    const mp3 = join(dir, 'speech.mp3');
    await espeakWav(input, dir, wav);
    await runToolOrThrow('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-i', wav, '-ac', '1', '-ar', '44100', '-c:a', 'libmp3lame', '-b:a', '96k', mp3], { timeoutMs: TIMEOUT_MS });
    return await readFile(mp3);
  } finally {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}
