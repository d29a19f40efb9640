/**
 * Signed inbound email. Whatever receives the mail (an MTA pipe, SendGrid/Mailgun "raw MIME"
 * inbound parse, a small relay script) posts the raw message with
 *
 *   X-Switchboard-Timestamp: <unix seconds>
 *   X-Switchboard-Signature: sha256=<hex HMAC-SHA256(signing secret, "<timestamp>." + raw body)>
 *
 * The timestamp is inside the MAC, so an old capture cannot be re-dated; anything older (or
 * further in the future) than five minutes is refused, and a replay inside the window is caught
 * by the per-channel Message-ID dedupe.
 */
import { createHmac } from 'node:crypto';
import { constantTimeEqual } from '../../core/constant-time';
import { AppError } from '../../core/errors';
import type { InboundRequest } from '../types';
import { headerOf } from '../wire';

export const TIMESTAMP_HEADER = 'x-switchboard-timestamp';
export const SIGNATURE_HEADER = 'x-switchboard-signature';
export const REPLAY_WINDOW_SECONDS = 300;

export function signInboundEmail(secret: string, timestamp: number, body: Buffer): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
  return `sha256=${mac}`;
}

/** Throws `unauthorized` (missing/invalid signature or stale timestamp). */
export function verifyInboundEmail(request: InboundRequest, secret: string, nowMs = Date.now()): void {
  const timestampText = headerOf(request, TIMESTAMP_HEADER);
  const signature = headerOf(request, SIGNATURE_HEADER);
  if (!timestampText || !signature) {
    throw new AppError('unauthorized', `signed inbound email needs the ${TIMESTAMP_HEADER} and ${SIGNATURE_HEADER} headers`, {
      field: signature ? TIMESTAMP_HEADER : SIGNATURE_HEADER,
    });
  }
  if (!/^\d{1,12}$/.test(timestampText)) throw new AppError('unauthorized', 'the timestamp must be Unix seconds', { field: TIMESTAMP_HEADER });
  const timestamp = Number(timestampText);
  if (Math.abs(nowMs / 1000 - timestamp) > REPLAY_WINDOW_SECONDS) {
    throw new AppError('unauthorized', `the timestamp is more than ${REPLAY_WINDOW_SECONDS / 60} minutes from now`, { field: TIMESTAMP_HEADER });
  }
  if (!constantTimeEqual(signature.trim(), signInboundEmail(secret, timestamp, request.rawBody))) {
    throw new AppError('unauthorized', 'the signature does not match this channel', { field: SIGNATURE_HEADER });
  }
}
