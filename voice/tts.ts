/**
 * Text to speech for calls and the web widget. Each prompt is spoken once per (text, voice,
 * settings, format): the encoded file is kept in the media store under the hash of those, with a
 * small JSON beside it (engine, duration), so a repeated prompt is a lookup. Engines in order:
 * ElevenLabs (streaming synthesis, when the voice is an ElevenLabs voice and an account is set;
 * 429 / 5xx retried briefly), then espeak-ng (offline, always there), then none: the result's
 * `engine` says `twilio-say` and the caller lets Twilio's `<Say>` speak. Whatever an engine
 * answers passes the quality check (voice/audio.ts) before it is encoded and kept.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stableJson } from '../core/render-keys';
import type { MediaStore } from '../media/store';
import { elevenLabsSpeechStream } from '../renders/elevenlabs';
import type { SpeechEndpoint } from '../renders/endpoints';
import { RenderProviderError } from '../renders/errors';
import { espeakWav } from '../renders/espeak';
import { DEFAULT_VOICE, type SpeechVoice } from '../renders/speech';
import { AUDIO_FILES, checkSpeechAudio, convertAudio, type SpeechFormat } from './audio';

export type TtsEngine = 'elevenlabs' | 'espeak-ng' | 'twilio-say';

export interface SpeechResult {
  /** A signed absolute URL of the audio; null → speak with `<Say>`. */
  url: string | null;
  mediaKey: string | null;
  engine: TtsEngine;
  cached: boolean;
  durationMs: number | null;
}

export interface TtsRequest {
  tenantId: string;
  text: string;
  /** The voice profile's voice; null → espeak-ng's American English. */
  voice: SpeechVoice | null;
  format: SpeechFormat;
}

export interface TtsDeps {
  store: MediaStore;
  /** The tenant's (or operator's) ElevenLabs account; null → espeak-ng speaks. */
  elevenlabs: SpeechEndpoint | null;
  urlTtlSeconds: number;
  /** ElevenLabs attempts on a transient answer (429, 5xx, no answer) before falling back; default 3. */
  attempts?: number;
  /** First wait between attempts (doubled each time, capped at 2 s; a Retry-After wins); default 250 ms. */
  retryDelayMs?: number;
  /** Told why an engine was passed over (the activity logs it). */
  onFallback?: (engine: Exclude<TtsEngine, 'twilio-say'>, reason: string) => void;
}

/** Bumped when the encoding changes, so older files are not served for the new settings. */
const CACHE_VERSION = 1;
const MAX_RETRY_DELAY_MS = 2000;

interface CachedMeta {
  engine: TtsEngine;
  durationMs: number;
}

/** The media key of a prompt in a voice and format: `t/{tenant}/voice-speech/{sha256}.{wav|mp3}`. */
export function speechCacheKey(tenantId: string, text: string, voice: SpeechVoice, format: SpeechFormat): string {
  const hash = createHash('sha256')
    .update(stableJson({ v: CACHE_VERSION, text, voice: { provider: voice.provider, voiceId: voice.voiceId, modelId: voice.modelId, settings: voice.settings }, format }))
    .digest('hex');
  return `t/${tenantId}/voice-speech/${hash}.${AUDIO_FILES[format].ext}`;
}
const metaKeyOf = (key: string) => `${key}.json`;

interface Engine {
  name: Exclude<TtsEngine, 'twilio-say'>;
  voice: SpeechVoice;
  /** Writes the engine's raw audio into `dir` and answers its path. */
  speak(dir: string, text: string): Promise<string>;
}

export async function synthesize(deps: TtsDeps, request: TtsRequest): Promise<SpeechResult> {
  for (const engine of enginesFor(deps, request.voice)) {
    const key = speechCacheKey(request.tenantId, request.text, engine.voice, request.format);
    const hit = await readMeta(deps.store, key);
    if (hit) return { url: await deps.store.signedUrl(key, deps.urlTtlSeconds), mediaKey: key, engine: hit.engine, cached: true, durationMs: hit.durationMs };
    try {
      const durationMs = await produce(deps, engine, request, key);
      return { url: await deps.store.signedUrl(key, deps.urlTtlSeconds), mediaKey: key, engine: engine.name, cached: false, durationMs };
    } catch (err) {
      deps.onFallback?.(engine.name, (err as Error).message);
    }
  }
  return { url: null, mediaKey: null, engine: 'twilio-say', cached: false, durationMs: null };
}

