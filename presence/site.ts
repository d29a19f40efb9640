/**
 * How the grader reads a site: every request through the guarded HTTP client (net/guarded-fetch.ts)
 * under the deployment's address policy (the operator's OUTBOUND_ALLOWED_PRIVATE opens private
 * addresses; nothing else does), with a per-request deadline and a body cap. Each hop of a
 * redirect chain is recorded (the client's `onHop`), so a loop names its URLs. Answers are kept per
 * audit for a couple of minutes: modules running in parallel in one worker load the homepage once.
 */
import { load, type CheerioAPI } from 'cheerio/slim';
import type { Config } from '../core/config';
import { configPolicy, OutboundRefusedError } from '../net/address-policy';
import { guardedFetch, OutboundTimeoutError, ResponseTooLargeError, TooManyRedirectsError } from '../net/guarded-fetch';

export const USER_AGENT = 'SwitchboardPresenceGrader/1 (+https://switchboard.dev/grader)';
export const PAGE_MAX_BYTES = 5 * 1024 * 1024;
export const REQUEST_TIMEOUT_MS = 8_000;
export const MAX_REDIRECTS = 5;

export type FetchErrorKind = 'timeout' | 'refused' | 'tls' | 'redirects' | 'too-large' | 'network';

export interface FetchedPage {
  requestedUrl: string;
  /** Every URL asked for, in order (the first is the requested one): a redirect chain. */
  hops: string[];
  finalUrl: string | null;
  status: number | null;
  headers: Record<string, string>;
  /** The body as text (HEAD requests and failures: empty). */
  body: string;
  bytes: number;
  /** Whole exchange, body included. */
  ms: number;
  error: string | null;
  errorKind: FetchErrorKind | null;
}

export interface FetchOptions {
  method?: 'GET' | 'HEAD';
  timeoutMs?: number;
  maxBytes?: number;
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL|HOSTNAME_MISMATCH|ALTNAME|EPROTO/i;

/** A failure as a fixed kind and a sentence safe to show (never a remote body). */
export function classifyFetchError(err: unknown, timeoutMs: number): { kind: FetchErrorKind; message: string } {
  if (err instanceof OutboundTimeoutError) return { kind: 'timeout', message: `no complete answer within ${timeoutMs} ms` };
  if (err instanceof OutboundRefusedError) return { kind: 'refused', message: err.message };
  if (err instanceof TooManyRedirectsError) return { kind: 'redirects', message: err.message };
  if (err instanceof ResponseTooLargeError) return { kind: 'too-large', message: err.message };
  for (let e = err as { cause?: unknown; code?: unknown; message?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (TLS_CODES.test(code)) return { kind: 'tls', message: `TLS failed: ${code}${typeof e.message === 'string' ? ` (${e.message})` : ''}` };
    if (e instanceof OutboundRefusedError) return { kind: 'refused', message: e.message };
    if (e instanceof OutboundTimeoutError) return { kind: 'timeout', message: `no complete answer within ${timeoutMs} ms` };
    if (code) return { kind: 'network', message: `could not connect: ${code}` };
  }
  return { kind: 'network', message: err instanceof Error ? err.message : String(err) };
}

async function readText(res: Response, maxBytes: number): Promise<{ text: string; bytes: number }> {
  if (!res.body) return { text: '', bytes: 0 };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const next = await reader.read();
    if (next.done) break;
    bytes += next.value.byteLength;
    if (bytes <= maxBytes) chunks.push(next.value);
    else {
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  return { text: Buffer.concat(chunks).toString('utf8'), bytes };
}

/** One request through the guarded client; never throws (a failure is the page's `error`). */
export async function fetchPage(config: Config, url: string, opts: FetchOptions = {}): Promise<FetchedPage> {
  const timeoutMs = opts.timeoutMs ?? REQUEST_TIMEOUT_MS;
  const method = opts.method ?? 'GET';
  const hops: string[] = [];
  const started = performance.now();
  const base = { requestedUrl: url, hops, headers: {}, body: '', bytes: 0 };
  try {
    const res = await guardedFetch(
      url,
      { method, headers: { 'user-agent': USER_AGENT, accept: method === 'GET' ? 'text/html,application/xhtml+xml,*/*;q=0.8' : '*/*' } },
      { policy: configPolicy(config), timeoutMs, maxRedirects: MAX_REDIRECTS, maxBytes: opts.maxBytes ?? PAGE_MAX_BYTES, onHop: (hop) => void hops.push(hop.toString()) },
    );
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => (headers[name] = value));
    const { text, bytes } = method === 'HEAD' ? { text: '', bytes: Number(headers['content-length'] ?? 0) || 0 } : await readText(res, opts.maxBytes ?? PAGE_MAX_BYTES);
    return { ...base, finalUrl: hops.at(-1) ?? url, status: res.status, headers, body: text, bytes, ms: Math.round(performance.now() - started), error: null, errorKind: null };
  } catch (err) {
    const { kind, message } = classifyFetchError(err, timeoutMs);
    return { ...base, finalUrl: null, status: null, ms: Math.round(performance.now() - started), error: message, errorKind: kind };
  }
}

/** The homepage, loaded and parsed once per audit. */
export interface HomePage {
  page: FetchedPage;
  /** The parsed document; null when the page did not load or is not HTML. */
  $: CheerioAPI | null;
  /** Where relative links resolve from (the final URL). */
  base: URL | null;
}

export interface SiteReader {
  url: string;
  config: Config;
  fetch(url: string, opts?: FetchOptions): Promise<FetchedPage>;
  home(): Promise<HomePage>;
}

const isHtml = (page: FetchedPage) => page.status !== null && /html|xml/i.test(page.headers['content-type'] ?? 'text/html');

function readerFor(config: Config, url: string): SiteReader {
  const answers = new Map<string, Promise<FetchedPage>>();
  let home: Promise<HomePage> | null = null;
  const reader: SiteReader = {
    url,
    config,
    fetch(target, opts = {}) {
      const key = `${opts.method ?? 'GET'} ${target}`;
      let answer = answers.get(key);
      if (!answer) answers.set(key, (answer = fetchPage(config, target, opts)));
      return answer;
    },
    home() {
      home ??= reader.fetch(url).then((page) => ({
        page,
        $: page.error === null && isHtml(page) ? load(page.body) : null,
        base: page.finalUrl ? new URL(page.finalUrl) : null,
      }));
      return home;
    },
  };
  return reader;
}

/** Kept this long after an audit last asked, so parallel modules share one load of each URL. */
const KEEP_MS = 120_000;
const readers = new Map<string, { reader: SiteReader; at: number }>();

/** The audit's reader (shared by its modules in this process). */
export function siteReader(config: Config, auditId: string, url: string): SiteReader {
  const now = Date.now();
  for (const [key, kept] of readers) if (now - kept.at > KEEP_MS) readers.delete(key);
  const key = `${auditId} ${url}`;
  let kept = readers.get(key);
  if (!kept) readers.set(key, (kept = { reader: readerFor(config, url), at: now }));
  kept.at = now;
  return kept.reader;
}

/** `href` resolved against the page, http(s) only, without its fragment; null for mailto:, tel:, javascript: and junk. */
export function resolveLink(href: string | undefined, base: URL): URL | null {
  if (!href) return null;
  try {
    const url = new URL(href.trim(), base);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    url.hash = '';
    return url;
  } catch {
    return null;
  }
}
