/**
 * BEIR datasets and ranking metrics for the retrieval benchmark. A BEIR folder holds
 * `corpus.jsonl` ({_id, title, text}), `queries.jsonl` ({_id, text}) and `qrels/test.tsv` (query-id,
 * corpus-id, score; with a header), and for tuning `qrels/train.tsv`. Only queries that have
 * judgements are evaluated.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BeirDoc {
  id: string;
  title: string;
  text: string;
}

export interface BeirDataset {
  corpus: BeirDoc[];
  queries: { id: string; text: string }[];
  /** query id → corpus id → graded relevance (> 0). */
  qrels: Map<string, Map<string, number>>;
}

function readJsonl<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as T);
}

/** `split` names the qrels file: `test` (reported) or `train` (for tuning only). */
export function readBeir(dir: string, split: 'test' | 'train' = 'test'): BeirDataset {
  const corpus = readJsonl<{ _id: string; title?: string; text: string }>(join(dir, 'corpus.jsonl')).map((d) => ({ id: String(d._id), title: d.title ?? '', text: d.text }));
  const qrels = new Map<string, Map<string, number>>();
  const [, ...rows] = readFileSync(join(dir, 'qrels', `${split}.tsv`), 'utf8').split('\n').filter((l) => l.trim());
  for (const row of rows) {
    const [queryId, corpusId, score] = row.split('\t');
    if (Number(score) <= 0) continue;
    if (!qrels.has(queryId)) qrels.set(queryId, new Map());
    qrels.get(queryId)!.set(corpusId, Number(score));
  }
  const queries = readJsonl<{ _id: string; text: string }>(join(dir, 'queries.jsonl'))
    .map((q) => ({ id: String(q._id), text: q.text }))
    .filter((q) => qrels.has(q.id));
  return { corpus, queries, qrels };
}

/** Documents in the order of their best chunk: chunk hits become a document ranking. */
export function documentRanking(chunkDocIds: string[]): string[] {
  return [...new Set(chunkDocIds)];
}

export interface QueryScores {
  ndcg: number;
  recall: number;
  mrr: number;
}

/** nDCG@k (graded gains, log2 discount), recall@k and MRR@k of one ranking. */
export function scoreRanking(ranking: string[], relevant: Map<string, number>, k = 10): QueryScores {
  const top = ranking.slice(0, k);
  const dcg = top.reduce((sum, id, i) => sum + (relevant.get(id) ?? 0) / Math.log2(i + 2), 0);
  const ideal = [...relevant.values()].sort((a, b) => b - a).slice(0, k);
  const idcg = ideal.reduce((sum, gain, i) => sum + gain / Math.log2(i + 2), 0);
  const found = top.filter((id) => relevant.has(id)).length;
  const first = top.findIndex((id) => relevant.has(id));
  return { ndcg: idcg ? dcg / idcg : 0, recall: found / relevant.size, mrr: first < 0 ? 0 : 1 / (first + 1) };
}

export function meanScores(all: QueryScores[]): QueryScores {
  const mean = (pick: (s: QueryScores) => number) => Math.round((all.reduce((sum, s) => sum + pick(s), 0) / Math.max(1, all.length)) * 1000) / 1000;
  return { ndcg: mean((s) => s.ndcg), recall: mean((s) => s.recall), mrr: mean((s) => s.mrr) };
}
