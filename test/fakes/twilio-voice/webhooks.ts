/**
 * How the fake Twilio calls the application: every request signed with X-Twilio-Signature exactly
 * as Twilio computes it (channels/twilio/signature.ts), POST form bodies or GET query strings,
 * Twilio's 15 s timeout, and the request parameters every voice webhook carries.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { twilioSignature } from '../../../channels/twilio/signature';

/** Twilio waits this long for a TwiML answer before it gives up (error 11205 / 11200). */
export const TWILIO_TIMEOUT_MS = 15_000;

export type WebhookKind = 'voice' | 'gather' | 'dial' | 'record' | 'redirect' | 'status' | 'recording-status' | 'transcription' | 'amd' | 'whisper' | 'modify';

export interface WebhookExchange {
  kind: WebhookKind;
  method: 'GET' | 'POST';
  url: string;
  params: Record<string, string>;
  /** HTTP status, or 0 when the request failed (connection error, timeout). */
  status: number;
  contentType: string | null;
  body: string;
  /** Time from sending the request to the whole answer read, ms. */
  ms: number;
  error?: string;
}

export async function sendWebhook(
  kind: WebhookKind,
  url: string,
  method: 'GET' | 'POST',
  authToken: string,
  params: Record<string, string>,
  timeoutMs = TWILIO_TIMEOUT_MS,
): Promise<WebhookExchange> {
  const target = method === 'GET' ? withQuery(url, params) : url;
  const signature = method === 'GET' ? twilioSignature(authToken, target, {}) : twilioSignature(authToken, url, params);
  const started = performance.now();
  try {
    const res = await fetch(target, {
      method,
      headers: {
        ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        'x-twilio-signature': signature,
        'user-agent': 'TwilioProxy/1.1',
        accept: '*/*',
      },
      body: method === 'POST' ? new URLSearchParams(params).toString() : undefined,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'follow',
    });
    const body = await res.text();
    return { kind, method, url, params, status: res.status, contentType: res.headers.get('content-type'), body, ms: performance.now() - started };
  } catch (err) {
    const timedOut = (err as Error).name === 'TimeoutError';
    return { kind, method, url, params, status: 0, contentType: null, body: '', ms: performance.now() - started, error: timedOut ? `no answer within ${timeoutMs} ms` : String((err as Error).cause ?? err) };
  }
}

const withQuery = (url: string, params: Record<string, string>) => {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) u.searchParams.append(k, v);
  return u.toString();
};

/** Relative URLs in TwiML resolve against the URL of the document that holds them, as in a browser. */
export const resolveUrl = (ref: string, documentUrl: string | null): string => (documentUrl ? new URL(ref, documentUrl).toString() : new URL(ref).toString());

export const method = (value: string | undefined): 'GET' | 'POST' => (value?.toUpperCase() === 'GET' ? 'GET' : 'POST');

/** Twilio's date format in callbacks and resources (RFC 2822, +0000). */
export const rfc2822 = (d: Date) => d.toUTCString().replace('GMT', '+0000');

/** The geographic fields Twilio adds for a number (the country from its prefix; city/state/zip empty). */
export function geo(prefix: 'From' | 'To' | 'Caller' | 'Called', number: string): Record<string, string> {
  // Fictional numbers (+1 555…) have no single country; Twilio still names the prefix's main one.
  const parsed = parsePhoneNumberFromString(number);
  const country = parsed?.country ?? parsed?.getPossibleCountries()[0] ?? '';
  return { [`${prefix}City`]: '', [`${prefix}State`]: '', [`${prefix}Zip`]: '', [`${prefix}Country`]: country };
}
