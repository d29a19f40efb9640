/**
 * The embedder a tenant's knowledge bases use: its configured OpenAI-compatible endpoint, else the
 * offline hashed n-gram embedder. Ingestion and query embedding must agree on it, or queries would
 * be compared with vectors from another model; both go through here.
 */
import { ApplicationFailure } from '@temporalio/common';
import { offlineEmbedder } from '../../core/knowledge/offline-embedder';
import type { Embedder } from '../../core/knowledge/types';
import { Tenant, type TenantSettings } from '../../db/entities';
import { systemEm } from '../../db/orm';
import { getCachedEmbeddings, putCachedEmbeddings } from '../../db/repos/knowledge';
import { secretBoxFromConfig } from '../../db/secrets';
import { configPolicy } from '../../net/address-policy';
import { cancellationSignal } from '../context';
import type { ActivityDeps } from '../deps';
import { loadTenant } from '../tenant';
import { cachedEmbedder, providerEmbedder, providerEmbedderId, type EmbeddingCacheStore } from './embedder';
import type { RerankerProvider } from './rerank';

type EmbeddingSettings = TenantSettings['embeddings'];

/** The tenant's embedder without the cache; inside an activity, provider calls follow its cancellation. */
export async function baseEmbedderForTenant(deps: Pick<ActivityDeps, 'orm' | 'config'>, tenantId: string, opts: { fresh?: boolean } = {}): Promise<Embedder> {
  const settings = opts.fresh ? await freshEmbeddingSettings(deps.orm, tenantId) : (await loadTenant(deps.orm, tenantId)).settings.embeddings;
  return embedderFromSettings(deps, settings);
}

/**
 * The tenant's settings as stored now, past the workers' short tenant cache: pinning and checking a
 * pin must not disagree because one process read the row a few seconds earlier than the other.
 */
async function freshEmbeddingSettings(orm: ActivityDeps['orm'], tenantId: string): Promise<EmbeddingSettings> {
  const tenant = await systemEm(orm).findOne(Tenant, { id: tenantId }, { fields: ['settings'] });
  if (!tenant) throw ApplicationFailure.nonRetryable(`tenant ${tenantId} not found`, 'NotFound');
  return tenant.settings.embeddings;
}

/** The id of the embedder these settings make (no key needed): vectors are comparable only within one id. */
export const embedderIdFor = (settings: EmbeddingSettings): string => (settings ? providerEmbedderId(settings.model) : offlineEmbedder.id);

/** The id of the embedder the tenant's knowledge bases use now, for pinning an ingestion. */
export async function currentEmbedderId(orm: ActivityDeps['orm'], tenantId: string): Promise<string> {
  return embedderIdFor(await freshEmbeddingSettings(orm, tenantId));
}

function embedderFromSettings(deps: Pick<ActivityDeps, 'config'>, settings: EmbeddingSettings): Embedder {
  if (!settings) return offlineEmbedder;
  let apiKey = '';
  try {
    // An empty key is stored as '' (servers without one), not encrypted.
    if (settings.apiKeyEncrypted) apiKey = secretBoxFromConfig(deps.config).decrypt(settings.apiKeyEncrypted);
  } catch (err) {
    // A missing or rotated-away secret key is configuration: retrying cannot fix it.
    throw ApplicationFailure.nonRetryable(`Embedding provider key unavailable: ${(err as Error).message}`, 'ConfigError');
  }
  return providerEmbedder({ baseURL: settings.baseURL, model: settings.model, apiKey, policy: configPolicy(deps.config) }, { signal: cancellationSignal() });
}

/** The tenant's reranker with its key decrypted, or null when none is configured. */
export async function rerankerForTenant(deps: Pick<ActivityDeps, 'orm' | 'config'>, tenantId: string): Promise<RerankerProvider | null> {
  const settings = (await loadTenant(deps.orm, tenantId)).settings.reranker;
  if (!settings) return null;
  const apiKey = settings.apiKeyEncrypted ? secretBoxFromConfig(deps.config).decrypt(settings.apiKeyEncrypted) : '';
  return { kind: settings.kind, baseURL: settings.baseURL, model: settings.model, apiKey, policy: configPolicy(deps.config) };
}

/** The shared embedding cache table (not tenant-owned: it holds hashes and vectors, no text). */
export function embeddingCacheStore(deps: Pick<ActivityDeps, 'orm'>): EmbeddingCacheStore {
  return {
    lookup: (embedderId, hashes) => getCachedEmbeddings(systemEm(deps.orm), embedderId, hashes),
    store: async (embedderId, entries) => {
      await putCachedEmbeddings(systemEm(deps.orm), embedderId, entries);
    },
  };
}

/** The tenant's embedder behind the cache: unchanged text is never embedded twice. */
export async function embedderForTenant(deps: Pick<ActivityDeps, 'orm' | 'config'>, tenantId: string): Promise<Embedder> {
  return cachedEmbedder(await baseEmbedderForTenant(deps, tenantId), embeddingCacheStore(deps));
}
