/**
 * Speech to text for recordings, voicemail and the widget's push-to-talk: an OpenAI-compatible
 * `POST /audio/transcriptions` (the `openai` SDK over the guarded fetch, the tenant's provider),
 * and when there is none, or it fails, the offline recognizer (PocketSphinx, US English). The
 * result names the engine that answered.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openaiClient, openaiSdk, type ModelEndpoint } from '../llm/openai-client';
import { toRecognizerWav } from './audio';
import { recognizeWav } from './pocketsphinx';

export interface TranscriptionEndpoint extends ModelEndpoint {
  model: string;
}

export interface Transcript {
  text: string;
  engine: 'openai' | 'pocketsphinx';
  /** 0–1 where the engine says (PocketSphinx's word posteriors); null otherwise. */
  confidence: number | null;
}

export interface SttRequest {
  /** A local audio file (any format ffmpeg reads; OpenAI takes wav, mp3, webm, ogg, m4a…). */
  path: string;
  /** The name sent with the upload: its extension tells the provider the format. */
  fileName: string;
  /** BCP-47 or ISO-639-1 (`en`, `en-US`); unset → the provider detects it. */
  language?: string;
}

export interface SttDeps {
  endpoint: TranscriptionEndpoint | null;
  /** Told why the provider was passed over (the activity logs it). */
  onFallback?: (reason: string) => void;
}

/** OpenAI's upload limit for `/audio/transcriptions`. */
export const OPENAI_MAX_AUDIO_BYTES = 25 * 1024 * 1024;
const TIMEOUT_MS = 120_000;

export async function transcribe(deps: SttDeps, request: SttRequest): Promise<Transcript> {
  if (deps.endpoint) {
    try {
      return await openaiTranscript(deps.endpoint, request);
    } catch (err) {
      deps.onFallback?.((err as Error).message);
    }
  }
  return offlineTranscript(request);
}

async function openaiTranscript(endpoint: TranscriptionEndpoint, request: SttRequest): Promise<Transcript> {
  const { size } = await stat(request.path);
  if (size > OPENAI_MAX_AUDIO_BYTES) throw new Error(`the recording is ${size} bytes, over the provider's ${OPENAI_MAX_AUDIO_BYTES}`);
  const file = await openaiSdk().toFile(createReadStream(request.path), request.fileName);
  const language = request.language?.split(/[-_]/)[0]?.toLowerCase();
  const answer = await openaiClient(endpoint, { timeoutMs: TIMEOUT_MS }).audio.transcriptions.create({
    file,
    model: endpoint.model,
    response_format: 'json',
    ...(language ? { language } : {}),
  });
  return { text: answer.text.trim(), engine: 'openai', confidence: null };
}

async function offlineTranscript(request: SttRequest): Promise<Transcript> {
  if (request.language && !/^en([-_]|$)/i.test(request.language)) {
    throw new Error(`no transcription provider is set, and the offline recognizer knows English only (asked for ${request.language})`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'stt-'));
  try {
    const wav = join(dir, 'recognizer.wav');
    await toRecognizerWav(request.path, wav);
    const { text, confidence } = await recognizeWav(wav);
    return { text, engine: 'pocketsphinx', confidence };
  } finally {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}
