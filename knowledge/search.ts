/**
 * Retrieval over chunks: hybrid (vector + full text, fused by reciprocal rank fusion) and each
 * method alone, for the retrieval benchmark. All three are one SQL statement built from the same
 * pieces, so they scope, fuse, deduplicate and rank identically; only the methods present differ.
 *
 * Every method reads only chunks that are the tenant's, in the given knowledge bases, and of their
 * document's active version: a reindex in progress (or another tenant's id) is invisible. The
 * vector method also reads only chunks embedded by the query's embedder: after the tenant changes
 * embedders, documents not yet reindexed are found by full text alone, never by comparing vectors
 * of two models.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import pgvector from 'pgvector';
import { bm25Params, bm25Sql, planTerms, queryTerms } from './bm25';
import { EMBEDDING_DIMENSIONS, type RetrievalSettings, type SearchHit } from '../core/knowledge/types';
import { isUuid } from '../core/ids';

export interface SearchQuery {
  text: string;
  /** The query text embedded by the tenant's embedder. */
  embedding: number[];
  /** `Embedder.id` of that embedder: only chunks it embedded are compared with `embedding`. */
  embedderId: string;
}

interface Method {
  /** A CTE body yielding (id, content_hash, rank), one row per content hash, rank 1-based. */
  sql: string;
  params: unknown[];
}

/** Scoping of the vector method; the correlated subquery keeps the vector index scan usable. */
const VISIBLE = `c.tenant_id = ? and c.knowledge_base_id = any(?::uuid[])
      and c.version = (select d.active_version from documents d where d.id = c.document_id)`;

/** A method left out contributes no rows, so fusion and filtering stay the same SQL. */
const NONE: Method = { sql: 'select null::uuid as id, null::text as content_hash, null::bigint as rank where false', params: [] };

function vectorMethod(scope: unknown[], { embedding, embedderId }: Pick<SearchQuery, 'embedding' | 'embedderId'>, limit: number): Method {
  if (embedding.length !== EMBEDDING_DIMENSIONS) throw new Error(`query embedding has ${embedding.length} dimensions, expected ${EMBEDDING_DIMENSIONS}`);
  return {
    // `order by distance` is the bare `<=>` expression, which PostgreSQL answers from the hnsw index.
    sql: `select id, content_hash, row_number() over (order by distance, id) as rank from (
      select distinct on (content_hash) * from (
        select c.id, c.content_hash, c.embedding <=> ?::vector as distance from chunks c
        where ${VISIBLE} and c.embedder_id = ? order by distance limit ?) v0
      order by content_hash, distance, id) v`,
    params: [pgvector.toSql(embedding), ...scope, embedderId, limit],
  };
}

/**
 * Full-text candidates ranked by BM25 (knowledge/bm25.ts): any of the query's selective words may
 * match, every word scores. The query is parsed like plainto_tsquery in each knowledge base's
 * language, so user input never fails; empty or stop-word-only text, or words no chunk holds,
 * match nothing.
 */
async function textMethod(em: EntityManager, scope: [string, string], text: string, settings: RetrievalSettings, limit: number): Promise<Method> {
  const stats = await queryTerms(em, scope[0], scope[1], text);
  const plan = planTerms(stats.terms, stats.chunks, stats.totalTerms, settings.bm25MatchRows);
  return plan ? bm25Sql(scope, plan, bm25Params(settings), limit) : NONE;
}

/**
 * Fusion: score = Σ weight / (rrfK + rank) over the methods that found the text. Chunks with the
 * same content hash (the same text in two documents) are one piece of evidence: each method keeps
 * its best copy and the methods are joined on the hash, so a tie between copies can never split
 * one text's score across two hits. Equal weights make mirrored ranks (1st and 3rd against 3rd
 * and 1st) tie exactly; the full-text rank, which says the words themselves match, decides them.
 */
