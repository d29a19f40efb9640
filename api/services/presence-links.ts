/**
 * Signed tokens of the presence grader's public surface, each with its own key derived from the
 * platform secret (HKDF, as booking links):
 *
 * - **Share links**: `{linkId}.{hmac(linkId)}`. The id names a row of `presence_share_links`, which
 *   holds the tenant and the audit and can be revoked; the HMAC makes ids unguessable even if one
 *   leaked from a log, and lets a forged token be refused before any database read.
 * - **Grader form tokens**: `{issuedAt}.{hmac(tenantId:issuedAt)}`, put in the public grader page
 *   when it is served; a submission must come at least GRADER_FORM_MIN_SECONDS and at most
 *   GRADER_FORM_MAX_SECONDS after it (the timing check of api/services/grader-abuse.ts).
 * - **Lead status tokens**: `hmac(tenantId:leadId)`, so the page that asked for an audit can follow
 *   its progress and nobody else's.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import { constantTimeEqual } from '../../core/constant-time';

const keyFor = (secret: Buffer, purpose: string) => Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `switchboard presence ${purpose} v1`, 32));
const mac = (secret: Buffer, purpose: string, data: string) => createHmac('sha256', keyFor(secret, purpose)).update(data).digest('base64url');

export const shareToken = (secret: Buffer, linkId: string) => `${linkId}.${mac(secret, 'share', linkId)}`;

/** The link id of a well-signed token, else null. */
export function shareLinkIdOf(secret: Buffer, token: string): string | null {
  const [id, sig] = token.split('.');
  return id && sig && constantTimeEqual(sig, mac(secret, 'share', id)) ? id : null;
}

export const formToken = (secret: Buffer, tenantId: string, issuedAtSec: number) => `${issuedAtSec}.${mac(secret, 'form', `${tenantId}:${issuedAtSec}`)}`;

/** When the form was served (unix seconds), if the token is the tenant's and well-signed. */
export function formIssuedAt(secret: Buffer, tenantId: string, token: string): number | null {
  const [at, sig] = token.split('.');
  if (!/^\d{9,11}$/.test(at ?? '') || !sig) return null;
  return constantTimeEqual(sig, mac(secret, 'form', `${tenantId}:${at}`)) ? Number(at) : null;
}

export const leadToken = (secret: Buffer, tenantId: string, leadId: string) => mac(secret, 'lead', `${tenantId}:${leadId}`);
export const leadTokenMatches = (secret: Buffer, tenantId: string, leadId: string, token: string) => constantTimeEqual(token, leadToken(secret, tenantId, leadId));
