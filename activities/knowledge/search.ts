/**
 * `searchKnowledge`: the AI reply's retrieval. Hybrid search over the given knowledge bases, with
 * the settings of the first one the tenant owns (a node's bases are searched as one collection,
 * so one set of knobs ranks them), the query embedded by the tenant's embedder — the one its
 * chunks were embedded with.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { log } from '@temporalio/activity';
import type { RetrievalSettings } from '../../core/knowledge/types';
import { KnowledgeBase } from '../../db/entities';
import { tenantEm } from '../../db/orm';
import type { ActivityDeps } from '../deps';
import type { KnowledgePassage, SwitchboardActivities } from '../types';
import { createReranker, rerankHits } from '../../knowledge/rerank';
import { hybridSearch } from '../../knowledge/search';
import { baseEmbedderForTenant, rerankerForTenant } from '../../knowledge/tenant-embedder';
import { isUuid } from '../../core/ids';

/** A contact can paste a whole letter; the start of it says what it is about. */
const MAX_QUERY_CHARS = 2000;

const DEFAULT_RERANK_CANDIDATES = 20;

/**
 * Embeds a query the way the knowledge base's chunks were embedded and runs the hybrid search,
 * then the reranking step when the settings ask for it and the tenant has a reranker.
 * Queries skip the embedding cache: they rarely repeat, and caching them would grow it without bound.
 */
export async function searchByText(
  deps: Pick<ActivityDeps, 'orm' | 'config'>,
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

export function knowledgeActivities(deps: Pick<ActivityDeps, 'orm' | 'config'>): Pick<SwitchboardActivities, 'searchKnowledge'> {
  return {
    async searchKnowledge({ tenantId, knowledgeBaseIds, query, topK }) {
      const text = query.trim().slice(0, MAX_QUERY_CHARS);
      const ids = [...new Set(knowledgeBaseIds.filter(isUuid))];
      if (!text || ids.length === 0) return { passages: [] };
      const em = tenantEm(deps.orm, tenantId);
      // The tenant filter makes another tenant's ids invisible here, as the search's own scope does.
      const owned = await em.find(KnowledgeBase, { id: { $in: ids } }, { fields: ['id', 'retrieval'] });
      const first = ids.map((id) => owned.find((kb) => kb.id === id)).find((kb) => kb !== undefined);
      if (!first) return { passages: [] };
      const settings: RetrievalSettings = { ...first.retrieval, ...(topK !== undefined ? { topK } : {}) };
      const hits = await searchByText(deps, em, tenantId, ids, text, settings, (err) =>
        log.warn('reranking failed; passages keep the fused order', { error: err instanceof Error ? err.message : String(err) }),
      );
      return {
        passages: hits.map(
          (h): KnowledgePassage => ({
            text: h.text,
            score: h.score,
            citation: {
              document: h.documentName,
              documentId: h.documentId,
              ...(h.section ? { section: h.section } : {}),
              ...(h.page !== null ? { page: h.page } : {}),
            },
          }),
        ),
      };
    },
  };
}
