/**
 * ElevenLabs text-to-speech through `@elevenlabs/elevenlabs-js`, pointed at the endpoint's base
 * URL (the real API, or the local fake in tests) over the guarded fetch. Temporal owns retries,
 * so the SDK makes none; its errors become classified RenderProviderErrors: 401 a wrong key,
 * 422 a refused request, 429 (too many concurrent requests, or a quota) and 5xx transient,
 * except a `quota_exceeded` 401/429, which is the account's quota.
 */
import { createRequire } from 'node:module';
import type { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import type { VoiceSettings } from '../core/renders';
import { guardedFetcher, refusalIn } from '../net/guarded-fetch';
import type { SpeechEndpoint } from './endpoints';
import { classOfStatus, RenderProviderError } from './errors';

/** MP3 as D-ID and the browsers take it; 44.1 kHz 128 kbit/s is ElevenLabs' default. */
export const ELEVENLABS_OUTPUT_FORMAT = 'mp3_44100_128' as const;
const TIMEOUT_SECONDS = 120;

let sdk: typeof import('@elevenlabs/elevenlabs-js') | undefined;
/** Loaded at the first call rather than at every process start. */
const elevenLabsSdk = () => (sdk ??= createRequire(import.meta.url)('@elevenlabs/elevenlabs-js'));

export function elevenLabsClient(endpoint: SpeechEndpoint): ElevenLabsClient {
  const { ElevenLabsClient } = elevenLabsSdk();
  return new ElevenLabsClient({
    apiKey: endpoint.apiKey,
    baseUrl: endpoint.baseURL.replace(/\/+$/, ''),
    maxRetries: 0,
    timeoutInSeconds: TIMEOUT_SECONDS,
    fetch: guardedFetcher({ policy: endpoint.policy, timeoutMs: 0 }),
  });
}

export interface SpeechRequest {
  voiceId: string;
  modelId: string;
  settings: VoiceSettings;
  text: string;
}

/** The request body both endpoints take: text, model, MP3 output and the voice's settings. */
const speechBody = ({ settings: s, text, modelId }: SpeechRequest) => ({
  text,
  modelId,
  outputFormat: ELEVENLABS_OUTPUT_FORMAT,
  voiceSettings: { stability: s.stability, similarityBoost: s.similarityBoost, style: s.style, useSpeakerBoost: s.useSpeakerBoost, speed: s.speed },
});

/**
 * Streaming synthesis (`POST /v1/text-to-speech/{voice_id}/stream`): the MP3 arrives in chunks
 * as it is spoken. Errors before and during the stream come out classified.
 */
export async function* elevenLabsSpeechStream(endpoint: SpeechEndpoint, request: SpeechRequest): AsyncGenerator<Uint8Array> {
  try {
    const stream = await elevenLabsClient(endpoint).textToSpeech.stream(request.voiceId, speechBody(request));
    for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) yield chunk;
  } catch (err) {
    throw classifyElevenLabs(err);
  }
}

/** One synthesis: the MP3 bytes. */
export async function elevenLabsSpeech(endpoint: SpeechEndpoint, request: SpeechRequest): Promise<Buffer> {
  try {
    const stream = await elevenLabsClient(endpoint).textToSpeech.convert(request.voiceId, speechBody(request));
    const chunks: Uint8Array[] = [];
    for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
    const audio = Buffer.concat(chunks);
    if (audio.length === 0) throw new RenderProviderError('transient', 'ElevenLabs answered with no audio');
    return audio;
  } catch (err) {
    throw classifyElevenLabs(err);
  }
}

export interface ProviderVoice {
  voiceId: string;
  name: string;
  category: string | null;
  previewUrl: string | null;
}

/** The account's voices (`GET /v1/voices`), for the voice picker and the connection test. */
export async function elevenLabsVoices(endpoint: SpeechEndpoint): Promise<ProviderVoice[]> {
  try {
    const answer = await elevenLabsClient(endpoint).voices.getAll();
    return answer.voices.map((v) => ({ voiceId: v.voiceId, name: v.name ?? v.voiceId, category: v.category ?? null, previewUrl: v.previewUrl ?? null }));
  } catch (err) {
    throw classifyElevenLabs(err);
  }
}

/** ElevenLabs' error body: `{detail: {status, message}}`, or a 422's `{detail: [{loc, msg, type}]}`. */
function detailOf(body: unknown): { status?: string; message?: string } {
  const detail = (body as { detail?: unknown } | null)?.detail;
  if (Array.isArray(detail)) {
    const first = detail[0] as { loc?: unknown[]; msg?: string } | undefined;
    return { status: 'validation_error', message: first ? `${(first.loc ?? []).join('.')}: ${first.msg ?? 'invalid'}` : 'invalid request' };
  }
  if (detail && typeof detail === 'object') return detail as { status?: string; message?: string };
  return typeof detail === 'string' ? { message: detail } : {};
}

export function classifyElevenLabs(err: unknown): Error {
  if (err instanceof RenderProviderError) return err;
  const { ElevenLabsError, ElevenLabsTimeoutError } = elevenLabsSdk();
  if (err instanceof ElevenLabsTimeoutError) return new RenderProviderError('transient', 'ElevenLabs did not answer in time');
  const answered = err instanceof ElevenLabsError ? (err as { statusCode?: number; body?: unknown }) : null;
  if (answered && typeof answered.statusCode === 'number') {
    const detail = detailOf(answered.body);
    const cls = detail.status === 'quota_exceeded' ? 'quota' : classOfStatus(answered.statusCode);
    const what = detail.message ?? detail.status ?? 'no detail';
    return new RenderProviderError(cls, `ElevenLabs answered HTTP ${answered.statusCode}: ${what}`);
  }
  // No answer at all (refused, reset): worth another attempt. Address-policy refusals are not.
  const refused = refusalIn(err);
  if (refused) return new RenderProviderError('invalid_request', `ElevenLabs: ${refused.message}`);
  return new RenderProviderError('transient', `ElevenLabs could not be reached: ${(err as Error).message}`);
}
