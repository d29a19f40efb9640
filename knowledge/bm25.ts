/**
 * BM25 ranking of chunks, in SQL over PostgreSQL full text. The statistics BM25 needs are kept by
 * the database (db/migrations/Migration20261220090000_bm25.ts): `chunks.term_count` (the chunk's
 * length), `bm25_kb_stats` (chunks and terms per knowledge base) and `bm25_term_stats` (document
 * frequency per knowledge base and lexeme), counting active versions only.
 *
 * A search is planned in two steps. First one small query reads the query's lexemes (in each
 * knowledge base's language) with their document frequencies; `planTerms` turns them into IDF
 * weights and picks which terms may MATCH: the rarest ones, while the rows they can match stay
 * within a budget. Every term still SCORES, but a chunk holding only very common terms (low IDF,
 * small contribution) is not a candidate: a long query (a claim, a whole sentence) reads a few
 * hundred rows through the GIN index instead of most of the table. Then the scoring query ranks
 * the candidates by
 *   Σ idf(t)·qtf(t) · tf·(k1+1) / (tf + k1·(1 − b + b·len/avglen)),
 * reading each chunk's term frequencies from its tsvector: `setweight` marks the query lexemes and
 * `ts_filter` keeps only them, so only those few lexemes are unnested per row.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RetrievalSettings } from '../core/knowledge/types';

export interface Bm25Params {
  k1: number;
  b: number;
}

/** Tuned on SciFact's train split (bench/retrieval-tune.ts); the BM25 textbook values are 1.2 / 0.75. */
export const DEFAULT_BM25: Bm25Params = { k1: 1.2, b: 0.6 };

export const bm25Params = (s: Pick<RetrievalSettings, 'bm25K1' | 'bm25B'>): Bm25Params => ({ k1: s.bm25K1 ?? DEFAULT_BM25.k1, b: s.bm25B ?? DEFAULT_BM25.b });

/**
 * Rows the matching terms of one query may match together (by their document frequencies): each
 * candidate costs ~20 µs to score, so this bounds the full-text side's time at any corpus size.
 */
export const MATCH_ROW_BUDGET = 500;
/** Terms scored per query, highest IDF first: a pasted page does not become a 300-term query. */
export const MAX_QUERY_TERMS = 32;

export interface QueryTerm {
  term: string;
  /** Occurrences in the query. */
  qtf: number;
  /** Chunks of the searched knowledge bases holding it. */
  df: number;
}

export interface TermPlan {
  /** Scored terms and their weights (idf · qtf). */
  terms: string[];
  weights: number[];
  /** The terms a chunk must hold one of to be a candidate. */
  match: string[];
  avgLength: number;
}

/** BM25's IDF, Lucene's variant: never negative, so a term in most chunks still counts a little. */
export const idf = (n: number, df: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5));

/**
 * Weights and matching terms from the query's terms and the corpus size. Terms no chunk holds are
 * dropped; the rarest terms match, adding terms while their document frequencies sum within
 * `budget` (the rarest always matches, however common). Null when nothing can match.
 */
export function planTerms(query: QueryTerm[], chunks: number, totalTerms: number, budget = MATCH_ROW_BUDGET): TermPlan | null {
  const present = query
    .filter((t) => t.df > 0)
    .sort((a, b) => a.df - b.df || (a.term < b.term ? -1 : 1))
    .slice(0, MAX_QUERY_TERMS);
  if (present.length === 0 || chunks <= 0) return null;
  const match: string[] = [];
  let rows = 0;
  for (const t of present) {
    if (match.length > 0 && rows + t.df > budget) break;
    match.push(t.term);
    rows += t.df;
  }
  return {
    terms: present.map((t) => t.term),
    weights: present.map((t) => idf(chunks, t.df) * t.qtf),
    match,
    avgLength: Math.max(1, totalTerms / chunks),
  };
}

interface TermRow {
  term: string;
  qtf: number;
  df: number | string;
  chunks: number | string;
  total: number | string;
}

/** The query's lexemes in the languages of the searched knowledge bases, with their statistics. */
export async function queryTerms(em: EntityManager, tenantId: string, kbArray: string, text: string) {
  const rows = await em.execute<TermRow[]>(
    `with kbs as (select id, language from knowledge_bases where tenant_id = ? and id = any(?::uuid[])),
     q as (select u.lexeme as term, max(coalesce(array_length(u.positions, 1), 1)) as qtf
           from (select distinct language from kbs) k, unnest(to_tsvector(k.language::regconfig, ?)) u group by u.lexeme),
     n as (select coalesce(sum(chunk_count), 0) as chunks, coalesce(sum(total_terms), 0) as total from bm25_kb_stats where knowledge_base_id in (select id from kbs))
     select q.term, q.qtf, n.chunks, n.total,
            coalesce((select sum(t.df) from bm25_term_stats t where t.knowledge_base_id in (select id from kbs) and t.term = q.term), 0) as df
     from q, n`,
    [tenantId, kbArray, text],
  );
  return {
    terms: rows.map((r) => ({ term: r.term, qtf: Number(r.qtf), df: Number(r.df) })),
    chunks: Number(rows[0]?.chunks ?? 0),
    totalTerms: Number(rows[0]?.total ?? 0),
  };
}

/** A PostgreSQL text[] literal; each element quoted, so lexemes with commas or quotes stay whole. */
export const textArray = (values: string[]) => `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;

/** `a | b | c` of quoted lexemes: matches chunks holding any of them. */
const anyOf = (terms: string[]) => terms.map((t) => `'${t.replace(/'/g, "''").replace(/\\/g, '\\\\')}'`).join(' | ');

/**
 * A CTE body yielding (id, content_hash, rank) for the plan: candidates of the active versions in
 * scope, one per content hash, best BM25 score first. Equal scores are ordered by content hash, so
 * the same corpus ranks the same way every time.
 */
export function bm25Sql(scope: unknown[], plan: TermPlan, params: Bm25Params, limit: number) {
  return {
    sql: `select id, content_hash, row_number() over (order by score desc, content_hash) as rank from (
      select distinct on (content_hash) * from (
        select c.id, c.content_hash,
          (select sum(w.weight * f.tf * (?::float8 + 1) / (f.tf + ?::float8 * (1 - ?::float8 + ?::float8 * c.term_count / ?::float8)))
             from (select u.lexeme, coalesce(array_length(u.positions, 1), 1) as tf from unnest(ts_filter(setweight(c.tsv, 'A', ?::text[]), '{a}')) u) f
             join unnest(?::text[], ?::float8[]) as w(term, weight) on w.term = f.lexeme) as score
        from chunks c
        where c.tenant_id = ? and c.knowledge_base_id = any(?::uuid[]) and c.tsv @@ ?::tsquery
          and c.version = (select d.active_version from documents d where d.id = c.document_id)
        order by score desc, c.content_hash, c.id limit ?) t0
      order by content_hash, score desc, id) t`,
    params: [
      params.k1, params.k1, params.b, params.b, plan.avgLength,
      textArray(plan.terms), textArray(plan.terms), `{${plan.weights.join(',')}}`,
      ...scope, anyOf(plan.match), limit,
    ],
  };
}
