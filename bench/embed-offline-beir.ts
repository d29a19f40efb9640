/**
 * The local model's quality on a BEIR folder through the product's own search (knowledge/search.ts)
 * without the ingestion workflow, which at this model's speed would take most of an hour on
 * SciFact: each document (its title as the section heading, as the pipeline stores it) is chunked,
 * embedded in this process, bulk-inserted into a scratch database, and every judged query is run
 * with full text, vector only and hybrid, scored as bench/retrieval.ts scores (nDCG@10 at document
 * level). Vectors are kept in `--cache` by the embedded text's hash, so a second run (another
 * fusion setting, say) embeds nothing again; a variant's vectors are keyed apart from the default's.
 * `--max-tokens` and `--window` embed with the local model cut shorter or in windows;
 * `--embedder static --static-dir <dir>` measures the static model of bench/static-embedder.ts.
 * `tsx bench/embed-offline-beir.ts --dataset ../shared/datasets/scifact`
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chunkDocument, contentHash, embeddingInput } from '../core/knowledge/chunk';
import { DEFAULT_RETRIEVAL, type RetrievalSettings, type SearchHit } from '../core/knowledge/types';
import { createOrm, systemEm, tenantEm } from '../db/orm';
import { activateVersion, createDocument, createKnowledgeBase, ensureTenant, upsertChunks } from '../db/repos';
import { LOCAL_MODEL, localModelEmbedder } from '../knowledge/embedders/local-model';
import { STATIC_MODEL, staticModelEmbedder } from './static-embedder';
import { hybridSearch, textOnlySearch, vectorOnlySearch } from '../knowledge/search';
import { createScratchDatabase, DEFAULT_ADMIN_URL } from '../test/support/database';
import { documentRanking, meanScores, readBeir, scoreRanking, type QueryScores } from './retrieval-eval';
import { summarize, writeResult } from './stats';

const { values } = parseArgs({
  options: {
    dataset: { type: 'string', default: '../shared/datasets/scifact' },
    cache: { type: 'string', default: '/tmp/embed-offline-beir.json' },
    out: { type: 'string', default: 'bench/results/embed-offline-beir.json' },
    // `local` is the product's offline model (local-model.ts), `static` a static model from `--static-dir` (static-embedder.ts).
    embedder: { type: 'string', default: 'local' },
    'static-dir': { type: 'string' },
    // Word pieces per text for the local model (its default 256); a shorter cut embeds faster.
    'max-tokens': { type: 'string' },
    // Embed a longer text as windows of this many word pieces, averaged (local-model.ts `window`).
    window: { type: 'string' },
  },
});
if (values.embedder !== 'local' && values.embedder !== 'static') throw new Error('--embedder must be local or static');
if (values.embedder === 'static' && !values['static-dir']) throw new Error('--embedder static needs --static-dir (see bench/static-embedder.ts)');
// The default local model's keys are the bare hashes, so caches written before variants existed still serve.
const variant = [values.embedder === 'static' ? 'static' : '', values['max-tokens'] ? `max${values['max-tokens']}` : '', values.window ? `win${values.window}` : ''].filter(Boolean).join('-');
const keyOf = (text: string) => (variant ? `${variant}:` : '') + contentHash(text);
const [model, embedder] = values.embedder === 'local' ? [LOCAL_MODEL, localModelEmbedder({ maxTokens: values['max-tokens'] ? Number(values['max-tokens']) : undefined, window: values.window ? Number(values.window) : undefined })] : [STATIC_MODEL, staticModelEmbedder({ dir: values['static-dir']! })];
const CHUNK_OPTIONS = { maxTokens: 400, overlapTokens: 60 };
const dataset = readBeir(values.dataset);
const cache: Record<string, number[]> = existsSync(values.cache) ? JSON.parse(readFileSync(values.cache, 'utf8')) : {};

/** Embeds the texts the cache lacks, 256 at a time, saving the cache after each part. */
async function embedAll(texts: string[], label: string) {
  const todo = [...new Set(texts)].filter((t) => !cache[keyOf(t)]);
  const started = performance.now();
  for (let i = 0; i < todo.length; i += 256) {
    const part = todo.slice(i, i + 256);
    const vectors = await embedder.embed(part);
    part.forEach((t, j) => (cache[keyOf(t)] = vectors[j]));
    writeFileSync(values.cache, JSON.stringify(cache));
    console.log(`${label}: ${i + part.length}/${todo.length} embedded, ${((i + part.length) / ((performance.now() - started) / 1000)).toFixed(1)}/s`);
  }
}

