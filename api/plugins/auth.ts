/**
 * Who is calling, decided once per request on the route the router matched (never on the raw
 * URL, which the router decodes and so reads differently): a Bearer API key (sha256-hashed at
 * rest, cached in process) or the console's session cookie (api/plugins/session.ts). Every route
 * needs one of them unless it declares `config: { public: true }` (health, sign-in, webhooks, the
 * widget, the chat socket and page, docs, the console's files), which authenticate by themselves
 * or need no identity. Roles: api/plugins/roles.ts. Rate limits: api/plugins/api-limits.ts.
 * A key has a scope (roles.ts API_KEY_SCOPE_ROLES) and may expire (refused from that instant on).
 * A revoked key's id is published on `api-keys:revoked`; every API process drops it from its cache.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ApiKeyScope } from '../../core/api/admin';
import { AppError } from '../../core/errors';
import { apiKeyByHash, hashApiKey, touchApiKey } from '../../db/repos';
import { systemEm, tenantEm } from '../../db/orm';
import type { AppDeps } from '../deps';
import type { LiveHub } from '../services/live-hub';
import { apiLimits } from './api-limits';
import { API_KEY_SCOPE_ROLES, enforceKeyScope, enforceRole } from './roles';
import { principalFromSession, sessionToken, type Principal } from './session';
import { BoundedMap } from '../../core/bounded-map';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route authenticates by itself (provider signatures on webhooks, signed tokens on the chat
     * socket and the widget) or needs no identity at all; the API-key check skips it.
     */
    public?: boolean;
    /** Set on WebSocket routes (by the auth plugin): the only ones an upgrade request may reach. */
    socket?: boolean;
  }
  interface FastifyRequest {
    tenantId: string;
    /** Tenant-scoped EntityManager for this request, forked at first use (authenticated requests only). */
    em: EntityManager;
    /** The API key or signed-in user behind the request. */
    principal: Principal;
  }
  interface FastifyInstance {
    /** Forget a revoked API key in every API process (this one at once, the others when Redis delivers). */
    forgetApiKey(keyId: string): Promise<void>;
    /** Every route registered after the auth plugin, with whether it is public (read by the security tests). */
    routeAccess: RouteAccess[];
  }
}

export interface RouteAccess {
  method: string;
  url: string;
  public: boolean;
  websocket: boolean;
}

/** Redis channel of revoked API key ids: every API process subscribes and drops the key from its cache. */
export const API_KEY_REVOKED_CHANNEL = 'api-keys:revoked';

const CACHE_MS = 30_000;
const TOUCH_MS = 60_000;
/** Unknown keys are remembered too, so repeating one costs no query; the map is bounded. */
const CACHE_SIZE = 10_000;

interface KeyEntry {
  tenantId: string;
  keyId: string;
  name: string;
  scope: ApiKeyScope;
  /** Epoch ms after which the key is refused; null: never. */
  expiresAt: number | null;
  until: number;
  touchedAt: number;
}

