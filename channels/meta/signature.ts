/**
 * Meta's webhook authentication, shared by WhatsApp and Messenger: the GET subscription handshake
 * (hub.mode / hub.verify_token / hub.challenge) and `X-Hub-Signature-256`, an HMAC-SHA256 of the
 * raw request body keyed with the app secret (or, alone, the legacy SHA-1 `X-Hub-Signature`).
 */
import { createHmac } from 'node:crypto';
import { constantTimeEqual } from '../../core/constant-time';
import { AppError } from '../../core/errors';
import type { ChannelConfig, InboundRequest } from '../types';
import { headerOf } from '../wire';

export function metaSignature(appSecret: string, body: Buffer | string, algorithm: 'sha256' | 'sha1' = 'sha256'): string {
  return `${algorithm}=${createHmac(algorithm, appSecret).update(body).digest('hex')}`;
}

/**
 * `X-Hub-Signature-256` when present; otherwise the legacy `X-Hub-Signature` (HMAC-SHA1), which
 * Meta still sends alongside and which its own SDKs accept alone. SHA-256 is never downgraded:
 * when both are sent, only SHA-256 counts.
 */
export function verifyMetaSignature(request: InboundRequest, appSecret: string): void {
  const sha256 = headerOf(request, 'x-hub-signature-256');
  const sha1 = sha256 ? undefined : headerOf(request, 'x-hub-signature');
  const [header, name, algorithm] = sha256 ? [sha256, 'X-Hub-Signature-256', 'sha256' as const] : [sha1, 'X-Hub-Signature', 'sha1' as const];
  if (!header) throw new AppError('unauthorized', 'missing X-Hub-Signature-256 header', { field: 'x-hub-signature-256' });
  if (!constantTimeEqual(header.trim().toLowerCase(), metaSignature(appSecret, request.rawBody, algorithm))) {
    throw new AppError('forbidden', `${name} does not match the body`, { field: name.toLowerCase() });
  }
}

/** Answers Meta's subscription check with the challenge when the verify token matches. */
export function metaHandshake(request: InboundRequest, verifyToken: string): string {
  const { 'hub.mode': mode, 'hub.verify_token': token, 'hub.challenge': challenge } = request.query;
  if (mode !== 'subscribe') throw new AppError('bad_request', 'hub.mode must be "subscribe"', { field: 'hub.mode' });
  if (!challenge) throw new AppError('bad_request', 'hub.challenge is missing', { field: 'hub.challenge' });
  if (!token || !constantTimeEqual(token, verifyToken)) {
    throw new AppError('forbidden', 'hub.verify_token does not match the channel', { field: 'hub.verify_token' });
  }
  return challenge;
}

/** The JSON body, or a 400 naming what is wrong. */
export function parseJsonBody(request: InboundRequest): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(request.rawBody.toString('utf8'));
  } catch {
    throw new AppError('bad_request', 'body is not valid JSON', { field: 'body' });
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new AppError('bad_request', 'body must be a JSON object', { field: 'body' });
  return body as Record<string, unknown>;
}

/** The webhook authentication both Meta adapters use: the subscription handshake and the body signature. */
export function metaWebhookAuth<C extends { verifyToken: string; appSecret: string }>() {
  return {
    handshake: (request: InboundRequest, channel: ChannelConfig<C, unknown>) => metaHandshake(request, channel.credentials.verifyToken),
    verify: (request: InboundRequest, channel: ChannelConfig<C, unknown>) => verifyMetaSignature(request, channel.credentials.appSecret),
  };
}
