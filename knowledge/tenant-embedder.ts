/**
 * The embedder a tenant's knowledge bases use: its configured OpenAI-compatible endpoint, the
 * offline model (`{ kind: 'local' }`, knowledge/embedders/local-model.ts), else the offline hashed
 * n-gram embedder, which needs no download. Ingestion and query embedding must agree on it, or queries would
 * be compared with vectors from another model; both go through here.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/common';
import type { Config } from '../core/config';
import { offlineEmbedder } from '../core/knowledge/offline-embedder';
import type { Embedder } from '../core/knowledge/types';
import { Tenant, type TenantSettings } from '../db/entities';
import { systemEm } from '../db/orm';
import { getCachedEmbeddings, putCachedEmbeddings } from '../db/repos/knowledge';
import { cachedTenant } from '../db/repos/tenants';
import { secretBoxFromConfig } from '../db/secrets';
import { configPolicy } from '../net/address-policy';
import { cachedEmbedder, providerEmbedder, providerEmbedderId, type EmbeddingCacheStore } from './embedder';
import { LOCAL_MODEL, localModelEmbedder, localModelInstalled } from './embedders/local-model';
import type { RerankerProvider } from './rerank';

type EmbeddingSettings = TenantSettings['embeddings'];

/** What the tenant's embedder needs; `signal` (an activity's cancellation) stops provider calls. */
export interface KnowledgeDeps {
  orm: MikroORM;
  config: Config;
  signal?: AbortSignal;
}

const notFound = (tenantId: string) => ApplicationFailure.nonRetryable(`tenant ${tenantId} not found`, 'NotFound');

async function tenantSettings(orm: MikroORM, tenantId: string): Promise<TenantSettings> {
  const tenant = await cachedTenant(orm, tenantId);
  if (!tenant) throw notFound(tenantId);
  return tenant.settings;
}

/** The tenant's embedder without the cache; provider calls follow `deps.signal`. */
export async function baseEmbedderForTenant(deps: KnowledgeDeps, tenantId: string, opts: { fresh?: boolean } = {}): Promise<Embedder> {
  const settings = opts.fresh ? await freshEmbeddingSettings(deps.orm, tenantId) : (await tenantSettings(deps.orm, tenantId)).embeddings;
  return embedderFromSettings(deps, settings);
}

/**
 * The tenant's settings as stored now, past the workers' short tenant cache: pinning and checking a
 * pin must not disagree because one process read the row a few seconds earlier than the other.
 */
async function freshEmbeddingSettings(orm: MikroORM, tenantId: string): Promise<EmbeddingSettings> {
  const tenant = await systemEm(orm).findOne(Tenant, { id: tenantId }, { fields: ['settings'] });
  if (!tenant) throw notFound(tenantId);
  return tenant.settings.embeddings;
}

/** The id of the embedder these settings make (no key needed): vectors are comparable only within one id. */
export const embedderIdFor = (settings: EmbeddingSettings): string =>
  !settings ? offlineEmbedder.id : 'kind' in settings ? LOCAL_MODEL.id : providerEmbedderId(settings.model);

/** The id of the embedder the tenant's knowledge bases use now, for pinning an ingestion. */
export async function currentEmbedderId(orm: MikroORM, tenantId: string): Promise<string> {
  return embedderIdFor(await freshEmbeddingSettings(orm, tenantId));
}

function embedderFromSettings(deps: KnowledgeDeps, settings: EmbeddingSettings): Embedder {
  if (!settings) return offlineEmbedder;
  if ('kind' in settings) {
    // Removed model files are configuration: retrying cannot bring them back, scripts/models.sh can.
    if (!localModelInstalled()) throw ApplicationFailure.nonRetryable('the local embedding model is not installed: run scripts/models.sh', 'ConfigError');
    return localModelEmbedder();
  }
  let apiKey = '';
  try {
    // An empty key is stored as '' (servers without one), not encrypted.
    if (settings.apiKeyEncrypted) apiKey = secretBoxFromConfig(deps.config).decrypt(settings.apiKeyEncrypted);
  } catch (err) {
    // A missing or rotated-away secret key is configuration: retrying cannot fix it.
    throw ApplicationFailure.nonRetryable(`Embedding provider key unavailable: ${(err as Error).message}`, 'ConfigError');
  }
  return providerEmbedder({ baseURL: settings.baseURL, model: settings.model, apiKey, policy: configPolicy(deps.config) }, { signal: deps.signal });
}

/** The tenant's reranker with its key decrypted, or null when none is configured. */
export async function rerankerForTenant(deps: KnowledgeDeps, tenantId: string): Promise<RerankerProvider | null> {
  const settings = (await tenantSettings(deps.orm, tenantId)).reranker;
  if (!settings) return null;
  const apiKey = settings.apiKeyEncrypted ? secretBoxFromConfig(deps.config).decrypt(settings.apiKeyEncrypted) : '';
  return { kind: settings.kind, baseURL: settings.baseURL, model: settings.model, apiKey, policy: configPolicy(deps.config) };
}

/** The shared embedding cache table (not tenant-owned: it holds hashes and vectors, no text). */
export function embeddingCacheStore(deps: Pick<KnowledgeDeps, 'orm'>): EmbeddingCacheStore {
  return {
    lookup: (embedderId, hashes) => getCachedEmbeddings(systemEm(deps.orm), embedderId, hashes),
    store: async (embedderId, entries) => {
      await putCachedEmbeddings(systemEm(deps.orm), embedderId, entries);
    },
  };
}

/** The tenant's embedder behind the cache: unchanged text is never embedded twice. */
export async function embedderForTenant(deps: KnowledgeDeps, tenantId: string): Promise<Embedder> {
  return cachedEmbedder(await baseEmbedderForTenant(deps, tenantId), embeddingCacheStore(deps));
}
