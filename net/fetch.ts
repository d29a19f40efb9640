/**
 * A flow's request through the guarded client (net/guarded-fetch.ts): the host allow-list on the
 * URL and on every redirect hop, the address policy, a timeout, activity cancellation and a
 * response size cap. Shared by httpRequest nodes and LLM tools.
 */
import type { Config } from '../core/config';
import { guardedFetch, isPermanentRefusal, OutboundTimeoutError } from './guarded-fetch';
import { assertHostListed, flowPolicy, HostNotAllowedError } from './allowlist';

export const MAX_RESPONSE_BYTES = 1_000_000;
const MAX_REDIRECTS = 3;

export class RequestTimeoutError extends Error {
  constructor(ms: number) {
    super(`request timed out after ${ms} ms`);
    this.name = 'RequestTimeoutError';
  }
}

export interface SafeResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  truncated: boolean;
}

export interface SafeFetchOptions {
  method: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  allowed: string[];
  config: Config;
  signal?: AbortSignal;
}

/** Failures that are the request's fault (refused host or address, timeout, oversized, redirect loop): no retry will help. */
export const isRefusal = (err: unknown): err is Error => err instanceof HostNotAllowedError || err instanceof RequestTimeoutError || isPermanentRefusal(err);

export async function safeFetch(url: string, opts: SafeFetchOptions): Promise<SafeResponse> {
  const method = opts.method.toUpperCase();
  try {
    const res = await guardedFetch(
      url,
      { method, headers: opts.headers, body: method === 'GET' || method === 'HEAD' ? undefined : opts.body, signal: opts.signal },
      // The body is read up to MAX_RESPONSE_BYTES below (then cut, not refused); the client's own cap is the backstop.
      { policy: flowPolicy(opts.config), timeoutMs: opts.timeoutMs, maxRedirects: MAX_REDIRECTS, onHop: (hop) => assertHostListed(hop, opts.allowed) },
    );
    const { text, truncated } = await readCapped(res);
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => (headers[name] = value));
    return { status: res.status, headers, text, truncated };
  } catch (err) {
    if (err instanceof OutboundTimeoutError) throw new RequestTimeoutError(opts.timeoutMs);
    throw err;
  }
}

async function readCapped(res: Response): Promise<{ text: string; truncated: boolean }> {
  if (!res.body) return { text: '', truncated: false };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const next = await reader.read();
    if (next.done) return { text: Buffer.concat(chunks).toString('utf8'), truncated: false };
    chunks.push(next.value);
    size += next.value.byteLength;
    if (size > MAX_RESPONSE_BYTES) break;
  }
  await reader.cancel().catch(() => undefined);
  return { text: Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES).toString('utf8'), truncated: true };
}