function searchSql(vec: Method, txt: Method, s: RetrievalSettings): { sql: string; params: unknown[] } {
  const sql = `
with vec as (${vec.sql}),
txt as (${txt.sql}),
fused as (
  select coalesce(vec.id, txt.id) as id, vec.rank as vector_rank, txt.rank as text_rank,
         coalesce(?::float8 / (?::float8 + vec.rank), 0) + coalesce(?::float8 / (?::float8 + txt.rank), 0) as score
  from vec full outer join txt on txt.content_hash = vec.content_hash
),
best as (
  select f.*, c.document_id, c.section, c.page, c.text from fused f join chunks c on c.id = f.id
)
select b.id as chunk_id, b.document_id, d.name as document_name, b.section, b.page, b.text, b.score, b.vector_rank, b.text_rank
from best b join documents d on d.id = b.document_id
where b.score >= ?
order by b.score desc, b.text_rank nulls last, b.vector_rank nulls last, b.id
limit ?`;
  return { sql, params: [...vec.params, ...txt.params, s.vectorWeight, s.rrfK, s.textWeight, s.rrfK, s.minScore, s.topK] };
}

interface Row {
  chunk_id: string;
  document_id: string;
  document_name: string;
  section: string | null;
  page: number | null;
  text: string;
  score: number;
  vector_rank: string | number | null;
  text_rank: string | number | null;
}

const rankOf = (r: string | number | null) => (r === null ? null : Number(r));

/** hnsw.ef_search caps what one index scan returns; it must cover the candidates asked for. */
const EF_SEARCH_MAX = 1000;
/** pgvector's default ef_search: enough for the default 40 candidates without changing it. */
const EF_SEARCH_DEFAULT = 40;

async function run(
  em: EntityManager,
  tenantId: string,
  knowledgeBaseIds: string[],
  settings: RetrievalSettings,
  methods: { vector?: Pick<SearchQuery, 'embedding' | 'embedderId'>; text?: string },
): Promise<SearchHit[]> {
  // Ids that are not uuids match nothing; dropping them keeps the array literal well-formed.
  const ids = knowledgeBaseIds.filter(isUuid);
  if (ids.length === 0 || settings.topK <= 0) return [];
  // Passed as one array literal: the driver would expand a JS array into a list of parameters.
  const scope: [string, string] = [tenantId, `{${ids.join(',')}}`];
  const limit = settings.candidates;
  const vec = methods.vector ? vectorMethod(scope, methods.vector, limit) : NONE;
  const txt = methods.text !== undefined ? await textMethod(em, scope, methods.text, settings, limit) : NONE;
  const { sql, params } = searchSql(vec, txt, settings);
  // Every connection scans HNSW iteratively (db/orm.ts): filtered scans keep going until enough
  // visible rows are found, in relaxed order; the ranks are recomputed from the distances. More
  // candidates than the default ef_search returns need a larger one, set for this query only.
  const efSearch = Math.min(Math.max(limit, EF_SEARCH_DEFAULT), EF_SEARCH_MAX);
  const rows =
    methods.vector && efSearch !== EF_SEARCH_DEFAULT
      ? await em.transactional(async (tx) => {
          await tx.execute(`select set_config('hnsw.ef_search', ?, true)`, [String(efSearch)]);
          return tx.execute<Row[]>(sql, params);
        })
      : await em.execute<Row[]>(sql, params);
  return rows.map((r) => ({
    chunkId: r.chunk_id,
    documentId: r.document_id,
    documentName: r.document_name,
    section: r.section,
    page: r.page,
    text: r.text,
    score: Number(r.score),
    vectorRank: rankOf(r.vector_rank),
    textRank: rankOf(r.text_rank),
  }));
}

export const hybridSearch = (em: EntityManager, tenantId: string, knowledgeBaseIds: string[], query: SearchQuery, settings: RetrievalSettings) =>
  run(em, tenantId, knowledgeBaseIds, settings, { vector: query, text: query.text });

export const vectorOnlySearch = (em: EntityManager, tenantId: string, knowledgeBaseIds: string[], query: Pick<SearchQuery, 'embedding' | 'embedderId'>, settings: RetrievalSettings) =>
  run(em, tenantId, knowledgeBaseIds, settings, { vector: query });

export const textOnlySearch = (em: EntityManager, tenantId: string, knowledgeBaseIds: string[], query: Pick<SearchQuery, 'text'>, settings: RetrievalSettings) =>
  run(em, tenantId, knowledgeBaseIds, settings, { text: query.text });
