/**
 * Tunes BM25 (k1, b) and reciprocal rank fusion on a BEIR dataset's TRAIN judgements, then scores
 * the chosen settings on its TEST judgements, so the figures reported are not fitted to the
 * questions they are measured on. `npm run bench:retrieval-tune -- --beir <folder>`; the corpus is
 * stored directly (bench/retrieval-store.ts), with the offline embedder. Fusion is searched by
 * re-fusing each query's two candidate lists in memory, exactly as the SQL fuses them (same score,
 * same tie order). Results: bench/results/retrieval-tune.json.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { offlineEmbedder } from '../core/knowledge/offline-embedder';
import { DEFAULT_RETRIEVAL, type RetrievalSettings, type SearchHit } from '../core/knowledge/types';
import { createOrm, tenantEm, type Orm } from '../db/orm';
import { hybridSearch, textOnlySearch, vectorOnlySearch } from '../knowledge/search';
import { createScratchDatabase, DEFAULT_ADMIN_URL } from '../test/support/database';
import { documentRanking, meanScores, readBeir, scoreRanking, type BeirDataset, type QueryScores } from './retrieval-eval';
import { publishedBaselines } from './retrieval-published';
import { newScope, storeBeirCorpus, type Scope } from './retrieval-store';
import { writeResult } from './stats';

const K1 = [0.9, 1.2];
const B = [0.4, 0.6, 0.75];
const MATCH_ROWS = [200, 500, 2000];
const VECTOR_WEIGHTS = [0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1];
const RRF_K = [5, 10, 20, 40, 60];
const EVAL: RetrievalSettings = { ...DEFAULT_RETRIEVAL, topK: 50, candidates: 50 };

type Fusion = Pick<RetrievalSettings, 'vectorWeight' | 'textWeight' | 'rrfK'>;

const score = (hits: SearchHit[], corpusIdOf: Map<string, string>, relevant: Map<string, number>) =>
  scoreRanking(documentRanking(hits.flatMap((h) => corpusIdOf.get(h.documentId) ?? [])), relevant);

async function mean(data: BeirDataset, run: (text: string, id: string) => Promise<QueryScores>) {
  const all: QueryScores[] = [];
  for (const q of data.queries) all.push(await run(q.text, q.id));
  return meanScores(all);
}

/** The SQL's fusion (knowledge/search.ts) on one query's candidates: score, then text rank, vector rank, id. */
export function fuse(hits: SearchHit[], f: Fusion, topK: number): SearchHit[] {
  const part = (w: number, r: number | null) => (r === null ? 0 : w / (f.rrfK + r));
  const nullsLast = (r: number | null) => r ?? Infinity;
  return hits
    .map((h) => ({ ...h, score: part(f.vectorWeight, h.vectorRank) + part(f.textWeight, h.textRank) }))
    .sort((a, b) => b.score - a.score || nullsLast(a.textRank) - nullsLast(b.textRank) || nullsLast(a.vectorRank) - nullsLast(b.vectorRank) || (a.chunkId < b.chunkId ? -1 : 1))
    .slice(0, topK);
}

/** The corpus stored by an earlier `--keep` run in `databaseUrl`: its scope and document ids. */
async function storedCorpus(orm: Orm): Promise<{ scope: Scope; corpusIdOf: Map<string, string> }> {
  const rows = await orm.em.getConnection().execute<{ tenant_id: string; knowledge_base_id: string; id: string; name: string }[]>(
    `select d.tenant_id, d.knowledge_base_id, d.id, d.name from documents d join knowledge_bases k on k.id = d.knowledge_base_id where k.name = 'Tuning corpus'`,
  );
  if (rows.length === 0) throw new Error('no stored tuning corpus in that database');
  const { tenant_id: tenantId, knowledge_base_id: kb } = rows[0];
  return { scope: { orm, em: tenantEm(orm, tenantId), tenantId, kbs: [kb] }, corpusIdOf: new Map(rows.map((r) => [r.id, r.name])) };
}

