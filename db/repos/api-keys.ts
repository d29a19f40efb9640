/**
 * API keys: `sb_live_` + base64url(32 random bytes). Only the sha256 is stored; a fast hash is
 * right for high-entropy secrets (no dictionary to slow down).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ApiKeyScope } from '../../core/api/admin';
import { ApiKey } from '../entities';
import { TENANT_FILTER } from '../orm';

export const API_KEY_PREFIX = 'sb_live_';
const SHOWN_CHARS = 12;

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');
export const generateApiKey = () => API_KEY_PREFIX + randomBytes(32).toString('base64url');
export const apiKeyPrefix = (key: string) => key.slice(0, SHOWN_CHARS);

/** Stores a key (generated unless given) and returns the plaintext: the only time it exists. */
export async function createApiKey(
  em: EntityManager,
  tenantId: string,
  name: string,
  opts: { scope?: ApiKeyScope; expiresAt?: Date | null; key?: string } = {},
): Promise<{ apiKey: ApiKey; key: string }> {
  const key = opts.key ?? generateApiKey();
  const apiKey = em.create(ApiKey, { tenant: tenantId, name, prefix: apiKeyPrefix(key), hash: hashApiKey(key), scope: opts.scope ?? 'admin', expiresAt: opts.expiresAt ?? null });
  await em.flush();
  return { apiKey, key };
}

/**
 * Authentication lookup, the one deliberate cross-tenant query: the tenant is what we are finding
 * out. Revoked keys are not returned (expired ones are: the caller says why it refuses them). Use
 * with any EntityManager.
 */
export async function apiKeyByHash(em: EntityManager, hash: string): Promise<ApiKey | null> {
  return em.findOne(ApiKey, { hash, revokedAt: null }, { filters: { [TENANT_FILTER]: false } });
}

/** Records use without loading the entity (called on every authenticated request). */
export async function touchApiKey(em: EntityManager, id: string): Promise<void> {
  await em.nativeUpdate(ApiKey, { id }, { lastUsedAt: new Date() }, { filters: { [TENANT_FILTER]: false } });
}

export const listApiKeys = (em: EntityManager) => em.find(ApiKey, {}, { orderBy: { createdAt: 'asc' } });

export async function revokeApiKey(em: EntityManager, id: string): Promise<boolean> {
  return (await em.nativeUpdate(ApiKey, { id, revokedAt: null }, { revokedAt: new Date() })) > 0;
}
