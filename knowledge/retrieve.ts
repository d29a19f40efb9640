/** Retrieval by text, shared by the `searchKnowledge` activity and the API's search route. */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RetrievalSettings } from '../core/knowledge/types';
import { createReranker, rerankHits } from './rerank';
import { hybridSearch } from './search';
import { baseEmbedderForTenant, rerankerForTenant, type KnowledgeDeps } from './tenant-embedder';

const DEFAULT_RERANK_CANDIDATES = 20;

/**
 * Embeds a query the way the knowledge base's chunks were embedded and runs the hybrid search,
 * then the reranking step when the settings ask for it and the tenant has a reranker.
 * Queries skip the embedding cache: they rarely repeat, and caching them would grow it without bound.
 */
export async function searchByText(
  deps: KnowledgeDeps,
  em: EntityManager,
  tenantId: string,
  knowledgeBaseIds: string[],
  text: string,
  settings: RetrievalSettings,
  onRerankError?: (err: unknown) => void,
) {
  const embedder = await baseEmbedderForTenant(deps, tenantId);
  const [embedding] = await embedder.embed([text]);
  const query = { text, embedding, embedderId: embedder.id };
  const provider = settings.rerank ? await rerankerForTenant(deps, tenantId) : null;
  if (!provider) return hybridSearch(em, tenantId, knowledgeBaseIds, query, settings);
  const candidates = Math.max(settings.topK, settings.rerankCandidates ?? DEFAULT_RERANK_CANDIDATES);
  const fused = await hybridSearch(em, tenantId, knowledgeBaseIds, query, { ...settings, topK: candidates });
  return rerankHits(createReranker(provider), text, fused, settings.topK, (err) => onRerankError?.(err));
}
