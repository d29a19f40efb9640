/**
 * Retrieval quality and speed. `npm run bench:retrieval -- --dataset <BEIR folder>` starts the
 * platform (API, worker, a Temporal dev server, a scratch database) and ingests the corpus through
 * the real pipeline: each document is uploaded to the API and indexed by its `ingestDocument`
 * workflow (bench/retrieval-ingest.ts). Then it runs every judged query with full text only,
 * vector only and hybrid, and prints nDCG@10, recall@10 and MRR@10 at document level (a document
 * ranks where its best chunk does), and times hybrid search at the corpus size. Separately, it
 * bulk-inserts `--synthetic` chunks (default 100k) of generated text straight through the
 * repositories (no workflow: the pipeline would take an hour at that size) and times hybrid search
 * on them. `--pipeline-documents` generated documents of 250 paragraphs each also go through the
 * pipeline, for the ingestion speed of documents large enough to amortise the workflow's own
 * steps. Results: bench/results/retrieval.json. `runRetrievalBenchmark` is the same run for a test.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chunkDocument, embeddingInput } from '../core/knowledge/chunk';
import { offlineEmbedder } from '../core/knowledge/offline-embedder';
import { DEFAULT_RETRIEVAL, type DocumentChunk, type RetrievalSettings, type SearchHit } from '../core/knowledge/types';
import { commonLexemes } from '../knowledge/common-lexemes';
import { hybridSearch, TEXT_ROW_BUDGET, textOnlySearch, vectorOnlySearch } from '../knowledge/search';
import { systemEm, tenantEm, type Orm } from '../db/orm';
import { activateVersion, createDocument, createKnowledgeBase, ensureTenant, upsertChunks } from '../db/repos';
import { startLocalTestServer } from '../temporal/test-server';
import { createScratchDatabase, DEFAULT_ADMIN_URL } from '../test/support/database';
import { startStack } from '../test/support/stack';
import { documentRanking, meanScores, readBeir, scoreRanking, type QueryScores } from './retrieval-eval';
import { ingestThroughPipeline } from './retrieval-ingest';
import { syntheticChunk, syntheticQuery } from './retrieval-synthetic';
import { mapConcurrent, summarize, writeResult } from './stats';

export interface RetrievalBenchOptions {
  dataset: string;
  /** Generated chunks for the scale measurement; 0 skips it. */
  synthetic: number;
  /** Generated 250-paragraph documents ingested through the pipeline for its speed at size; 0 skips it. */
  pipelineDocuments?: number;
  latencyQueries: number;
  /** Documents in flight at once, during ingestion and the synthetic bulk insert. */
  concurrency: number;
  fusion?: Partial<Pick<RetrievalSettings, 'vectorWeight' | 'textWeight' | 'rrfK'>>;
  /** Prints the queries where hybrid ranks the first relevant document lower than a single method. */
  perQuery?: boolean;
  out: string;
  /** A running Temporal server; without one a dev server is started for the run. */
  temporalAddress?: string;
  redisUrl?: string;
  /** Where the scratch database is created. */
  adminUrl?: string;
  log?: (line: string) => void;
}

const CHUNK_OPTIONS = { maxTokens: 400, overlapTokens: 60 };
const SYNTHETIC_DOC_CHUNKS = 250;

type Method = 'fullText' | 'vector' | 'hybrid';
type Scope = { orm: Orm; em: ReturnType<typeof tenantEm>; tenantId: string; kbs: string[] };

const METHODS: Record<Method, (s: Scope, text: string, embedding: number[], settings: RetrievalSettings) => Promise<SearchHit[]>> = {
  fullText: (s, text, _e, settings) => textOnlySearch(s.em, s.tenantId, s.kbs, { text }, settings),
  vector: (s, _t, embedding, settings) => vectorOnlySearch(s.em, s.tenantId, s.kbs, { embedding, embedderId: offlineEmbedder.id }, settings),
  hybrid: (s, text, embedding, settings) => hybridSearch(s.em, s.tenantId, s.kbs, { text, embedding, embedderId: offlineEmbedder.id }, settings),
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
  await upsertChunks(em, scope.tenantId, document.id, 1, chunks.map((c, i) => ({ ...c, embedding: vectors[i] })), offlineEmbedder.id);
  await activateVersion(em, document.id, 1);
  return document.id;
}

async function timeHybrid(scope: Scope, queries: string[], settings: RetrievalSettings) {
  const latencies: number[] = [];
  for (const text of queries) {
    const [embedding] = await offlineEmbedder.embed([text]);
    const started = performance.now();
    await METHODS.hybrid(scope, text, embedding, settings);
    latencies.push(performance.now() - started);
  }
  return summarize(latencies);
}

