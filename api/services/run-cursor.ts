/**
 * `GET /v1/runs` page cursors: Temporal's page token, sealed with an HMAC over the tenant and the
 * token. Temporal answers a token it cannot read with an "unknown" error that its client retries
 * for many seconds before the API could answer; a sealed cursor is checked here, and one tenant's
 * cursor is never handed to another tenant's listing.
 */
import { createHmac } from 'node:crypto';
import { constantTimeEqual } from '../../core/constant-time';
import { AppError } from '../../core/errors';

const mac = (key: Buffer, tenantId: string, token: string) =>
  createHmac('sha256', key).update('runs-cursor\0').update(tenantId).update('\0').update(token).digest().subarray(0, 16).toString('base64url');

export function sealCursor(key: Buffer, tenantId: string, token: string | null): string | null {
  return token === null ? null : `${token}.${mac(key, tenantId, token)}`;
}

/** The page token inside a cursor from `sealCursor`; a 400 on anything else. */
export function openCursor(key: Buffer, tenantId: string, cursor: string | undefined): string | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const dot = cursor.lastIndexOf('.');
  const token = cursor.slice(0, dot);
  if (dot < 0 || !constantTimeEqual(cursor.slice(dot + 1), mac(key, tenantId, token))) {
    throw new AppError('validation_failed', 'cursor: not a nextCursor of this listing; start again without it', { field: 'cursor' });
  }
  return token;
}