const documents = dataset.corpus.map((doc) => ({
  doc,
  chunks: chunkDocument({ title: doc.title || null, sections: [{ text: doc.text, heading: doc.title || null, page: null }], pageCount: null }, CHUNK_OPTIONS),
}));
await embedAll(documents.flatMap((d) => d.chunks.map(embeddingInput)), 'chunks');
await embedAll(dataset.queries.map((q) => q.text), 'queries');
const vectorOf = (text: string) => cache[keyOf(text)];

const db = await createScratchDatabase(process.env.BENCH_DATABASE_ADMIN_URL ?? DEFAULT_ADMIN_URL, 'switchboard_bench_embed');
const orm = await createOrm(db.url);
try {
  const tenant = await ensureTenant(systemEm(orm), 'bench-embed', 'Embedding benchmark');
  const em = tenantEm(orm, tenant.id);
  const kb = await createKnowledgeBase(em, tenant.id, { name: 'Benchmark corpus', chunkSize: CHUNK_OPTIONS.maxTokens, chunkOverlap: CHUNK_OPTIONS.overlapTokens });
  const corpusIdOf = new Map<string, string>();
  for (const { doc, chunks } of documents) {
    const docEm = tenantEm(orm, tenant.id);
    const { document } = await createDocument(docEm, tenant.id, { knowledgeBaseId: kb.id, name: doc.id, sourceType: 'text', mimeType: 'text/plain', content: Buffer.from(doc.text) });
    await upsertChunks(docEm, tenant.id, document.id, 1, chunks.map((c) => ({ ...c, embedding: vectorOf(embeddingInput(c)) })), model.id);
    await activateVersion(docEm, document.id, 1);
    corpusIdOf.set(document.id, doc.id);
  }
  await systemEm(orm).execute('analyze chunks');

  const settings: RetrievalSettings = { ...DEFAULT_RETRIEVAL, topK: 50, candidates: 50 };
  type Method = 'fullText' | 'vector' | 'hybrid';
  const run: Record<Method, (text: string, embedding: number[]) => Promise<SearchHit[]>> = {
    fullText: (text) => textOnlySearch(em, tenant.id, [kb.id], { text }, settings),
    vector: (_t, embedding) => vectorOnlySearch(em, tenant.id, [kb.id], { embedding, embedderId: model.id }, settings),
    hybrid: (text, embedding) => hybridSearch(em, tenant.id, [kb.id], { text, embedding, embedderId: model.id }, settings),
  };
  const scores: Record<Method, QueryScores[]> = { fullText: [], vector: [], hybrid: [] };
  const queryEmbedding: number[] = [];
  for (const query of dataset.queries) {
    // The query's own embedding time, as retrieval pays it per question.
    const started = performance.now();
    const [embedding] = await embedder.embed([query.text]);
    queryEmbedding.push(performance.now() - started);
    for (const method of Object.keys(run) as Method[]) {
      const ranking = documentRanking((await run[method](query.text, embedding)).flatMap((h) => corpusIdOf.get(h.documentId) ?? []));
      scores[method].push(scoreRanking(ranking, dataset.qrels.get(query.id)!));
    }
  }
  const quality = Object.fromEntries((Object.keys(scores) as Method[]).map((m) => [m, meanScores(scores[m])]));
  console.log(`\n${model.id} on ${values.dataset} (${dataset.queries.length} queries)\nmethod     nDCG@10  recall@10  MRR@10`);
  for (const [m, q] of Object.entries(quality)) console.log(`${m.padEnd(10)} ${q.ndcg.toFixed(3).padStart(7)}  ${q.recall.toFixed(3).padStart(9)}  ${q.mrr.toFixed(3).padStart(6)}`);
  const embedLatency = summarize(queryEmbedding);
  console.log(`query embedding: p50 ${embedLatency.p50} ms, p95 ${embedLatency.p95} ms`);
  writeResult(values.out, { embedder: model, maxTokens: values['max-tokens'] ? Number(values['max-tokens']) : undefined, window: values.window ? Number(values.window) : undefined, dataset: values.dataset, queries: dataset.queries.length, chunkOptions: CHUNK_OPTIONS, settings, quality, queryEmbeddingMs: embedLatency });
} finally {
  await orm.close();
  await db.drop();
}