/** Quality: every judged query through each method, scored at document level. */
async function evaluate(scope: Scope, dataset: ReturnType<typeof readBeir>, corpusIdOf: Map<string, string>, settings: RetrievalSettings, opts: RetrievalBenchOptions) {
  const scores: Record<Method, QueryScores[]> = { fullText: [], vector: [], hybrid: [] };
  for (const query of dataset.queries) {
    const [embedding] = await offlineEmbedder.embed([query.text]);
    for (const method of Object.keys(METHODS) as Method[]) {
      const hits = await METHODS[method](scope, query.text, embedding, settings);
      const ranking = documentRanking(hits.flatMap((h) => corpusIdOf.get(h.documentId) ?? []));
      scores[method].push(scoreRanking(ranking, dataset.qrels.get(query.id)!));
    }
    if (opts.perQuery) {
      const [t, v, h] = (['fullText', 'vector', 'hybrid'] as Method[]).map((m) => scores[m].at(-1)!.mrr);
      if (h < Math.max(t, v)) opts.log?.(`  hybrid ${h.toFixed(2)} < fullText ${t.toFixed(2)} / vector ${v.toFixed(2)}: ${query.text}`);
    }
  }
  return Object.fromEntries((Object.keys(scores) as Method[]).map((m) => [m, meanScores(scores[m])])) as Record<Method, QueryScores>;
}

/** Scale: generated chunks bulk-inserted with their embeddings (no workflow), then timed hybrid searches. */
async function syntheticBulk(orm: Orm, opts: RetrievalBenchOptions, settings: RetrievalSettings) {
  const log = opts.log ?? (() => {});
  const scope = await newScope(orm, 'Synthetic corpus');
  const started = performance.now();
  const firsts = Array.from({ length: Math.ceil(opts.synthetic / SYNTHETIC_DOC_CHUNKS) }, (_, i) => i * SYNTHETIC_DOC_CHUNKS);
  await mapConcurrent(firsts, opts.concurrency, async (first) => {
    const texts = Array.from({ length: Math.min(SYNTHETIC_DOC_CHUNKS, opts.synthetic - first) }, (_, i) => syntheticChunk(first + i + 1));
    const chunks = chunkDocument({ title: null, sections: texts.map((text) => ({ text, heading: null, page: null })), pageCount: null }, CHUNK_OPTIONS);
    await storeDocument(scope, `synthetic-${first / SYNTHETIC_DOC_CHUNKS}`, texts.join('\n\n'), chunks);
    if ((first / SYNTHETIC_DOC_CHUNKS) % 40 === 0) log(`  synthetic: document at chunk ${first} stored`);
  });
  const seconds = (performance.now() - started) / 1000;
  await systemEm(orm).execute('analyze chunks');
  // Searches read the statistics at most once a minute; this one must see the fresh ones.
  await commonLexemes(scope.em, TEXT_ROW_BUDGET, { refresh: true });
  const latency = await timeHybrid(scope, Array.from({ length: opts.latencyQueries }, (_, i) => syntheticQuery(i + 1)), settings);
  return {
    chunks: opts.synthetic,
    bulkInsert: 'chunkDocument → offline embedder → upsertChunks → activateVersion, called directly: not the ingestion workflow',
    bulkInsertChunksPerSecond: Math.round(opts.synthetic / seconds),
    ...latency,
  };
}

/** Ingestion speed where the per-document workflow steps are amortised: generated 250-paragraph documents through the API and the workflow. */
async function pipelineAtSize(stack: Awaited<ReturnType<typeof startStack>>, apiKey: string, opts: RetrievalBenchOptions) {
  const kb = await stack.request('POST', '/v1/knowledge-bases', { apiKey, body: { name: 'Generated documents', chunkSize: CHUNK_OPTIONS.maxTokens, chunkOverlap: CHUNK_OPTIONS.overlapTokens } });
  // Seeds past the synthetic bulk corpus's, so these paragraphs are not already in the embedding cache.
  const documents = Array.from({ length: opts.pipelineDocuments ?? 0 }, (_, d) => ({
    id: `generated-${d + 1}`,
    title: `Generated document ${d + 1}`,
    text: Array.from({ length: SYNTHETIC_DOC_CHUNKS }, (_, i) => syntheticChunk(10_000_000 + d * SYNTHETIC_DOC_CHUNKS + i)).join('\n\n'),
  }));
  const { corpusIdOf: _ids, ...ingestion } = await ingestThroughPipeline(stack, apiKey, kb.body.id, documents, opts.concurrency);
  return { paragraphsPerDocument: SYNTHETIC_DOC_CHUNKS, ...ingestion };
}