export async function tune(opts: { beir: string; adminUrl?: string; databaseUrl?: string; keep?: boolean; k1?: number; b?: number; concurrency: number; log: (l: string) => void; out: string }) {
  const { log } = opts;
  const train = readBeir(opts.beir, 'train');
  const test = readBeir(opts.beir, 'test');
  const db = opts.databaseUrl ? null : await createScratchDatabase(opts.adminUrl ?? DEFAULT_ADMIN_URL, 'switchboard_bench_tune');
  const orm = await createOrm(opts.databaseUrl ?? db!.url, { poolSize: opts.concurrency + 2 });
  try {
    const stored = opts.databaseUrl ? await storedCorpus(orm) : null;
    const scope = stored?.scope ?? (await newScope(orm, 'Tuning corpus'));
    const started = performance.now();
    const corpusIdOf = stored?.corpusIdOf ?? (await storeBeirCorpus(scope, train.corpus, opts.concurrency));
    log(`${stored ? 'found' : 'stored'} ${corpusIdOf.size} documents in ${((performance.now() - started) / 1000).toFixed(0)} s; ${train.queries.length} train, ${test.queries.length} test queries`);
    await orm.em.getConnection().execute('analyze');
    if (opts.keep && db) log(`keeping the database: --database ${db.url}`);
    const text = (s: RetrievalSettings) => (q: string, id: string, data: BeirDataset) =>
      textOnlySearch(scope.em, scope.tenantId, scope.kbs, { text: q }, s).then((h) => score(h, corpusIdOf, data.qrels.get(id)!));

    let best = { k1: 0, b: 0, ndcg: -1 };
    for (const k1 of opts.k1 === undefined ? K1 : [opts.k1]) {
      for (const b of opts.b === undefined ? B : [opts.b]) {
        const m = await mean(train, (q, id) => text({ ...EVAL, bm25K1: k1, bm25B: b })(q, id, train));
        log(`train full text k1 ${k1} b ${b}: nDCG@10 ${m.ndcg}`);
        if (m.ndcg > best.ndcg) best = { k1, b, ndcg: m.ndcg };
      }
    }
    log(`chosen k1 ${best.k1} b ${best.b}`);
    // The candidate budget trades recall for time: its effect is reported, the default is chosen for latency.
    const budgets: Record<string, number> = {};
    for (const rows of opts.k1 === undefined ? MATCH_ROWS : []) {
      budgets[rows] = (await mean(train, (q, id) => text({ ...EVAL, bm25K1: best.k1, bm25B: best.b, bm25MatchRows: rows })(q, id, train))).ndcg;
      log(`train full text, match budget ${rows} rows: nDCG@10 ${budgets[rows]}`);
    }
    const bm25 = { bm25K1: best.k1, bm25B: best.b };

    // Both candidate lists per train query, fused again for every setting.
    const candidates: { id: string; hits: SearchHit[] }[] = [];
    for (const q of train.queries) {
      const [embedding] = await offlineEmbedder.embed([q.text]);
      const hits = await hybridSearch(scope.em, scope.tenantId, scope.kbs, { text: q.text, embedding, embedderId: offlineEmbedder.id }, { ...EVAL, ...bm25, topK: 2 * EVAL.candidates });
      candidates.push({ id: q.id, hits });
    }
    let fusion = { vectorWeight: 1, textWeight: 1, rrfK: 60, ndcg: -1 };
    for (const vectorWeight of VECTOR_WEIGHTS) {
      for (const rrfK of RRF_K) {
        const f = { vectorWeight, textWeight: 1, rrfK };
        const m = meanScores(candidates.map((c) => score(fuse(c.hits, f, EVAL.topK), corpusIdOf, train.qrels.get(c.id)!)));
        log(`train hybrid vector ${vectorWeight} text 1 rrfK ${rrfK}: nDCG@10 ${m.ndcg}`);
        // A tie goes to the larger vector weight: both methods keep contributing.
        if (m.ndcg > fusion.ndcg || (m.ndcg === fusion.ndcg && vectorWeight > fusion.vectorWeight)) fusion = { ...f, ndcg: m.ndcg };
      }
    }
    log(`chosen fusion: vector ${fusion.vectorWeight}, text 1, rrfK ${fusion.rrfK} (train nDCG@10 ${fusion.ndcg})`);

    const settings: RetrievalSettings = { ...EVAL, ...bm25, vectorWeight: fusion.vectorWeight, textWeight: 1, rrfK: fusion.rrfK };
    const testScores = {
      fullText: await mean(test, (q, id) => text(settings)(q, id, test)),
      vector: await mean(test, async (q, id) => {
        const [embedding] = await offlineEmbedder.embed([q]);
        return score(await vectorOnlySearch(scope.em, scope.tenantId, scope.kbs, { embedding, embedderId: offlineEmbedder.id }, settings), corpusIdOf, test.qrels.get(id)!);
      }),
      hybrid: await mean(test, async (q, id) => {
        const [embedding] = await offlineEmbedder.embed([q]);
        return score(await hybridSearch(scope.em, scope.tenantId, scope.kbs, { text: q, embedding, embedderId: offlineEmbedder.id }, settings), corpusIdOf, test.qrels.get(id)!);
      }),
    };
    log('\ntest split   nDCG@10  recall@10  MRR@10');
    for (const [m, s] of Object.entries(testScores)) log(`${m.padEnd(10)} ${s.ndcg.toFixed(3).padStart(7)}  ${s.recall.toFixed(3).padStart(9)}  ${s.mrr.toFixed(3).padStart(6)}`);
    for (const p of publishedBaselines(opts.beir)) log(`${p.method} (published, ${p.source}): nDCG@10 ${p.ndcg}`);
    const result = { dataset: opts.beir.replace(`${process.cwd()}/`, ''), embedder: offlineEmbedder.id, published: publishedBaselines(opts.beir), trainQueries: train.queries.length, testQueries: test.queries.length, bm25: best, matchBudgets: budgets, fusion, test: testScores };
    writeResult(opts.out, result);
    return result;
  } finally {
    await orm.close(true);
    if (db && !opts.keep) await db.drop();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      beir: { type: 'string' },
      concurrency: { type: 'string', default: '4' },
      // A database an earlier --keep run stored the corpus in, to tune again without storing it.
      database: { type: 'string' },
      keep: { type: 'boolean', default: false },
      // Fixed BM25 parameters: skips their search (and the budget's), tuning fusion only.
      k1: { type: 'string' },
      b: { type: 'string' },
      out: { type: 'string', default: fileURLToPath(new URL('./results/retrieval-tune.json', import.meta.url)) },
    },
  });
  if (!values.beir) throw new Error('--beir <BEIR folder with qrels/train.tsv and qrels/test.tsv> is required');
  await tune({ beir: resolve(values.beir), databaseUrl: values.database, keep: values.keep, k1: values.k1 ? Number(values.k1) : undefined, b: values.b ? Number(values.b) : undefined, concurrency: Number(values.concurrency), out: resolve(values.out), adminUrl: process.env.BENCH_DATABASE_ADMIN_URL, log: (l) => console.log(l) });
}
