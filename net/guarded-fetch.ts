/**
 * The one outbound HTTP client. Every hop is checked by the address policy and connected to the
 * very address that was checked: the undici Agent's `connect.lookup` is the checking resolver, so
 * there is no second DNS answer for a rebinding server to change (TLS still verifies the host
 * name, which undici passes as servername). Redirects are followed here, one hop at a time, each
 * hop checked again (and `onHop` asked, for host allow-lists), credentials dropped when the origin
 * changes. Bodies are capped while streaming, and the whole exchange has a deadline.
 */
import type { LookupAddress, LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import { Agent, fetch as undiciFetch, type RequestInit as UndiciRequestInit } from 'undici';
import { clientSpan } from '../telemetry/spans';
import { normalizeHost, OutboundRefusedError, resolveChecked, type AddressPolicy } from './address-policy';

export const DEFAULT_TIMEOUT_MS = 30_000;
/** A backstop for callers without a cap of their own (model answers, provider JSON). */
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;

export interface GuardOptions {
  policy: AddressPolicy;
  /** Whole exchange, body included; 0 = none (the caller has its own, e.g. a streamed completion). */
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  /** Asked before each hop (the first included); throws to refuse the URL. */
  onHop?: (url: URL) => void | Promise<void>;
}

export class ResponseTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the response is larger than ${maxBytes} bytes`);
    this.name = 'ResponseTooLargeError';
  }
}

export class TooManyRedirectsError extends Error {
  constructor(readonly max: number) {
    super(`more than ${max} redirects`);
    this.name = 'TooManyRedirectsError';
  }
}

export class OutboundTimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`no complete answer within ${ms} ms`);
    this.name = 'OutboundTimeoutError';
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `net.connect` lookup that answers only checked addresses. */
export function checkingLookup(policy: AddressPolicy) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback) => {
    resolveChecked(policy, hostname).then(
      (addresses) => {
        const all = addresses.map((address) => ({ address, family: isIP(address) })).filter((a) => !options.family || a.family === options.family);
        if (all.length === 0) return callback(Object.assign(new Error(`${hostname} has no address of family ${options.family}`), { code: 'ENOTFOUND' }), '');
        if (options.all) callback(null, all);
        else callback(null, all[0].address, all[0].family);
      },
      (err: NodeJS.ErrnoException) => callback(err, ''),
    );
  };
}

const agents = new WeakMap<AddressPolicy, Agent>();
function agentFor(policy: AddressPolicy): Agent {
  let agent = agents.get(policy);
  if (!agent) agents.set(policy, (agent = new Agent({ connect: { lookup: checkingLookup(policy) } })));
  return agent;
}

const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

/**
 * fetch through the policy; answers the final response (3xx only when redirects ran out of `Location`).
 * Traced as a client span naming the method, host and status (never the path or query: a Telegram
 * bot token travels in the path, other keys in queries).
 */
export async function guardedFetch(input: string | URL, init: RequestInit, opts: GuardOptions): Promise<Response> {
  const url = new URL(input);
  const method = (init.method ?? 'GET').toUpperCase();
  const attributes = { 'http.request.method': method, 'server.address': url.hostname, 'url.scheme': url.protocol.replace(':', '') };
  return clientSpan(`HTTP ${method}`, attributes, async (span) => {
    const res = await fetchGuarded(url, init, opts);
    span.setAttribute('http.response.status_code', res.status);
    return res;
  });
}

async function fetchGuarded(input: URL, init: RequestInit, opts: GuardOptions): Promise<Response> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined;
  const signal = deadline && init.signal ? AbortSignal.any([deadline, init.signal]) : (deadline ?? init.signal ?? undefined);
  const maxRedirects = opts.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  let url = new URL(input);
  let method = (init.method ?? 'GET').toUpperCase();
  let body = init.body;
  let headers = new Headers(init.headers);
  if (body instanceof FormData) {
    // undici's fetch does not know the platform's FormData class (it would send "[object FormData]"):
    // the form is encoded here, boundary header and all (an upload, e.g. a recording to transcribe).
    const encoded = new Response(body);
    headers.set('content-type', encoded.headers.get('content-type')!);
    body = Buffer.from(await encoded.arrayBuffer());
  }
  try {
    for (let hop = 0; ; hop++) {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OutboundRefusedError(url.protocol, 'protocol');
      await opts.onHop?.(url);
      // Address literals never reach the lookup (net.connect skips it): checked here instead.
      if (isIP(normalizeHost(url.hostname))) await resolveChecked(opts.policy, url.hostname);
      const res = (await undiciFetch(url, {
        ...(init as UndiciRequestInit),
        method,
        headers: plainHeaders(headers),
        body: body as UndiciRequestInit['body'],
        redirect: 'manual',
        signal,
        dispatcher: agentFor(opts.policy),
      })) as unknown as Response;
      const location = res.status >= 300 && res.status < 400 ? res.headers.get('location') : null;
      if (!location) return capped(res, opts.maxBytes ?? DEFAULT_MAX_BYTES);
      await res.body?.cancel().catch(() => undefined);
      if (hop >= maxRedirects) throw new TooManyRedirectsError(maxRedirects);
      const next = new URL(location, url);
      if (next.origin !== url.origin) {
        headers = new Headers(headers);
        for (const name of CREDENTIAL_HEADERS) headers.delete(name);
      }
      // 303, and 301/302 after a POST, continue as a GET without a body (as browsers and fetch do).
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
        [method, body] = ['GET', undefined];
        headers.delete('content-type');
        headers.delete('content-length');
      }
      url = next;
    }
  } catch (err) {
    if (deadline?.aborted && !init.signal?.aborted) throw new OutboundTimeoutError(timeoutMs);
    // A refusal raised inside undici's connect surfaces as `TypeError: fetch failed` with it as the cause.
    throw refusalIn(err) ?? err;
  }
}

function plainHeaders(headers: Headers): Record<string, string> {
  const plain: Record<string, string> = {};
  headers.forEach((value, name) => (plain[name] = value));
  return plain;
}

const NULL_BODY = new Set([101, 103, 204, 205, 304]);

function capped(res: Response, maxBytes: number): Response {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    void res.body?.cancel().catch(() => undefined);
    throw new ResponseTooLargeError(maxBytes);
  }
  if (!res.body || NULL_BODY.has(res.status)) return res;
  let size = 0;
  const limited = res.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        size += chunk.byteLength;
        if (size > maxBytes) controller.error(new ResponseTooLargeError(maxBytes));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Response(limited, { status: res.status, statusText: res.statusText, headers: res.headers });
}

/** A `fetch` with the guard built in, for SDKs that take one (the `openai` client). */
export function guardedFetcher(opts: GuardOptions): typeof fetch {
  return ((input: string | URL | Request, init?: RequestInit) => {
    if (input instanceof Request) return guardedFetch(input.url, { method: input.method, headers: input.headers, body: input.body, signal: input.signal, ...init }, opts);
    return guardedFetch(input, init ?? {}, opts);
  }) as typeof fetch;
}

/** Failures the same request would meet again (refused address, oversized answer, redirect loop): not worth a retry. */
export const isPermanentRefusal = (err: unknown): err is Error =>
  err instanceof OutboundRefusedError || err instanceof ResponseTooLargeError || err instanceof TooManyRedirectsError;

/** Such a failure, wherever a library wrapped it (undici's `fetch failed`, the openai SDK's connection error). */
export function refusalIn(err: unknown): Error | null {
  for (let e = err as { cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (isPermanentRefusal(e)) return e;
  }
  return null;
}
