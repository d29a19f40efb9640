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
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { offlineEmbedder } from '../core/knowledge/offline-embedder';
import { DEFAULT_RETRIEVAL, type RetrievalSettings, type SearchHit } from '../core/knowledge/types';
import { hybridSearch, textOnlySearch, vectorOnlySearch } from '../knowledge/search';
import { tenantEm, type Orm } from '../db/orm';
import { startLocalTestServer } from '../temporal/test-server';
import { createScratchDatabase, DEFAULT_ADMIN_URL } from '../test/support/database';
import { startStack } from '../test/support/stack';
import { documentRanking, meanScores, readBeir, scoreRanking, type BeirDataset, type QueryScores } from './retrieval-eval';
import { smallDocumentIngestion } from './retrieval-bulk';
import { ingestThroughPipeline } from './retrieval-ingest';
import { CHUNK_OPTIONS, type Scope } from './retrieval-store';
import { storeScaleCorpus, scaleQueries, type ScaleText } from './retrieval-scale';
import { syntheticChunk } from './retrieval-synthetic';
import { publishedBaselines } from './retrieval-published';
import { summarize, writeResult } from './stats';

export interface RetrievalBenchOptions {
  dataset: string;
  /** Chunks of the scale corpus for the latency measurement; 0 skips it. */
  synthetic: number;
  /** What the scale corpus is made of (bench/retrieval-scale.ts); the dataset's own text by default. */
  scaleText?: ScaleText;
  /** A BEIR folder whose corpus and queries make the scale corpus instead of `dataset`'s (a larger one). */
  scaleDataset?: string;
  /** Generated 250-paragraph documents ingested through the pipeline for its speed at size; 0 skips it. */
  pipelineDocuments?: number;
  /** Small one-paragraph documents imported in bulk (and a tenth of as many one by one, for the ratio); 0 skips it. */
  bulkDocuments?: number;
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

const SYNTHETIC_DOC_CHUNKS = 250;

type Method = 'fullText' | 'vector' | 'hybrid';
const METHODS: Record<Method, (s: Scope, text: string, embedding: number[], settings: RetrievalSettings) => Promise<SearchHit[]>> = {
  fullText: (s, text, _e, settings) => textOnlySearch(s.em, s.tenantId, s.kbs, { text }, settings),
  vector: (s, _t, embedding, settings) => vectorOnlySearch(s.em, s.tenantId, s.kbs, { embedding, embedderId: offlineEmbedder.id }, settings),
  hybrid: (s, text, embedding, settings) => hybridSearch(s.em, s.tenantId, s.kbs, { text, embedding, embedderId: offlineEmbedder.id }, settings),
};

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

/** Scale: a corpus of `opts.synthetic` chunks stored directly (no workflow), then timed hybrid searches. */
async function scaleLatency(orm: Orm, dataset: BeirDataset, opts: RetrievalBenchOptions, settings: RetrievalSettings) {
  const text = opts.scaleText ?? 'corpus';
  const { scope, stored, chunksPerSecond } = await storeScaleCorpus(orm, text, dataset, opts.synthetic, opts.concurrency, opts.log ?? (() => {}));
  const latency = await timeHybrid(scope, scaleQueries(text, dataset, opts.latencyQueries), settings);
  return {
    chunks: stored,
    text: text === 'corpus' ? 'the corpus copied with perturbation, searched with its queries' : 'generated (bench/retrieval-synthetic.ts)',
    bulkInsert: 'chunkDocument → offline embedder → upsertChunks → activateVersion, called directly: not the ingestion workflow',
    bulkInsertChunksPerSecond: chunksPerSecond,
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
    const published = publishedBaselines(opts.dataset);
    for (const p of published) log(`${p.method} (published, ${p.source}): nDCG@10 ${p.ndcg}`);
    if (published.length === 0) log('(no published figures recorded for this dataset)');

    const latencyQueries = Array.from({ length: opts.latencyQueries }, (_, i) => dataset.queries[i % dataset.queries.length].text);
    const corpusLatency = await timeHybrid(corpusScope, latencyQueries, fusion);
    log(`\nhybrid search at ${ingestion.chunks} chunks: p50 ${corpusLatency.p50} ms, p95 ${corpusLatency.p95} ms`);

    const atSize = opts.pipelineDocuments ? await pipelineAtSize(stack, apiKey, opts) : null;
    if (atSize) log(`ingested ${atSize.documents} generated documents (${atSize.chunks} chunks) through the ingestDocument workflow in ${atSize.seconds} s: ${atSize.chunksPerSecond} chunks/s end to end`);

    const small = opts.bulkDocuments ? await smallDocumentIngestion(stack, apiKey, { bulk: opts.bulkDocuments, oneByOne: Math.max(20, Math.round(opts.bulkDocuments / 10)), concurrency: opts.concurrency }) : null;
    if (small) {
      log(`small documents: ${small.bulk.ready} in one bulk import in ${small.bulk.seconds} s, ${small.bulk.documentsPerSecond} documents/s; one by one ${small.oneByOne.documentsPerSecond} documents/s (${small.oneByOne.documents} documents): ${small.ratio}× faster in bulk`);
    }

    const synthetic = opts.synthetic > 0 ? await scaleLatency(stack.orm, opts.scaleDataset ? readBeir(opts.scaleDataset) : dataset, opts, fusion) : null;
    if (synthetic) {
      log(`hybrid search at ${synthetic.chunks} chunks (${synthetic.text}): p50 ${synthetic.p50} ms, p95 ${synthetic.p95} ms (bulk insert without the workflow: ${synthetic.bulkInsertChunksPerSecond} chunks/s)`);
    }

    const result = {
      dataset: opts.dataset.replace(`${process.cwd()}/`, ''),
      embedder: offlineEmbedder.id,
      chunkOptions: CHUNK_OPTIONS,
      queries: dataset.queries.length,
      evalSettings,
      quality,
      published,
      ingestion: { pipeline: 'API upload → ingestDocument workflow (extract, chunk, embed through the cache, upsert, activate)', concurrency: opts.concurrency, corpus: ingestion, generatedDocuments: atSize, smallDocuments: small },
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
      // Any BEIR folder (corpus.jsonl, queries.jsonl, qrels/test.tsv); --dataset is the older name.
      beir: { type: 'string' },
      dataset: { type: 'string', default: fileURLToPath(new URL('./datasets/front-desk', import.meta.url)) },
      // What the scale corpus is made of: the dataset's text copied with perturbation, or generated text.
      'scale-text': { type: 'string', default: 'corpus' },
      // The BEIR folder copied into the scale corpus, when not the evaluated one.
      'scale-beir': { type: 'string' },
      synthetic: { type: 'string', default: '100000' },
      'pipeline-documents': { type: 'string', default: '40' },
      // Small documents through a bulk import, beside a tenth as many one by one.
      'bulk-documents': { type: 'string', default: '5000' },
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
    dataset: resolve(values.beir ?? values.dataset),
    scaleText: values['scale-text'] === 'generated' ? 'generated' : 'corpus',
    scaleDataset: values['scale-beir'] ? resolve(values['scale-beir']) : undefined,
    synthetic: Number(values.synthetic),
    pipelineDocuments: Number(values['pipeline-documents']),
    bulkDocuments: Number(values['bulk-documents']),
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