export async function runRetrievalBenchmark(opts: RetrievalBenchOptions) {
  const log = opts.log ?? (() => {});
  const fusion: RetrievalSettings = { ...DEFAULT_RETRIEVAL, ...opts.fusion };
  /** Enough chunk hits that ten distinct documents are almost always among them. */
  const evalSettings: RetrievalSettings = { ...fusion, topK: 50, candidates: 50 };
  const dataset = readBeir(opts.dataset);
  log(`dataset ${opts.dataset}: ${dataset.corpus.length} documents, ${dataset.queries.length} judged queries`);

  const temporal = opts.temporalAddress ? null : await startLocalTestServer();
  const db = await createScratchDatabase(opts.adminUrl ?? DEFAULT_ADMIN_URL, 'switchboard_bench_retrieval');
  const stack = await startStack({
    temporalAddress: opts.temporalAddress ?? temporal!.connection.options.address,
    databaseUrl: db.url,
    redisUrl: opts.redisUrl ?? 'redis://127.0.0.1:6379',
  });
  try {
    const { tenantId, apiKey } = await stack.createTenant();
    const kb = await stack.request('POST', '/v1/knowledge-bases', { apiKey, body: { name: 'Benchmark corpus', chunkSize: CHUNK_OPTIONS.maxTokens, chunkOverlap: CHUNK_OPTIONS.overlapTokens } });
    const corpusScope: Scope = { orm: stack.orm, em: tenantEm(stack.orm, tenantId), tenantId, kbs: [kb.body.id] };

    const ingested = await ingestThroughPipeline(stack, apiKey, kb.body.id, dataset.corpus, opts.concurrency);
    const { corpusIdOf, ...ingestion } = ingested;
    log(`ingested ${ingestion.documents} documents (${ingestion.chunks} chunks) through the ingestDocument workflow in ${ingestion.seconds} s: ${ingestion.chunksPerSecond} chunks/s end to end`);
    if (ingestion.failed) log(`  ${ingestion.failed} documents failed, first: ${ingestion.firstFailure}`);

    const quality = await evaluate(corpusScope, dataset, corpusIdOf, evalSettings, opts);
    log('\nmethod     nDCG@10  recall@10  MRR@10');
    for (const [m, q] of Object.entries(quality)) log(`${m.padEnd(10)} ${q.ndcg.toFixed(3).padStart(7)}  ${q.recall.toFixed(3).padStart(9)}  ${q.mrr.toFixed(3).padStart(6)}`);

    const latencyQueries = Array.from({ length: opts.latencyQueries }, (_, i) => dataset.queries[i % dataset.queries.length].text);
    const corpusLatency = await timeHybrid(corpusScope, latencyQueries, fusion);
    log(`\nhybrid search at ${ingestion.chunks} chunks: p50 ${corpusLatency.p50} ms, p95 ${corpusLatency.p95} ms`);

    const atSize = opts.pipelineDocuments ? await pipelineAtSize(stack, apiKey, opts) : null;
    if (atSize) log(`ingested ${atSize.documents} generated documents (${atSize.chunks} chunks) through the ingestDocument workflow in ${atSize.seconds} s: ${atSize.chunksPerSecond} chunks/s end to end`);

    const synthetic = opts.synthetic > 0 ? await syntheticBulk(stack.orm, opts, fusion) : null;
    if (synthetic) {
      log(`hybrid search at ${synthetic.chunks} synthetic chunks: p50 ${synthetic.p50} ms, p95 ${synthetic.p95} ms (bulk insert without the workflow: ${synthetic.bulkInsertChunksPerSecond} chunks/s)`);
    }

    const result = {
      dataset: opts.dataset.replace(`${process.cwd()}/`, ''),
      embedder: offlineEmbedder.id,
      chunkOptions: CHUNK_OPTIONS,
      queries: dataset.queries.length,
      evalSettings,
      quality,
      ingestion: { pipeline: 'API upload → ingestDocument workflow (extract, chunk, embed through the cache, upsert, activate)', concurrency: opts.concurrency, corpus: ingestion, generatedDocuments: atSize },
      latency: { settings: fusion, corpus: { chunks: ingestion.chunks, ...corpusLatency }, synthetic },
      node: process.version,
    };
    writeResult(opts.out, result);
    log(`\nwrote ${opts.out}`);
    return result;
  } finally {
    await stack.close();
    await db.drop();
    await temporal?.teardown();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      dataset: { type: 'string', default: fileURLToPath(new URL('./datasets/front-desk', import.meta.url)) },
      synthetic: { type: 'string', default: '100000' },
      'pipeline-documents': { type: 'string', default: '40' },
      'latency-queries': { type: 'string', default: '200' },
      // Documents in flight at once, as a worker runs several ingestDocument workflows at once.
      concurrency: { type: 'string', default: '8' },
      // Fusion settings to try on your own dataset before setting them on a knowledge base.
      'vector-weight': { type: 'string' },
      'text-weight': { type: 'string' },
      'rrf-k': { type: 'string' },
      'per-query': { type: 'boolean', default: false },
      out: { type: 'string', default: fileURLToPath(new URL('./results/retrieval.json', import.meta.url)) },
    },
  });
  await runRetrievalBenchmark({
    dataset: values.dataset,
    synthetic: Number(values.synthetic),
    pipelineDocuments: Number(values['pipeline-documents']),
    latencyQueries: Number(values['latency-queries']),
    concurrency: Math.max(1, Number(values.concurrency)),
    fusion: {
      ...(values['vector-weight'] ? { vectorWeight: Number(values['vector-weight']) } : {}),
      ...(values['text-weight'] ? { textWeight: Number(values['text-weight']) } : {}),
      ...(values['rrf-k'] ? { rrfK: Number(values['rrf-k']) } : {}),
    },
    perQuery: values['per-query'],
    out: resolve(values.out),
    adminUrl: process.env.BENCH_DATABASE_ADMIN_URL,
    redisUrl: process.env.REDIS_URL,
    log: (line) => console.log(line),
  });
}
