/**
 * A minimal Graph API client: JSON calls with the bearer token, binary downloads, and the mapping
 * of Graph errors to ProviderError (retryable: 429, 5xx, throttling codes, network; the rest is
 * permanent). The base URL comes from META_GRAPH_URL so tests run against a local fake; `fetch`
 * is the guarded client (media URLs the Graph API names are address-checked like any other).
 */
import { readCapped, unreachableError } from '../media';
import { ProviderError, type MediaLimits } from '../types';

export interface GraphEnv {
  baseUrl: string;
  version: string;
  fetch: typeof fetch;
}

/** Graph error codes that mean "slow down and try again". */
const THROTTLED = new Set([4, 17, 32, 613, 80007, 130429, 131056]);
/** Downloads and lookups; a send passes its own, shorter timeout (see SEND_TIMEOUT_MS). */
const TIMEOUT_MS = 20_000;
/**
 * A message send, well inside sendChannelMessage's 30 s (up to 10 s of which may go waiting for a
 * rate slot): an attempt that outlives its timeout cannot store the provider id it got.
 */
export const SEND_TIMEOUT_MS = 14_000;

export class GraphClient {
  constructor(
    private readonly env: GraphEnv,
    private readonly token: string,
  ) {}

  url(path: string): string {
    return `${this.env.baseUrl.replace(/\/$/, '')}/${this.env.version}/${path.replace(/^\//, '')}`;
  }

  async call<T = Record<string, unknown>>(method: 'GET' | 'POST', path: string, body?: unknown, opts: { timeoutMs?: number } = {}): Promise<T> {
    const res = await this.send(
      this.url(path),
      {
        method,
        headers: { authorization: `Bearer ${this.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      },
      opts.timeoutMs,
    );
    const text = await res.text();
    let json: any = null;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      json = null;
    }
    if (!res.ok || json?.error) throw graphError(res, json);
    if (json === null) throw new ProviderError(`Graph API answered ${res.status} with a body that is not JSON`, true, { status: res.status });
    return json as T;
  }

  /** Downloads a file the Graph API pointed at (media URLs need the same bearer token). */
  async download(url: string, limits: MediaLimits): Promise<{ data: Buffer; contentType: string }> {
    const res = await this.send(url, { method: 'GET', headers: { authorization: `Bearer ${this.token}` } });
    if (!res.ok) throw graphError(res, await res.json().catch(() => null));
    return { data: await readCapped(res, limits), contentType: res.headers.get('content-type') ?? 'application/octet-stream' };
  }

  private async send(url: string, init: RequestInit, timeoutMs = TIMEOUT_MS): Promise<Response> {
    try {
      return await this.env.fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      throw unreachableError('Graph API unreachable', err);
    }
  }
}

function graphError(res: Response, json: any): ProviderError {
  const error = json?.error ?? {};
  const code = typeof error.code === 'number' ? error.code : undefined;
  const message = `Graph API ${res.status}${code !== undefined ? ` (code ${code}${error.error_subcode ? `/${error.error_subcode}` : ''})` : ''}: ${error.message ?? res.statusText}`;
  const retryable = res.status === 429 || res.status >= 500 || (code !== undefined && THROTTLED.has(code));
  return new ProviderError(message, retryable, { status: res.status, retryAfterMs: retryAfterMs(res.headers.get('retry-after')), code: code !== undefined ? String(code) : undefined });
}

/** `Retry-After` as seconds or an HTTP date. */
export function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
