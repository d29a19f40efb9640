/**
 * Web-chat session tokens: `base64url(payload).base64url(hmac)`. The WebSocket cannot carry an
 * Authorization header from a browser, so a short-lived signed token names the tenant and the
 * conversation it may talk to, and nothing else.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import { constantTimeEqual } from '../../core/constant-time';
import { AppError } from '../../core/errors';

export interface ChatTokenPayload {
  tenantId: string;
  conversationId: string;
  /** Widget sessions only: the webchat channel and the visitor the token was minted for. */
  channelId?: string;
  visitorId?: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export function signChatToken(secret: Buffer, payload: ChatTokenPayload): string {
  const body = b64(JSON.stringify(payload));
  return `${body}.${b64(createHmac('sha256', secret).update(body).digest())}`;
}

export function verifyChatToken(secret: Buffer, token: string, now = Date.now()): ChatTokenPayload {
  const [body, sig] = token.split('.');
  if (!body || !sig) throw new AppError('unauthorized', 'malformed chat token', { field: 'token' });
  if (!constantTimeEqual(Buffer.from(sig, 'base64url'), createHmac('sha256', secret).update(body).digest())) {
    throw new AppError('unauthorized', 'invalid chat token', { field: 'token' });
  }
  const payload = JSON.parse(Buffer.from(body, 'base64url').toString()) as ChatTokenPayload;
  if (payload.exp * 1000 < now) throw new AppError('unauthorized', 'chat token expired', { field: 'token' });
  return payload;
}

/** A key of its own for chat tokens, derived from the platform secret (never the encryption key itself). */
export const chatTokenKey = (platformSecret: Buffer) => Buffer.from(hkdfSync('sha256', platformSecret, Buffer.alloc(0), 'switchboard chat token v1', 32));
