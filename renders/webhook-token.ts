/**
 * D-ID does not sign its webhook calls, so what we can verify is the URL: each render's webhook
 * is `/v1/webhooks/d-id/{renderId}.{attempt}.{mac}`, the MAC an HMAC-SHA256 of the render and
 * attempt under a key derived from SWITCHBOARD_SECRET_KEY. A guessed or altered URL is refused;
 * a valid one only wakes the workflow, which then asks D-ID itself for the status (the POSTed body
 * is never trusted).
 */
import { createHmac, hkdfSync } from 'node:crypto';
import { constantTimeEqual } from '../core/constant-time';

const keyOf = (secret: string) => Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), 'switchboard d-id webhook v1', 32));
const macOf = (secret: string, renderId: string, attempt: number) => createHmac('sha256', keyOf(secret)).update(`${renderId}.${attempt}`).digest('base64url');

export const didWebhookToken = (secret: string, renderId: string, attempt: number) => `${renderId}.${attempt}.${macOf(secret, renderId, attempt)}`;

export function verifyDidWebhookToken(secret: string, token: string): { renderId: string; attempt: number } | null {
  const m = /^([0-9a-f-]{36})\.(\d{1,6})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return null;
  const attempt = Number(m[2]);
  return constantTimeEqual(m[3], macOf(secret, m[1], attempt)) ? { renderId: m[1], attempt } : null;
}
