/**
 * Retrieval quality and speed. `npm run bench:retrieval -- --dataset <BEIR folder>` ingests the
 * corpus into a scratch database through the pipeline's pieces (one section per document →
 * chunkDocument → offline embedder → upsertChunks → activateVersion), runs every judged query with
 * full text only, vector only and hybrid, and prints nDCG@10, recall@10 and MRR@10 at document
 * level (a document ranks where its best chunk does). Then it times hybrid search at the corpus
 * size and at `--synthetic` chunks (default 100k) of generated text. Results: bench/results/retrieval.json.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chunkDocument, embeddingInput } from '../core/knowledge/chunk';
import { offlineEmbedder } from '../core/knowledge/offline-embedder';
import { DEFAULT_RETRIEVAL, type DocumentChunk, type RetrievalSettings, type SearchHit } from '../core/knowledge/types';
import { commonLexemes } from '../activities/rag/common-lexemes';
import { hybridSearch, TEXT_ROW_BUDGET, textOnlySearch, vectorOnlySearch } from '../activities/rag/search';
import { createOrm, systemEm, tenantEm, type Orm } from '../db/orm';
import { activateVersion, createDocument, createKnowledgeBase, ensureTenant, upsertChunks } from '../db/repos';
import { createScratchDatabase, DEFAULT_ADMIN_URL } from '../test/support/database';
import { documentRanking, meanScores, readBeir, scoreRanking, type QueryScores } from './retrieval-eval';
import { syntheticChunk, syntheticQuery } from './retrieval-synthetic';
import { mapConcurrent, summarize, writeResult } from './stats';

const { values } = parseArgs({
  options: {
    dataset: { type: 'string', default: fileURLToPath(new URL('./datasets/front-desk', import.meta.url)) },
    synthetic: { type: 'string', default: '100000' },
    'latency-queries': { type: 'string', default: '200' },
    // Documents indexed at once, as a worker runs several ingestDocument workflows at once.
    concurrency: { type: 'string', default: '4' },
    // Fusion settings to try on your own dataset before setting them on a knowledge base.
    'vector-weight': { type: 'string' },
    'text-weight': { type: 'string' },
    'rrf-k': { type: 'string' },
    // Prints the queries where hybrid ranks the first relevant document lower than a single method.
    'per-query': { type: 'boolean', default: false },
  },
});
const SYNTHETIC_CHUNKS = Number(values.synthetic);
const LATENCY_QUERIES = Number(values['latency-queries']);
const CONCURRENCY = Math.max(1, Number(values.concurrency));
const out = fileURLToPath(new URL('./results/retrieval.json', import.meta.url));
/** Enough chunk hits that ten distinct documents are almost always among them. */
const FUSION: RetrievalSettings = {
  ...DEFAULT_RETRIEVAL,
  ...(values['vector-weight'] ? { vectorWeight: Number(values['vector-weight']) } : {}),
  ...(values['text-weight'] ? { textWeight: Number(values['text-weight']) } : {}),
  ...(values['rrf-k'] ? { rrfK: Number(values['rrf-k']) } : {}),
};
const EVAL_SETTINGS: RetrievalSettings = { ...FUSION, topK: 50, candidates: 50 };
const CHUNK_OPTIONS = { maxTokens: 400, overlapTokens: 60 };
const SYNTHETIC_DOC_CHUNKS = 250;

type Method = 'fullText' | 'vector' | 'hybrid';
type Scope = { orm: Orm; em: ReturnType<typeof tenantEm>; tenantId: string; kbs: string[] };

const METHODS: Record<Method, (s: Scope, text: string, embedding: number[], settings: RetrievalSettings) => Promise<SearchHit[]>> = {
  fullText: (s, text, _e, settings) => textOnlySearch(s.em, s.tenantId, s.kbs, { text }, settings),
  vector: (s, _t, embedding, settings) => vectorOnlySearch(s.em, s.tenantId, s.kbs, { embedding }, settings),
  hybrid: (s, text, embedding, settings) => hybridSearch(s.em, s.tenantId, s.kbs, { text, embedding }, settings),
};

