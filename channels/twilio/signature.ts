/**
 * Twilio's request signing (X-Twilio-Signature): HMAC-SHA1, keyed by the account's auth token,
 * over the webhook URL exactly as configured followed by every POST parameter sorted by name
 * (name + value), base64. Verification is the `twilio` package's own constant-time check, which
 * also accepts the URL with and without the default port, as Twilio may sign either. Only its
 * webhooks module is loaded: the full SDK costs ~200 ms of start-up for code we do not use.
 */
import { getExpectedTwilioSignature, validateRequest, validateRequestWithBody } from 'twilio/lib/webhooks/webhooks';

/** Form parameters; a name sent more than once keeps all its values (Twilio signs them all). */
export type FormParams = Record<string, string | string[]>;

export function parseForm(body: Buffer | string): FormParams {
  const params: FormParams = {};
  for (const [name, value] of new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8'))) {
    const existing = params[name];
    if (existing === undefined) params[name] = value;
    else params[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return params;
}

/** The first value of a parameter. */
export function formValue(params: FormParams, name: string): string | undefined {
  const value = params[name];
  return Array.isArray(value) ? value[0] : value;
}

export function twilioSignature(authToken: string, url: string, params: FormParams): string {
  return getExpectedTwilioSignature(authToken, url, params);
}

export function isValidTwilioSignature(authToken: string, signature: string | undefined, url: string, params: FormParams): boolean {
  if (!signature) return false;
  return validateRequest(authToken, signature, url, params);
}

/**
 * JSON-body webhooks: Twilio adds `bodySHA256` (hex SHA-256 of the body) to the URL and signs the
 * URL alone; the library checks that signature, then the body against the hash.
 */
export function isValidTwilioBodySignature(authToken: string, signature: string | undefined, url: string, body: Buffer): boolean {
  if (!signature) return false;
  return validateRequestWithBody(authToken, signature, url, body.toString('utf8'));
}

/** Whether the URL Twilio called carries a body hash (a JSON-body webhook). */
export const hasBodyHash = (url: string): boolean => new URL(url, 'http://localhost').searchParams.has('bodySHA256');
