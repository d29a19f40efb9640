/**
 * fetch with the allowlist applied to the URL and to every redirect hop, a timeout, activity
 * cancellation and a response size cap. Shared by httpRequest nodes and LLM tools.
 */
import { assertHostAllowed } from './allowlist';

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
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

export async function safeFetch(url: string, opts: SafeFetchOptions): Promise<SafeResponse> {
  const doFetch = opts.fetch ?? fetch;
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
  let target = new URL(url);
  let method = opts.method.toUpperCase();
  let body = opts.body;
  try {
    for (let hop = 0; ; hop++) {
      await assertHostAllowed(target, opts.allowed);
      const res = await doFetch(target, { method, headers: opts.headers, body: method === 'GET' || method === 'HEAD' ? undefined : body, redirect: 'manual', signal });
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location && hop < MAX_REDIRECTS) {
        await res.body?.cancel();
        target = new URL(location, target);
        // 303 (and historically 301/302 on POST) turn into GET without a body.
        if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) [method, body] = ['GET', undefined];
        continue;
      }
      const { text, truncated } = await readCapped(res);
      const headers: Record<string, string> = {};
      res.headers.forEach((value, name) => (headers[name] = value));
      return { status: res.status, headers, text, truncated };
    }
  } catch (err) {
    if (timeout.aborted && !opts.signal?.aborted) throw new RequestTimeoutError(opts.timeoutMs);
    throw err;
  }
}

async function readCapped(res: Response): Promise<{ text: string; truncated: boolean }> {
  if (!res.body) return { text: '', truncated: false };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size > MAX_RESPONSE_BYTES) {
      await reader.cancel();
      return { text: Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES).toString('utf8'), truncated: true };
    }
  }
  return { text: Buffer.concat(chunks).toString('utf8'), truncated: false };
}
