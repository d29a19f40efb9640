/**
 * The tenant's embedding and reranking providers as the console sees them (see
 * provider-settings.ts for keys). The embedder is an endpoint, the offline model, or (unset) the
 * hashed n-gram embedder; the view says whether the offline model is installed here, and proposes
 * it when it is. Changing the embedder changes which vectors a query can be
 * compared with, so the route reindexes every document when `embedderIdFor` changes.
 */
import type { z } from 'zod';
import { providerEmbedder } from '../../knowledge/embedder';
import { createReranker } from '../../knowledge/rerank';
import { offlineEmbedder } from '../../core/knowledge/offline-embedder';
import { AppError } from '../../core/errors';
import { LOCAL_MODEL, localModelEmbedder, localModelInstalled } from '../../knowledge/embedders/local-model';
import { embedderIdFor } from '../../knowledge/tenant-embedder';
import type { embeddingSettingsBody, embeddingTestBody, rerankerSettingsBody, rerankerTestBody } from '../../core/api/admin';
import type { Config } from '../../core/config';
import type { TenantSettings } from '../../db/entities';
import { endpointView, keptKey, TEST_TIMEOUT_MS, testEndpoint, timedTest } from './provider-settings';

type EmbeddingSettings = TenantSettings['embeddings'];
type RerankerSettings = TenantSettings['reranker'];

type StoredEndpoint = Exclude<EmbeddingSettings, { kind: 'local' } | undefined>;
/** The stored endpoint, if the tenant has one (not the offline model). */
const storedEndpoint = (settings: EmbeddingSettings): StoredEndpoint | undefined => (settings && !('kind' in settings) ? settings : undefined);

function settingsView(settings: EmbeddingSettings) {
  if (!settings) return { configured: false, apiKeySet: false };
  const endpoint = storedEndpoint(settings);
  return endpoint ? { configured: true, kind: 'endpoint' as const, ...endpointView(endpoint) } : { configured: true, kind: 'local' as const, apiKeySet: false };
}

export function embeddingSettingsView(settings: EmbeddingSettings) {
  const installed = localModelInstalled();
  return {
    ...settingsView(settings),
    embedderId: embedderIdFor(settings),
    fallbackEmbedderId: offlineEmbedder.id,
    localModel: { id: LOCAL_MODEL.id, model: LOCAL_MODEL.model, source: LOCAL_MODEL.source, licence: LOCAL_MODEL.licence, dimensions: LOCAL_MODEL.dimensions, installed },
    recommended: installed ? ('local' as const) : ('endpoint' as const),
  };
}

export function mergeEmbeddingSettings(config: Config, current: EmbeddingSettings, body: z.infer<typeof embeddingSettingsBody>): NonNullable<EmbeddingSettings> {
  return { baseURL: body.baseURL, model: body.model, apiKeyEncrypted: keptKey(config, body.apiKey, storedEndpoint(current), 'apiKey', body.baseURL) };
}

/** The offline model as the tenant's embedder; refused (400) on a server where it is not installed. */
export function localEmbeddingSettings(): NonNullable<EmbeddingSettings> {
  if (!localModelInstalled()) throw new AppError('bad_request', 'the offline embedding model is not installed on this server (scripts/models.sh installs it)', { field: 'kind' });
  return { kind: 'local' };
}

/** Embeds one short text: the endpoint (or the offline model) answers, with vectors of the dimension chunks are stored in. */
export async function testEmbeddingEndpoint(config: Config, stored: EmbeddingSettings, form: z.infer<typeof embeddingTestBody>) {
  if (stored && !storedEndpoint(stored) && !form.baseURL) {
    return timedTest(LOCAL_MODEL.id, async () => {
      const [vector] = await localModelEmbedder().embed(['What are your opening hours?']);
      return `${LOCAL_MODEL.model} returned a ${vector.length}-dimension vector`;
    });
  }
  const endpoint = testEndpoint(config, storedEndpoint(stored), form, 'embedding endpoint');
  const embedder = providerEmbedder(endpoint, { signal: AbortSignal.timeout(TEST_TIMEOUT_MS) });
  return timedTest(endpoint.baseURL, async () => {
    const [vector] = await embedder.embed(['What are your opening hours?']);
    return `${endpoint.model} returned a ${vector.length}-dimension vector`;
  });
}

export function rerankerSettingsView(settings: RerankerSettings) {
  return settings ? { configured: true, kind: settings.kind, ...endpointView(settings) } : { configured: false, apiKeySet: false };
}

export function mergeRerankerSettings(config: Config, current: RerankerSettings, body: z.infer<typeof rerankerSettingsBody>): NonNullable<RerankerSettings> {
  return { kind: body.kind, baseURL: body.baseURL, model: body.model, apiKeyEncrypted: keptKey(config, body.apiKey, current, 'apiKey', body.baseURL) };
}

/** Scores one passage against one question through the same client retrieval uses. */
export async function testRerankerEndpoint(config: Config, stored: RerankerSettings, form: z.infer<typeof rerankerTestBody>) {
  const endpoint = testEndpoint(config, stored, form, 'reranker');
  const kind = form.kind ?? stored?.kind ?? 'rerank-api';
  const reranker = createReranker({ kind, ...endpoint }, { signal: AbortSignal.timeout(TEST_TIMEOUT_MS) });
  return timedTest(endpoint.baseURL, async () => {
    const [score] = await reranker.score('What are your opening hours?', ['We are open Monday to Friday from nine to six.']);
    return `${endpoint.model} (${kind}) scored a test passage ${score}`;
  });
}
