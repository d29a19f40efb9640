/** One delivery attempt over HTTP, through the guarded client: signed, timed, the answer summarized for the log. */
import { stripUnstorable } from '../core/text';
import { WEBHOOK_HEADERS, type WebhookPayload } from '../core/webhooks';
import type { AddressPolicy } from '../net/address-policy';
import { guardedFetch } from '../net/guarded-fetch';
import { signatureHeader } from './signature';

/** What the delivery log keeps of a receiver's answer. */
export const EXCERPT_CHARS = 500;
const MAX_RESPONSE_BYTES = 64 * 1024;

export interface AttemptResult {
  statusCode: number | null;
  latencyMs: number;
  responseExcerpt: string | null;
  error: string | null;
  retryAfter: string | null;
}

export const isSuccess = (r: AttemptResult) => r.statusCode !== null && r.statusCode >= 200 && r.statusCode < 300;

export async function sendAttempt(opts: { url: string; secret: string; deliveryId: string; payload: WebhookPayload; policy: AddressPolicy; timeoutMs: number }): Promise<AttemptResult> {
  const body = JSON.stringify(opts.payload);
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  try {
    const res = await guardedFetch(
      opts.url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Switchboard-Webhooks/1',
          [WEBHOOK_HEADERS.signature]: signatureHeader(opts.secret, body),
          [WEBHOOK_HEADERS.deliveryId]: opts.deliveryId,
          [WEBHOOK_HEADERS.eventType]: opts.payload.type,
        },
        body,
      },
      // Redirects are not followed: a receiver moves by editing its subscription, not by a 3xx.
      { policy: opts.policy, timeoutMs: opts.timeoutMs, maxRedirects: 0, maxBytes: MAX_RESPONSE_BYTES },
    );
    const text = await res.text().catch((err: Error) => `(body unreadable: ${err.message})`);
    return { statusCode: res.status, latencyMs: latency(), responseExcerpt: text ? stripUnstorable(text.slice(0, EXCERPT_CHARS)) : null, error: null, retryAfter: res.headers.get('retry-after') };
  } catch (err) {
    return { statusCode: null, latencyMs: latency(), responseExcerpt: null, error: stripUnstorable(String((err as Error).message ?? err).slice(0, EXCERPT_CHARS)), retryAfter: null };
  }
}