async function newScope(orm: Orm, name: string): Promise<Scope> {
  const tenant = await ensureTenant(systemEm(orm), `bench-${randomBytes(4).toString('hex')}`, name);
  const em = tenantEm(orm, tenant.id);
  const kb = await createKnowledgeBase(em, tenant.id, { name, chunkSize: CHUNK_OPTIONS.maxTokens, chunkOverlap: CHUNK_OPTIONS.overlapTokens });
  return { orm, em, tenantId: tenant.id, kbs: [kb.id] };
}

/** Stores one document's chunks as its active version; returns the document id. */
async function storeDocument(scope: Scope, name: string, text: string, chunks: DocumentChunk[]): Promise<string> {
  // Documents are stored concurrently: each gets its own EntityManager, as each activity does.
  const em = tenantEm(scope.orm, scope.tenantId);
  const { document } = await createDocument(em, scope.tenantId, {
    knowledgeBaseId: scope.kbs[0],
    name,
    sourceType: 'text',
    mimeType: 'text/plain',
    content: Buffer.from(text),
  });
  const vectors = await offlineEmbedder.embed(chunks.map(embeddingInput));
  await upsertChunks(em, scope.tenantId, document.id, 1, chunks.map((c, i) => ({ ...c, embedding: vectors[i] })));
  await activateVersion(em, document.id, 1);
  return document.id;
}

async function timeHybrid(scope: Scope, queries: string[]) {
  const latencies: number[] = [];
  for (const text of queries) {
    const [embedding] = await offlineEmbedder.embed([text]);
    const started = performance.now();
    await METHODS.hybrid(scope, text, embedding, FUSION);
    latencies.push(performance.now() - started);
  }
  return summarize(latencies);
}

