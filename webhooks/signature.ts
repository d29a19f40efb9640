/**
 * Delivery signatures, Stripe style: `Switchboard-Signature: t=<unix seconds>,v1=<hex>` where the
 * hex is HMAC-SHA256(secret, "<t>.<raw body>"). The timestamp is signed, so a captured request
 * cannot be replayed later than the receiver's tolerance. `verifySignature` is the receiver's side,
 * the same steps as the Node snippet in ARCHITECTURE.md.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { constantTimeEqual } from '../core/constant-time';

/** A new signing secret: `whsec_` + 32 random bytes, base64url. */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

export const hmacHex = (secret: string, timestamp: number, body: string) => createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

export const signatureHeader = (secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)) => `t=${timestamp},v1=${hmacHex(secret, timestamp, body)}`;

export const DEFAULT_TOLERANCE_SECONDS = 300;

/** Whether `header` signs `body` with `secret`, no older (or newer) than `toleranceSeconds`. */
export function verifySignature(secret: string, header: string, body: string, opts: { toleranceSeconds?: number; now?: number } = {}): boolean {
  const parts = header.split(',').map((p) => p.trim().split('='));
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  const signatures = parts.filter(([k]) => k === 'v1').map(([, v]) => v ?? '');
  if (!Number.isInteger(t) || signatures.length === 0) return false;
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - t) > (opts.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) return false;
  const expected = Buffer.from(hmacHex(secret, t, body), 'hex');
  return signatures.some((s) => constantTimeEqual(Buffer.from(s, 'hex'), expected));
}
