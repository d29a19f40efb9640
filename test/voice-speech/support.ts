/** A local media store in a temporary folder, with a signer whose URLs are absolute. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalMediaStore } from '../../media/local-store';
import { MediaUrlSigner } from '../../media/signed-url';
import { runToolOrThrow } from '../../video/ffmpeg';

export const MEDIA_BASE = 'https://switchboard.test/media';

export async function tempStore(): Promise<{ store: LocalMediaStore; dir: string; close(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'voice-speech-'));
  const store = new LocalMediaStore(join(dir, 'media'), new MediaUrlSigner(MEDIA_BASE, () => Buffer.alloc(32, 7)));
  return { store, dir, close: () => rm(dir, { recursive: true, force: true }) };
}

/** espeak-ng speaks `text` into a WAV at `path` (22.05 kHz mono PCM) and answers the path. */
export async function spokenWav(dir: string, text: string, name = 'spoken.wav', voice = 'en-us'): Promise<string> {
  const textFile = join(dir, `${name}.txt`);
  await writeFile(textFile, text);
  const path = join(dir, name);
  await runToolOrThrow('espeak-ng', ['-v', voice, '-s', '150', '-w', path, '-f', textFile], { timeoutMs: 30_000 });
  return path;
}