const dataset = readBeir(values.dataset);
console.log(`dataset ${values.dataset}: ${dataset.corpus.length} documents, ${dataset.queries.length} judged queries`);
const db = await createScratchDatabase(process.env.BENCH_DATABASE_ADMIN_URL ?? DEFAULT_ADMIN_URL, 'switchboard_bench_retrieval');
const orm = await createOrm(db.url, { poolSize: CONCURRENCY + 2 });
try {
  // Ingestion: the corpus, each document as one section under its title.
  const corpusScope = await newScope(orm, 'Benchmark corpus');
  const corpusIdOf = new Map<string, string>();
  let chunkCount = 0;
  const ingestStarted = performance.now();
  await mapConcurrent(dataset.corpus, CONCURRENCY, async (doc) => {
    const chunks = chunkDocument({ title: doc.title || null, sections: [{ text: doc.text, heading: doc.title || null, page: null }], pageCount: null }, CHUNK_OPTIONS);
    chunkCount += chunks.length;
    corpusIdOf.set(await storeDocument(corpusScope, doc.title || doc.id, doc.text, chunks), doc.id);
  });
  const ingestSeconds = (performance.now() - ingestStarted) / 1000;
  const ingestion = { documents: dataset.corpus.length, chunks: chunkCount, seconds: Math.round(ingestSeconds * 100) / 100, chunksPerSecond: Math.round(chunkCount / ingestSeconds) };
  console.log(`ingested ${chunkCount} chunks in ${ingestion.seconds} s (${ingestion.chunksPerSecond} chunks/s)`);

  // Quality: every judged query through each method, scored at document level.
  const scores: Record<Method, QueryScores[]> = { fullText: [], vector: [], hybrid: [] };
  for (const query of dataset.queries) {
    const [embedding] = await offlineEmbedder.embed([query.text]);
    for (const method of Object.keys(METHODS) as Method[]) {
      const hits = await METHODS[method](corpusScope, query.text, embedding, EVAL_SETTINGS);
      const ranking = documentRanking(hits.map((h) => corpusIdOf.get(h.documentId)!));
      scores[method].push(scoreRanking(ranking, dataset.qrels.get(query.id)!));
    }
    if (values['per-query']) {
      const [t, v, h] = (['fullText', 'vector', 'hybrid'] as Method[]).map((m) => scores[m].at(-1)!.mrr);
      if (h < Math.max(t, v)) console.log(`  hybrid ${h.toFixed(2)} < fullText ${t.toFixed(2)} / vector ${v.toFixed(2)}: ${query.text}`);
    }
  }
  const quality = Object.fromEntries((Object.keys(scores) as Method[]).map((m) => [m, meanScores(scores[m])])) as Record<Method, QueryScores>;
  console.log('\nmethod     nDCG@10  recall@10  MRR@10');
  for (const [m, s] of Object.entries(quality)) console.log(`${m.padEnd(10)} ${s.ndcg.toFixed(3).padStart(7)}  ${s.recall.toFixed(3).padStart(9)}  ${s.mrr.toFixed(3).padStart(6)}`);

  const latencyQueries = Array.from({ length: LATENCY_QUERIES }, (_, i) => dataset.queries[i % dataset.queries.length].text);
  const corpusLatency = await timeHybrid(corpusScope, latencyQueries);
  console.log(`\nhybrid search at ${chunkCount} chunks: p50 ${corpusLatency.p50} ms, p95 ${corpusLatency.p95} ms`);

  // Scale: generated chunks bulk-inserted with their embeddings, then timed hybrid searches (skipped with --synthetic 0).
  let synthetic: Record<string, number> | null = null;
  if (SYNTHETIC_CHUNKS > 0) {
    const bigScope = await newScope(orm, 'Synthetic corpus');
    const bulkStarted = performance.now();
    const firsts = Array.from({ length: Math.ceil(SYNTHETIC_CHUNKS / SYNTHETIC_DOC_CHUNKS) }, (_, i) => i * SYNTHETIC_DOC_CHUNKS);
    await mapConcurrent(firsts, CONCURRENCY, async (first) => {
      const texts = Array.from({ length: Math.min(SYNTHETIC_DOC_CHUNKS, SYNTHETIC_CHUNKS - first) }, (_, i) => syntheticChunk(first + i + 1));
      const chunks = chunkDocument({ title: null, sections: texts.map((text) => ({ text, heading: null, page: null })), pageCount: null }, CHUNK_OPTIONS);
      await storeDocument(bigScope, `synthetic-${first / SYNTHETIC_DOC_CHUNKS}`, texts.join('\n\n'), chunks);
      if ((first / SYNTHETIC_DOC_CHUNKS) % 40 === 0) console.log(`  synthetic: document at chunk ${first} stored`);
    });
    const bulkSeconds = (performance.now() - bulkStarted) / 1000;
    await systemEm(orm).execute('analyze chunks');
    // Searches read the statistics at most once a minute; this one must see the fresh ones.
    await commonLexemes(bigScope.em, TEXT_ROW_BUDGET, { refresh: true });
    const scaleLatency = await timeHybrid(bigScope, Array.from({ length: LATENCY_QUERIES }, (_, i) => syntheticQuery(i + 1)));
    synthetic = { chunks: SYNTHETIC_CHUNKS, bulkInsertChunksPerSecond: Math.round(SYNTHETIC_CHUNKS / bulkSeconds), ...scaleLatency };
    console.log(`hybrid search at ${SYNTHETIC_CHUNKS} chunks: p50 ${scaleLatency.p50} ms, p95 ${scaleLatency.p95} ms (bulk insert ${synthetic.bulkInsertChunksPerSecond} chunks/s)`);
  }

  writeResult(out, {
    dataset: values.dataset.replace(`${process.cwd()}/`, ''),
    embedder: offlineEmbedder.id,
    chunkOptions: CHUNK_OPTIONS,
    queries: dataset.queries.length,
    evalSettings: EVAL_SETTINGS,
    quality,
    ingestion,
    latency: {
      settings: FUSION,
      corpus: { chunks: chunkCount, ...corpusLatency },
      synthetic,
    },
    node: process.version,
  });
  console.log(`\nwrote ${out}`);
} finally {
  await orm.close(true);
  await db.drop();
}