/** ElevenLabs when the voice is one of its voices and there is an account; espeak-ng always after it. */
function enginesFor(deps: TtsDeps, voice: SpeechVoice | null): Engine[] {
  const engines: Engine[] = [];
  const endpoint = deps.elevenlabs;
  if (voice?.provider === 'elevenlabs' && endpoint) {
    const resolved = { ...voice, modelId: voice.modelId ?? endpoint.modelId };
    engines.push({ name: 'elevenlabs', voice: resolved, speak: (dir, text) => elevenLabsToFile(deps, endpoint, resolved, text, join(dir, 'elevenlabs.mp3')) });
  } else if (voice?.provider === 'elevenlabs') {
    deps.onFallback?.('elevenlabs', 'no ElevenLabs key is set (Settings → ElevenLabs, or ELEVENLABS_API_KEY)');
  }
  const offline = voice?.provider === 'espeak' ? voice : DEFAULT_VOICE;
  engines.push({
    name: 'espeak-ng',
    voice: offline,
    async speak(dir, text) {
      const wav = join(dir, 'espeak.wav');
      await espeakWav({ voiceId: offline.voiceId, settings: offline.settings, text }, dir, wav);
      return wav;
    },
  });
  return engines;
}

/** One engine's synthesis, checked, encoded and kept (audio first, then the JSON that marks it complete). */
async function produce(deps: TtsDeps, engine: Engine, request: TtsRequest, key: string): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'tts-'));
  try {
    const raw = await engine.speak(dir, request.text);
    const check = await checkSpeechAudio(raw, request.text);
    if (!check.ok) throw new Error(`${engine.name} audio failed the quality check: ${check.reason}`);
    const out = join(dir, `out.${AUDIO_FILES[request.format].ext}`);
    await convertAudio(raw, out, request.format);
    await deps.store.put(key, await readFile(out), AUDIO_FILES[request.format].contentType);
    const meta: CachedMeta = { engine: engine.name, durationMs: check.durationMs };
    await deps.store.put(metaKeyOf(key), Buffer.from(JSON.stringify(meta)), 'application/json');
    return check.durationMs;
  } finally {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

async function readMeta(store: MediaStore, key: string): Promise<CachedMeta | null> {
  const found = await store.read(metaKeyOf(key));
  if (!found) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of found.body) chunks.push(Buffer.from(chunk as Uint8Array));
  try {
    const meta = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Partial<CachedMeta>;
    if ((meta.engine === 'elevenlabs' || meta.engine === 'espeak-ng') && typeof meta.durationMs === 'number') return meta as CachedMeta;
  } catch {
    // A torn or foreign file is a miss: the prompt is spoken again and the file rewritten.
  }
  return null;
}

/** ElevenLabs' streamed MP3 into a file, retried on transient failures with a short backoff. */
async function elevenLabsToFile(deps: TtsDeps, endpoint: SpeechEndpoint, voice: SpeechVoice, text: string, path: string): Promise<string> {
  const attempts = Math.max(1, deps.attempts ?? 3);
  for (let attempt = 1; ; attempt++) {
    try {
      await pipeline(Readable.from(elevenLabsSpeechStream(endpoint, { voiceId: voice.voiceId, modelId: voice.modelId!, settings: voice.settings, text })), createWriteStream(path));
      return path;
    } catch (err) {
      const transient = err instanceof RenderProviderError && err.errorClass === 'transient';
      if (!transient || attempt >= attempts) throw err;
      const backoff = (deps.retryDelayMs ?? 250) * 2 ** (attempt - 1);
      const wait = Math.min(MAX_RETRY_DELAY_MS, err.retryAfterSec !== undefined ? err.retryAfterSec * 1000 : backoff);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