export function registerAuth(app: FastifyInstance, deps: AppDeps, hub: LiveHub) {
  const cache = new BoundedMap<string, KeyEntry | { miss: true; until: number }>(CACHE_SIZE);
  const limits = apiLimits(deps);
  // Counts revocations heard, so a lookup that read the key before one landed does not cache it.
  let revocations = 0;

  function forget(keyId: string): void {
    revocations++;
    for (const [hash, hit] of cache) if (!('miss' in hit) && hit.keyId === keyId) cache.delete(hash);
  }

  /** The cached answer for a key: its entry, null (known unknown) or undefined (not cached). */
  function cached(hash: string): KeyEntry | null | undefined {
    const hit = cache.get(hash);
    if (!hit || hit.until <= Date.now()) return undefined;
    return 'miss' in hit ? null : hit;
  }

  async function lookUp(hash: string): Promise<KeyEntry | null> {
    const hit = cache.get(hash);
    const heard = revocations;
    const key = await apiKeyByHash(systemEm(deps.orm), hash);
    const known = key && { tenantId: key.tenant, keyId: key.id, name: key.name, scope: key.scope as ApiKeyScope, expiresAt: key.expiresAt ? new Date(key.expiresAt).getTime() : null };
    if (known && heard !== revocations) return { ...known, until: 0, touchedAt: 0 };
    if (!known) {
      cache.set(hash, { miss: true, until: Date.now() + CACHE_MS });
      return null;
    }
    const touchedAt = hit && !('miss' in hit) ? hit.touchedAt : 0;
    const entry = { ...known, until: Date.now() + CACHE_MS, touchedAt };
    cache.set(hash, entry);
    return entry;
  }

  app.decorateRequest('tenantId', '');
  // Forked at first use: a turn whose conversation and flow are cached runs no query, and a fork
  // (a unit of work, an identity map, filter parameters) was about 0.1 ms of every such request.
  const forked = new WeakMap<FastifyRequest, EntityManager>();
  app.decorateRequest('em', {
    getter(this: FastifyRequest) {
      let em = forked.get(this);
      if (!em) {
        if (!this.tenantId) throw new Error(`request.em on a request with no tenant (${this.method} ${this.routeOptions.url})`);
        em = tenantEm(deps.orm, this.tenantId);
        forked.set(this, em);
      }
      return em;
    },
  });
  app.decorateRequest('principal', null as unknown as Principal);
  app.decorate('forgetApiKey', async (keyId: string) => {
    forget(keyId);
    await deps.redis.publish(API_KEY_REVOKED_CHANNEL, keyId);
  });
  // Subscribed before the server listens, on the process's one live subscriber. Should Redis drop a
  // message, the key still expires from the cache after CACHE_MS.
  app.addHook('onReady', async () => {
    await hub.subscribe(API_KEY_REVOKED_CHANNEL, forget);
  });
  app.decorate('routeAccess', [] as RouteAccess[]);
  app.addHook('onRoute', (route) => {
    // Marked so an upgrade can be refused on any other route (below).
    if (route.websocket) route.config = { ...route.config, socket: true };
    for (const method of [route.method].flat()) {
      // Read later: hooks of inner scopes (the docs) may still mark the route public.
      app.routeAccess.push({ method, url: route.url, websocket: route.websocket === true, get public() { return route.config?.public === true; } });
    }
  });

  const signIn = (request: FastifyRequest, principal: Principal) => {
    request.principal = principal;
    request.tenantId = principal.tenantId;
    enforceRole(request, principal.role);
    if (principal.scope) enforceKeyScope(request, principal.scope);
  };

  /** The caller, and the key its request budget is counted under. */
  async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<[Principal, string]> {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      // No key: the console's session cookie (which also checks CSRF on unsafe methods).
      if (!sessionToken(request)) throw new AppError('unauthorized', 'not signed in: send "Authorization: Bearer <key>" or sign in', { field: 'authorization' });
      await limits.refuseFailingAddress(request, reply);
      const principal = await principalFromSession(deps, request, reply);
      if (principal) return [principal, `user:${principal.userId}`];
      await limits.countFailure(request);
      throw new AppError('unauthorized', 'not signed in: the session expired or was signed out', { field: 'authorization' });
    }
    const hash = hashApiKey(match[1]);
    let entry = cached(hash);
    if (entry === undefined) {
      await limits.refuseFailingAddress(request, reply);
      entry = await lookUp(hash);
    }
    if (!entry) {
      await limits.countFailure(request);
      throw new AppError('unauthorized', 'invalid or revoked API key', { field: 'authorization' });
    }
    // Checked on every request, cached or not: a key stops at its expiry, not up to CACHE_MS later.
    if (entry.expiresAt !== null && Date.now() >= entry.expiresAt) {
      throw new AppError('unauthorized', `the API key expired at ${new Date(entry.expiresAt).toISOString()}`, { field: 'authorization' });
    }
    if (Date.now() - entry.touchedAt > TOUCH_MS) {
      entry.touchedAt = Date.now();
      touchApiKey(systemEm(deps.orm), entry.keyId).catch((err) => request.log.warn({ err }, 'could not record API key use'));
    }
    const label = `api-key:${entry.name}`;
    const principal: Principal = { kind: 'apiKey', tenantId: entry.tenantId, role: API_KEY_SCOPE_ROLES[entry.scope], scope: entry.scope, userId: null, sessionId: null, csrfToken: null, label, displayName: label };
    return [principal, `key:${entry.keyId}`];
  }

  app.addHook('onRequest', async (request, reply) => {
    // No route matched: the not-found handler answers and nothing else runs.
    if (!request.routeOptions.url) return;
    // Only socket routes upgrade: any other route would accept the socket, then close it.
    // (`request.ws` is set by the WebSocket plugin's own onRequest hook, registered before this one.)
    if (request.ws && !request.routeOptions.config?.socket) throw new AppError('not_found', `no WebSocket at ${request.routeOptions.url}`);
    if (request.routeOptions.config?.public) return;
    const [principal, budget] = await authenticate(request, reply);
    signIn(request, principal);
    await limits.enforceCallerLimit(budget, reply);
  });
}
