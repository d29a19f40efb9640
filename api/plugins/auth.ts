/**
 * Bearer API keys → tenant. Keys are stored as sha256 hashes; a short in-process cache keeps the
 * lookup off the hot path of every turn. Every `/v1` route needs a key or the console's session
 * cookie (api/plugins/session.ts) except those declaring `config: { public: true }` (the chat
 * socket, provider webhooks), which authenticate by themselves. Roles: api/plugins/roles.ts.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../core/errors';
import { apiKeyByHash, hashApiKey, touchApiKey } from '../../db/repos';
import { systemEm, tenantEm } from '../../db/orm';
import type { AppDeps } from '../deps';
import { enforceRole } from './roles';
import { principalFromSession, sessionToken, type Principal } from './session';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route authenticates by itself (provider signatures on webhooks, signed tokens on the chat
     * socket and the widget) or needs no identity at all; the API-key check skips it.
     */
    public?: boolean;
  }
  interface FastifyRequest {
    tenantId: string;
    /** Tenant-scoped EntityManager for this request. */
    em: EntityManager;
    /** The API key or signed-in user behind the request. */
    principal: Principal;
  }
  interface FastifyInstance {
    /** Forget cached API keys (after one is revoked, so it stops working at once). */
    forgetApiKeys(): void;
  }
}

const CACHE_MS = 30_000;
const TOUCH_MS = 60_000;

export function registerAuth(app: FastifyInstance, deps: AppDeps) {
  const cache = new Map<string, { tenantId: string; keyId: string; name: string; until: number; touchedAt: number }>();

  async function resolve(hash: string) {
    const hit = cache.get(hash);
    if (hit && hit.until > Date.now()) return hit;
    const key = await apiKeyByHash(systemEm(deps.orm), hash);
    if (!key) {
      cache.delete(hash);
      return null;
    }
    const entry = { tenantId: key.tenant, keyId: key.id, name: key.name, until: Date.now() + CACHE_MS, touchedAt: hit?.touchedAt ?? 0 };
    cache.set(hash, entry);
    return entry;
  }

  app.decorateRequest('tenantId', '');
  app.decorateRequest('em', null as unknown as EntityManager);
  app.decorateRequest('principal', null as unknown as Principal);
  app.decorate('forgetApiKeys', () => cache.clear());

  const signIn = (request: FastifyRequest, principal: Principal) => {
    request.principal = principal;
    request.tenantId = principal.tenantId;
    request.em = tenantEm(deps.orm, principal.tenantId);
    enforceRole(request, principal.role);
  };

  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/v1/') || request.routeOptions.config?.public) return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      // No key: the console's session cookie (which also checks CSRF on unsafe methods).
      const principal = sessionToken(request) ? await principalFromSession(deps, request, reply) : null;
      if (!principal) throw new AppError('unauthorized', 'not signed in: send "Authorization: Bearer <key>" or sign in', { field: 'authorization' });
      signIn(request, principal);
      return;
    }
    const entry = await resolve(hashApiKey(match[1]));
    if (!entry) throw new AppError('unauthorized', 'invalid or revoked API key', { field: 'authorization' });
    const label = `api-key:${entry.name}`;
    signIn(request, { kind: 'apiKey', tenantId: entry.tenantId, role: 'admin', userId: null, sessionId: null, csrfToken: null, label, displayName: label });
    if (Date.now() - entry.touchedAt > TOUCH_MS) {
      entry.touchedAt = Date.now();
      touchApiKey(systemEm(deps.orm), entry.keyId).catch((err) => request.log.warn({ err }, 'could not record API key use'));
    }
  });
}
