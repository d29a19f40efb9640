/**
 * The few Twilio REST calls the SMS channel makes (Messages, Account, Media), with Twilio's
 * error bodies mapped to ProviderError: 429, 5xx and network failures are retryable (honouring
 * Retry-After); everything else Twilio refuses (invalid or unsubscribed numbers, bad credentials)
 * is permanent, because sending the same request again would fail the same way.
 */
import { assertMediaHost, readCapped, unreachableError } from '../media';
import { ProviderError, type MediaLimits } from '../types';
import type { FormParams } from './signature';

export const TWILIO_API_BASE = 'https://api.twilio.com';
const REQUEST_TIMEOUT_MS = 15_000;
/** Twilio codes that mean "slow down" even when the HTTP status is not 429. */
const RATE_LIMIT_CODES = new Set([20429, 14107]);

export interface TwilioAuth {
  accountSid: string;
  authToken: string;
  baseUrl: string;
  /** The guarded client (channels/registry.ts adapterEnv). */
  fetch: typeof fetch;
  /** TWILIO_MEDIA_HOSTS; the API host itself is always one. */
  mediaHosts: readonly string[];
}

/** The fields of Twilio's Message resource the channel reads. */
export interface TwilioMessage {
  sid: string;
  status: string;
  to: string;
  from: string | null;
  body: string;
  messaging_service_sid: string | null;
  direction: string;
  num_media: string;
  /** RFC 2822, whole seconds. */
  date_created: string;
  error_code: number | null;
  error_message: string | null;
}

export interface TwilioAccount {
  sid: string;
  friendly_name: string;
  status: string;
}

/** Twilio's error body: `{code, message, more_info, status}`. */
interface TwilioErrorBody {
  code?: number;
  message?: string;
  more_info?: string;
  status?: number;
}

/** Twilio's Messages API takes no idempotency key: a repeated POST is another message (see the adapter's send). */
export function createMessage(auth: TwilioAuth, form: FormParams): Promise<TwilioMessage> {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) {
    for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  }
  return call<TwilioMessage>(auth, 'POST', `/2010-04-01/Accounts/${auth.accountSid}/Messages.json`, { body });
}

/** The most recent messages of the account to `to` (and from `from`), newest first. */
export async function listMessages(auth: TwilioAuth, filter: { to: string; from?: string }, pageSize = 20): Promise<TwilioMessage[]> {
  const query = new URLSearchParams({ To: filter.to, ...(filter.from ? { From: filter.from } : {}), PageSize: String(pageSize) });
  const page = await call<{ messages?: TwilioMessage[] }>(auth, 'GET', `/2010-04-01/Accounts/${auth.accountSid}/Messages.json?${query}`);
  return page.messages ?? [];
}

export function fetchAccount(auth: TwilioAuth): Promise<TwilioAccount> {
  return call<TwilioAccount>(auth, 'GET', `/2010-04-01/Accounts/${auth.accountSid}.json`);
}

/**
 * Downloads inbound media (MediaUrl{n}). Basic auth is sent only to the configured API host, so
 * a URL elsewhere never receives the credentials; the guarded client drops them on
 * cross-origin redirects (Twilio redirects media to its CDN). The URL must be on the media hosts.
 */
export async function downloadMedia(auth: TwilioAuth, url: string, limits: MediaLimits): Promise<{ data: Buffer; contentType: string }> {
  const apiHost = new URL(auth.baseUrl);
  const target = assertMediaHost(url, [...auth.mediaHosts, apiHost.hostname]);
  const sameHost = target.host === apiHost.host;
  const res = await request(auth, url, {
    method: 'GET',
    headers: sameHost ? { authorization: basicAuth(auth) } : {},
  });
  if (!res.ok) throw await providerErrorFrom(res);
  return { data: await readCapped(res, limits), contentType: res.headers.get('content-type') ?? 'application/octet-stream' };
}

async function call<T>(
  auth: TwilioAuth,
  method: 'GET' | 'POST',
  path: string,
  opts: { body?: URLSearchParams } = {},
): Promise<T> {
  const res = await request(auth, `${auth.baseUrl.replace(/\/+$/, '')}${path}`, {
    method,
    headers: {
      authorization: basicAuth(auth),
      accept: 'application/json',
      ...(opts.body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    body: opts.body?.toString(),
  });
  if (!res.ok) throw await providerErrorFrom(res);
  return (await res.json()) as T;
}

async function request(auth: TwilioAuth, url: string, init: RequestInit): Promise<Response> {
  try {
    return await auth.fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (err) {
    // Connection refused, DNS, TLS, timeout: the request may or may not have reached Twilio; a
    // retried send first looks for the message it may have created (adapter.ts `send`).
    throw unreachableError('Twilio unreachable', err);
  }
}

async function providerErrorFrom(res: Response): Promise<ProviderError> {
  const text = await res.text().catch(() => '');
  let body: TwilioErrorBody = {};
  try {
    body = JSON.parse(text) as TwilioErrorBody;
  } catch {
    // Proxies and load balancers answer with HTML; the status alone decides.
  }
  const code = body.code;
  const retryable = res.status === 429 || res.status >= 500 || (code !== undefined && RATE_LIMIT_CODES.has(code));
  const message = `Twilio ${res.status}${code ? ` (${code})` : ''}: ${body.message ?? (text.slice(0, 200) || res.statusText)}`;
  return new ProviderError(message, retryable, {
    status: res.status,
    code: code !== undefined ? String(code) : undefined,
    retryAfterMs: retryable ? parseRetryAfter(res.headers.get('retry-after')) : undefined,
  });
}

/** Retry-After is delay-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function basicAuth(auth: TwilioAuth): string {
  return `Basic ${Buffer.from(`${auth.accountSid}:${auth.authToken}`).toString('base64')}`;
}

/** One authenticated REST call to Twilio (the voice module places and modifies calls with it: voice/twilio-calls.ts). */
export { call as twilioApiCall };
