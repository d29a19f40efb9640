/**
 * The tenant's embedding and reranking providers as the console sees them (see
 * provider-settings.ts for keys). Changing the embedder changes which vectors a query can be
 * compared with, so the route reindexes every document when `embedderIdFor` changes.
 */
import type { z } from 'zod';
import { providerEmbedder } from '../../knowledge/embedder';
import { createReranker } from '../../knowledge/rerank';
import { embedderIdFor } from '../../knowledge/tenant-embedder';
import type { embeddingSettingsBody, embeddingTestBody, rerankerSettingsBody, rerankerTestBody } from '../../core/api/admin';
import type { Config } from '../../core/config';
import type { TenantSettings } from '../../db/entities';
import { endpointView, keptKey, TEST_TIMEOUT_MS, testEndpoint, timedTest } from './provider-settings';

type EmbeddingSettings = TenantSettings['embeddings'];
type RerankerSettings = TenantSettings['reranker'];

export function embeddingSettingsView(settings: EmbeddingSettings) {
  return { ...(settings ? { configured: true, ...endpointView(settings) } : { configured: false, apiKeySet: false }), embedderId: embedderIdFor(settings) };
}

export function mergeEmbeddingSettings(config: Config, current: EmbeddingSettings, body: z.infer<typeof embeddingSettingsBody>): NonNullable<EmbeddingSettings> {
  return { baseURL: body.baseURL, model: body.model, apiKeyEncrypted: keptKey(config, body.apiKey, current, 'apiKey', body.baseURL) };
}

/** Embeds one short text: the endpoint answers, and with vectors of the dimension chunks are stored in. */
export async function testEmbeddingEndpoint(config: Config, stored: EmbeddingSettings, form: z.infer<typeof embeddingTestBody>) {
  const endpoint = testEndpoint(config, stored, form, 'embedding endpoint');
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
