/**
 * Console sessions: the cookie carries a random token, the row its sha256. Lookups by token are
 * cross-tenant (the tenant is what we find out), like API keys.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Session, User } from '../entities';
import { TENANT_FILTER } from '../orm';

export const SESSION_TTL_MS = 12 * 3600_000;
/** A session's expiry moves forward at most this often (one write per active session per 5 minutes). */
const SLIDE_EVERY_MS = 5 * 60_000;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * `maxAgeMs` is the session's absolute lifetime: the idle expiry slides while it is used, but never
 * past `createdAt + maxAgeMs`, so a stolen cookie kept busy still dies.
 */
export async function createSession(em: EntityManager, tenantId: string, userId: string, maxAgeMs: number): Promise<{ token: string; session: Session }> {
  const token = randomBytes(32).toString('base64url');
  const now = Date.now();
  const session = em.create(Session, {
    tenant: tenantId,
    user: userId,
    tokenHash: hashToken(token),
    csrfToken: randomBytes(24).toString('base64url'),
    expiresAt: new Date(now + Math.min(SESSION_TTL_MS, maxAgeMs)),
    createdAt: new Date(now),
  });
  await em.flush();
  return { token, session };
}

/** The live session and its enabled user, or null; slides the expiry forward. */
export async function resolveSession(em: EntityManager, token: string, maxAgeMs: number): Promise<{ session: Session; user: User; slid: boolean } | null> {
  const noTenant = { filters: { [TENANT_FILTER]: false } };
  const now = Date.now();
  const session = await em.findOne(Session, { tokenHash: hashToken(token), expiresAt: { $gt: new Date(now) }, createdAt: { $gt: new Date(now - maxAgeMs) } }, noTenant);
  if (!session) return null;
  const user = await em.findOne(User, { id: session.user, disabled: false }, noTenant);
  if (!user) return null;
  const expiresAt = Math.min(now + SESSION_TTL_MS, session.createdAt.getTime() + maxAgeMs);
  const slid = expiresAt - session.expiresAt.getTime() > SLIDE_EVERY_MS;
  if (slid) {
    session.expiresAt = new Date(expiresAt);
    await em.nativeUpdate(Session, { id: session.id }, { expiresAt: session.expiresAt }, noTenant);
  }
  return { session, user, slid };
}

export async function deleteSession(em: EntityManager, id: string): Promise<void> {
  await em.nativeDelete(Session, { id }, { filters: { [TENANT_FILTER]: false } });
}

/** Expired rows are useless; removed opportunistically at sign-in. */
export async function deleteExpiredSessions(em: EntityManager): Promise<void> {
  await em.nativeDelete(Session, { expiresAt: { $lt: new Date() } }, { filters: { [TENANT_FILTER]: false } });
}
