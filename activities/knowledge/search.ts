/**
 * `searchKnowledge`: the AI reply's retrieval. Hybrid search over the given knowledge bases, with
 * the settings of the first one the tenant owns (a node's bases are searched as one collection,
 * so one set of knobs ranks them), the query embedded by the tenant's embedder — the one its
 * chunks were embedded with.
 */
import { log } from '@temporalio/activity';
import { isUuid } from '../../core/ids';
import type { RetrievalSettings } from '../../core/knowledge/types';
import { KnowledgeBase } from '../../db/entities';
import { tenantEm } from '../../db/orm';
import { searchByText } from '../../knowledge/retrieve';
import { cancellationSignal } from '../context';
import type { ActivityDeps } from '../deps';
import type { KnowledgePassage, SwitchboardActivities } from '../types';

/** A contact can paste a whole letter; the start of it says what it is about. */
const MAX_QUERY_CHARS = 2000;

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
      const hits = await searchByText({ ...deps, signal: cancellationSignal() }, em, tenantId, ids, text, settings, (err) =>
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
