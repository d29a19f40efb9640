/**
 * Signed expiring media URLs: `{base}/{key}?expires={unix seconds}&signature={HMAC}` where the HMAC
 * (SHA-256, a key derived from the platform secret) covers the key and the expiry. Whoever holds the
 * URL may fetch the object until it expires; changing the key or the expiry breaks the signature.
 */
import { createHmac } from 'node:crypto';
import { constantTimeEqual } from '../core/constant-time';

export type UrlCheck = { ok: true } | { ok: false; reason: 'expired' | 'bad-signature' | 'malformed' };

export class MediaUrlSigner {
  constructor(
    readonly baseUrl: string,
    private readonly secret: () => Buffer,
    private readonly now: () => number = () => Date.now(),
  ) {}

  private sign(key: string, expires: number): string {
    return createHmac('sha256', this.secret()).update(`${key}\n${expires}`).digest('base64url');
  }

  url(key: string, ttlSeconds: number): string {
    const expires = Math.floor(this.now() / 1000) + Math.max(1, Math.floor(ttlSeconds));
    const path = key.split('/').map(encodeURIComponent).join('/');
    return `${this.baseUrl.replace(/\/+$/, '')}/${path}?expires=${expires}&signature=${this.sign(key, expires)}`;
  }

  verify(key: string, expires: string | undefined, signature: string | undefined): UrlCheck {
    if (!expires || !signature || !/^\d{1,12}$/.test(expires)) return { ok: false, reason: 'malformed' };
    // The signature is checked before the expiry so a tampered URL never learns whether it expired.
    if (!constantTimeEqual(signature, this.sign(key, Number(expires)))) return { ok: false, reason: 'bad-signature' };
    if (Number(expires) * 1000 < this.now()) return { ok: false, reason: 'expired' };
    return { ok: true };
  }
}
