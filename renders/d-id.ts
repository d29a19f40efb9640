/**
 * D-ID's REST API, the parts a render needs: `POST /talks` (a presenter image + a script, our own
 * speech as `{type: 'audio', audio_url}` or D-ID's TTS as `{type: 'text', provider}`), `POST
 * /clips` for D-ID's stock presenters (`presenter_id`), `GET` of one job and of the recent list
 * (to find a job by the `user_data` we stored before creating it), and `GET /credits`. Basic
 * auth with the account's key. Errors come back classified (renders/errors.ts); D-ID's bodies are
 * `{kind, description}`.
 */
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { guardedFetch, OutboundTimeoutError, refusalIn } from '../net/guarded-fetch';
import type { ProviderEndpoint } from './endpoints';
import { classOfStatus, RenderProviderError, retryAfterSeconds } from './errors';

export type DidJobKind = 'talks' | 'clips';
export type DidStatus = 'created' | 'started' | 'done' | 'error' | 'rejected';

export interface DidJob {
  id: string;
  status: DidStatus;
  result_url?: string;
  duration?: number;
  user_data?: string;
  error?: { kind?: string; description?: string };
}

export type DidScript =
  | { type: 'audio'; audio_url: string }
  | { type: 'text'; input: string; provider?: { type: 'microsoft' | 'elevenlabs' | 'amazon'; voice_id: string } };

export interface DidCreate {
  kind: DidJobKind;
  /** talks: the presenter image URL. */
  sourceUrl?: string;
  /** clips: a D-ID presenter. */
  presenterId?: string;
  script: DidScript;
  /** Our idempotency key: found again in the job list after a crash between create and store. */
  userData: string;
  webhook?: string;
  background?: string;
}

const TIMEOUT_MS = 30_000;
/** A rendered talk is a few MB a minute; anything past this is not one. */
export const DID_RESULT_MAX_BYTES = 512 * 1024 * 1024;

/** D-ID issues keys as `user:secret`; Basic auth sends them base64-encoded (an already encoded key is sent as is). */
export const didAuthorization = (apiKey: string) => `Basic ${apiKey.includes(':') ? Buffer.from(apiKey).toString('base64') : apiKey}`;

async function call<T>(endpoint: ProviderEndpoint, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await guardedFetch(
      `${endpoint.baseURL.replace(/\/+$/, '')}${path}`,
      {
        method,
        headers: { authorization: didAuthorization(endpoint.apiKey), accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      },
      { policy: endpoint.policy, timeoutMs: TIMEOUT_MS, maxBytes: 4 * 1024 * 1024 },
    );
  } catch (err) {
    throw unreachable(err);
  }
  const text = await res.text();
  if (res.ok) return JSON.parse(text) as T;
  let parsed: { kind?: string; description?: string } = {};
  try {
    parsed = JSON.parse(text);
  } catch {
    // A proxy's HTML error page: the status says enough.
  }
  throw classifyDid(res.status, parsed.kind, parsed.description, retryAfterSeconds(res.headers.get('retry-after')));
}

function unreachable(err: unknown): RenderProviderError {
  const refused = refusalIn(err);
  if (refused) return new RenderProviderError('invalid_request', `D-ID: ${refused.message}`);
  if (err instanceof OutboundTimeoutError) return new RenderProviderError('transient', 'D-ID did not answer in time');
  return new RenderProviderError('transient', `D-ID could not be reached: ${(err as Error).message}`);
}

/** A refusal's class from D-ID's `kind` first (face, moderation), then the status. */
export function classifyDid(status: number, kind = '', description = '', retryAfterSec?: number): RenderProviderError {
  const words = `${kind} ${description}`;
  const cls = /credit|quota|insufficient/i.test(words) || status === 402
    ? 'quota'
    : /moderat|celebrity|inappropriate|rejected/i.test(words) || status === 451
      ? 'moderation'
      : /face|image|source/i.test(words) && status < 500
        ? 'invalid_image'
        : classOfStatus(status);
  return new RenderProviderError(cls, `D-ID answered HTTP ${status}: ${kind || 'error'}${description ? ` (${description})` : ''}`, retryAfterSec);
}

/** A job that ended badly at D-ID (`error` / `rejected`), classified like an HTTP refusal. */
export function jobFailure(job: DidJob): RenderProviderError {
  const kind = job.error?.kind ?? (job.status === 'rejected' ? 'ModerationRejected' : 'RenderError');
  const description = job.error?.description ?? '';
  // A failed render with no specific kind (or an internal one) is D-ID's trouble, not ours: another attempt may work.
  const status = job.status === 'rejected' ? 451 : !job.error?.kind || /internal|server|unknown|render|timeout/i.test(kind) ? 500 : 400;
  const base = classifyDid(status, kind, description);
  return new RenderProviderError(base.errorClass, `D-ID could not render the video: ${kind}${description ? ` (${description})` : ''}`);
}

export async function createDidJob(endpoint: ProviderEndpoint, input: DidCreate): Promise<DidJob> {
  const body = {
    ...(input.kind === 'talks' ? { source_url: input.sourceUrl } : { presenter_id: input.presenterId, ...(input.background ? { background: { color: input.background } } : {}) }),
    script: input.script,
    config: input.kind === 'talks' ? { result_format: 'mp4', stitch: true, fluent: true } : { result_format: 'mp4' },
    user_data: input.userData,
    name: input.userData,
    ...(input.webhook ? { webhook: input.webhook } : {}),
  };
  return call<DidJob>(endpoint, 'POST', `/${input.kind}`, body);
}

export const getDidJob = (endpoint: ProviderEndpoint, kind: DidJobKind, id: string) => call<DidJob>(endpoint, 'GET', `/${kind}/${encodeURIComponent(id)}`);

/** The job created with `userData`, among the account's most recent ones (D-ID has no idempotency key of its own). */
export async function findDidJob(endpoint: ProviderEndpoint, kind: DidJobKind, userData: string): Promise<DidJob | null> {
  const page = await call<{ talks?: DidJob[]; clips?: DidJob[] }>(endpoint, 'GET', `/${kind}?limit=100`);
  return (page[kind] ?? []).find((j) => j.user_data === userData) ?? null;
}

export const didRemainingCredits = (endpoint: ProviderEndpoint) => call<{ remaining: number; total: number }>(endpoint, 'GET', '/credits');

/** Streams a finished job's video to `path` (size-capped). */
export async function downloadDidResult(endpoint: ProviderEndpoint, resultUrl: string, path: string): Promise<void> {
  let res: Response;
  try {
    res = await guardedFetch(resultUrl, {}, { policy: endpoint.policy, timeoutMs: 10 * 60_000, maxBytes: DID_RESULT_MAX_BYTES });
  } catch (err) {
    throw unreachable(err);
  }
  if (!res.ok || !res.body) throw new RenderProviderError(res.status >= 500 || res.status === 429 ? 'transient' : 'invalid_request', `the rendered video could not be downloaded: HTTP ${res.status}`);
  try {
    await pipeline(Readable.fromWeb(res.body as unknown as WebReadableStream), createWriteStream(path));
  } catch (err) {
    throw unreachable(err);
  }
}
