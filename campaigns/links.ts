/**
 * Per-recipient signed links: `/l/<token>` (a tracked link: the token names the recipient and which
 * URL of their message) and `/u/<token>` (unsubscribe). The token is the recipient id, one byte
 * (the URL's index, or 255 for unsubscribe) and a truncated HMAC-SHA256 under a key derived from
 * the platform secret: 39 characters, short enough for an SMS, unforgeable, nothing stored.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const UNSUBSCRIBE = 255;
const MAC_BYTES = 12;
/** URLs in text (stops at whitespace, quotes and angle brackets; a trailing period or parenthesis is the sentence's). */
const URL_IN_TEXT = /https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

export type LinkToken = { recipientId: string; kind: 'link'; index: number } | { recipientId: string; kind: 'unsubscribe' };

/** The signing key: derived, so the platform secret itself never signs anything public. */
export const linkKey = (platformSecret: string) => createHash('sha256').update(`switchboard:campaign-links:${platformSecret}`).digest();

function sign(key: Buffer, recipientId: string, slot: number): string {
  const payload = Buffer.concat([Buffer.from(recipientId.replace(/-/g, ''), 'hex'), Buffer.from([slot])]);
  const mac = createHmac('sha256', key).update(payload).digest().subarray(0, MAC_BYTES);
  return Buffer.concat([payload, mac]).toString('base64url');
}

export const linkToken = (key: Buffer, recipientId: string, index: number) => sign(key, recipientId, index);
export const unsubscribeToken = (key: Buffer, recipientId: string) => sign(key, recipientId, UNSUBSCRIBE);

/** null for anything not signed by `key` (a bad or truncated token is a 404, never an error page with details). */
export function readToken(key: Buffer, token: string): LinkToken | null {
  if (!/^[A-Za-z0-9_-]{39}$/.test(token)) return null;
  const raw = Buffer.from(token, 'base64url');
  if (raw.length !== 17 + MAC_BYTES) return null;
  const payload = raw.subarray(0, 17);
  const expected = createHmac('sha256', key).update(payload).digest().subarray(0, MAC_BYTES);
  if (!timingSafeEqual(expected, raw.subarray(17))) return null;
  const hex = payload.subarray(0, 16).toString('hex');
  const recipientId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const slot = payload[16]!;
  return slot === UNSUBSCRIBE ? { recipientId, kind: 'unsubscribe' } : { recipientId, kind: 'link', index: slot };
}

/** The distinct URLs of a message's parts, in order of first appearance: a link's index is its place here. */
export function linkTargets(parts: readonly string[]): string[] {
  const seen: string[] = [];
  for (const part of parts) for (const url of part.match(URL_IN_TEXT) ?? []) if (!seen.includes(url) && seen.length < UNSUBSCRIBE) seen.push(url);
  return seen;
}

/** Each known URL in `text` replaced by the recipient's tracked link to it. */
export function trackLinks(text: string, targets: readonly string[], linkFor: (index: number) => string): string {
  return text.replace(URL_IN_TEXT, (url) => {
    const index = targets.indexOf(url);
    return index < 0 ? url : linkFor(index);
  });
}

/** The key from the platform's configuration: links need SWITCHBOARD_SECRET_KEY like stored secrets do. */
export function configuredLinkKey(config: { SWITCHBOARD_SECRET_KEY?: string }): Buffer {
  if (!config.SWITCHBOARD_SECRET_KEY) throw new Error('SWITCHBOARD_SECRET_KEY is not set: campaign links cannot be signed');
  return linkKey(config.SWITCHBOARD_SECRET_KEY);
}

/** Public URLs of a recipient's links under the API's public base URL. */
export function recipientLinks(base: string, key: Buffer, recipientId: string) {
  const root = base.replace(/\/$/, '');
  return { linkFor: (index: number) => `${root}/l/${linkToken(key, recipientId, index)}`, unsubscribeUrl: `${root}/u/${unsubscribeToken(key, recipientId)}` };
}
