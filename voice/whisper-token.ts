/**
 * A warm transfer's whisper: Twilio fetches the TwiML the answering party hears from the URL on
 * `<Number url>`. The text travels in the URL, `/v1/webhooks/voice-whisper/{text}.{mac}`, the MAC
 * an HMAC-SHA256 of the text under a key derived from SWITCHBOARD_SECRET_KEY, so the public route
 * says only what a flow of this platform asked it to (an altered URL is refused).
 */
import { createHmac, hkdfSync } from 'node:crypto';
import { constantTimeEqual } from '../core/constant-time';

const keyOf = (secret: string) => Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), 'switchboard voice whisper v1', 32));
const macOf = (secret: string, encoded: string) => createHmac('sha256', keyOf(secret)).update(encoded).digest('base64url');

/** At most this many characters are whispered (a URL stays well under Twilio's 4,000-character limit). */
export const WHISPER_MAX_CHARS = 1000;

export function whisperToken(secret: string, text: string): string {
  const encoded = Buffer.from(text.slice(0, WHISPER_MAX_CHARS), 'utf8').toString('base64url');
  return `${encoded}.${macOf(secret, encoded)}`;
}

/** The whispered text, or null when the token was not made by `whisperToken` with this secret. */
export function verifyWhisperToken(secret: string, token: string): string | null {
  const m = /^([A-Za-z0-9_-]{1,4000})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m || !constantTimeEqual(m[2], macOf(secret, m[1]))) return null;
  return Buffer.from(m[1], 'base64url').toString('utf8');
}
