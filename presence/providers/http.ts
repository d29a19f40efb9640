/**
 * The one request helper the three adapters share: the guarded client (net/), a deadline and a
 * size cap, JSON in and out, and a failure turned into a `ListingProviderError` by the adapter's
 * own reading of its error body. Keys travel in headers (Google, Yelp) or the query (Graph's
 * `access_token`); the span the guarded client records names only the host, never the query.
 */
import { guardedFetch, OutboundTimeoutError, refusalIn } from '../../net/guarded-fetch';
import { ListingProviderError, type ListingEndpoint, type ListingErrorCode, type ListingSource } from './types';

const TIMEOUT_MS = 10_000;
const MAX_BYTES = 2 * 1024 * 1024;

/** The class of an HTTP status when the provider's body says nothing better. */
export function codeOfStatus(status: number): ListingErrorCode {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'unavailable';
  return 'bad_request';
}

export type ErrorReader = (status: number, body: unknown) => ListingProviderError;

export async function providerJson<T>(
  source: ListingSource,
  endpoint: ListingEndpoint,
  path: string,
  init: { method?: 'GET' | 'POST'; headers?: Record<string, string>; query?: Record<string, string | undefined>; body?: unknown },
  readError: ErrorReader,
): Promise<T> {
  const url = new URL(`${endpoint.baseURL.replace(/\/+$/, '')}${path}`);
  for (const [k, v] of Object.entries(init.query ?? {})) if (v !== undefined && v !== '') url.searchParams.set(k, v);
  let res: Response;
  try {
    res = await guardedFetch(
      url,
      {
        method: init.method ?? 'GET',
        headers: { accept: 'application/json', ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      },
      { policy: endpoint.policy, timeoutMs: endpoint.timeoutMs ?? TIMEOUT_MS, maxBytes: MAX_BYTES },
    );
  } catch (err) {
    const refused = refusalIn(err);
    if (refused) throw new ListingProviderError(source, 'refused', `${source}: ${refused.message}`);
    if (err instanceof OutboundTimeoutError) throw new ListingProviderError(source, 'unavailable', `${source} did not answer in time`);
    throw new ListingProviderError(source, 'unavailable', `${source} could not be reached`);
  }
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // A proxy's HTML page: the status says enough.
  }
  if (!res.ok) throw readError(res.status, parsed);
  if (parsed === undefined || typeof parsed !== 'object' || parsed === null) throw new ListingProviderError(source, 'unavailable', `${source} answered something that is not JSON`, res.status);
  return parsed as T;
}
