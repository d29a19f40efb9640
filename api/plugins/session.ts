/**
 * Console sessions over a cookie: `sb_session` holds a random token (HttpOnly, SameSite=Lax);
 * the session row holds its hash, the user and a per-session CSRF token that every unsafe
 * request made with the cookie must echo in `x-csrf-token`.
 */
import { constantTimeEqual } from '../../core/constant-time';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../../core/api/auth';
import { AppError } from '../../core/errors';
import { systemEm } from '../../db/orm';
import { resolveSession } from '../../db/repos';
import type { AppDeps } from '../deps';
import type { ApiKeyScope } from '../../core/api/admin';

export const SESSION_COOKIE = 'sb_session';
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Who is calling: an API key (admin of its tenant) or a signed-in user. */
export interface Principal {
  kind: 'apiKey' | 'session';
  tenantId: string;
  role: Role;
  /** An API key's scope (roles.ts); absent for signed-in users, whose role says it all. */
  scope?: ApiKeyScope;
  userId: string | null;
  sessionId: string | null;
  csrfToken: string | null;
  /** For audit fields such as a version's `createdBy`: the user's email or `api-key:<name>`. */
  label: string;
  /** Shown to contacts when this caller takes a conversation over. */
  displayName: string;
}

export function sessionToken(request: FastifyRequest): string | null {
  return request.cookies?.[SESSION_COOKIE] || null;
}

/** The principal behind the session cookie, or null when there is no live session. */
export async function principalFromSession(deps: AppDeps, request: FastifyRequest, reply: FastifyReply): Promise<Principal | null> {
  const token = sessionToken(request);
  if (!token) return null;
  const found = await resolveSession(systemEm(deps.orm), token, sessionMaxAgeMs(deps));
  if (!found) return null;
  const { session, user, slid } = found;
  if (UNSAFE_METHODS.has(request.method) && !sameToken(request.headers['x-csrf-token'], session.csrfToken)) {
    throw new AppError('forbidden', 'missing or wrong CSRF token: send the csrfToken from /v1/auth/login as "x-csrf-token"', { field: 'x-csrf-token' });
  }
  // The expiry slides on the server; the cookie's lifetime follows it.
  if (slid) setSessionCookie(request, reply, token, session.expiresAt);
  return {
    kind: 'session',
    tenantId: session.tenant,
    role: user.role,
    userId: user.id,
    sessionId: session.id,
    csrfToken: session.csrfToken,
    label: user.email,
    displayName: user.name,
  };
}

function sameToken(sent: string | string[] | undefined, expected: string): boolean {
  if (typeof sent !== 'string') return false;
  return constantTimeEqual(sent, expected);
}

export const sessionMaxAgeMs = (deps: AppDeps) => deps.config.SESSION_MAX_HOURS * 3600_000;

/** `Secure` when the request came over TLS (behind a balancer, with `TRUST_PROXY` set); lives as long as the session. */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, expiresAt: Date): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: request.protocol === 'https',
    maxAge: Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000)),
  });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: request.protocol === 'https' });
}
