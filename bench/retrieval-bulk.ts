/**
 * Small documents (an FAQ's answers: one generated paragraph each), measured two ways in the same
 * run: one by one through the single-document route (one `ingestDocument` workflow each), and in
 * one bulk import (`documents:bulk`, one `ingestBatch` workflow per 500). End to end: from the
 * first request until every document is ready. The ratio is the figure that travels across machines.
 */
import type { Stack } from '../test/support/stack';
import { ingestThroughPipeline } from './retrieval-ingest';
import { CHUNK_OPTIONS } from './retrieval-store';
import { syntheticChunk } from './retrieval-synthetic';

/** Seeds past every other generated corpus of the benchmark: nothing is already in the embedding cache. */
const SEED_BASE = 50_000_000;

const faq = (n: number, offset: number) =>
  Array.from({ length: n }, (_, i) => ({ id: `faq-${offset + i}`, title: `Question ${offset + i}`, text: syntheticChunk(SEED_BASE + offset + i) }));

async function newKnowledgeBase(stack: Stack, apiKey: string, name: string): Promise<string> {
  const kb = await stack.request('POST', '/v1/knowledge-bases', { apiKey, body: { name, chunkSize: CHUNK_OPTIONS.maxTokens, chunkOverlap: CHUNK_OPTIONS.overlapTokens } });
  return kb.body.id;
}

export async function smallDocumentIngestion(stack: Stack, apiKey: string, opts: { bulk: number; oneByOne: number; concurrency: number }) {
  const single = await ingestThroughPipeline(stack, apiKey, await newKnowledgeBase(stack, apiKey, 'FAQ one by one'), faq(opts.oneByOne, 0), opts.concurrency);

  const kbId = await newKnowledgeBase(stack, apiKey, 'FAQ bulk');
  const rows = faq(opts.bulk, opts.oneByOne);
  const started = performance.now();
  const res = await stack.request('POST', `/v1/knowledge-bases/${kbId}/documents:bulk`, { apiKey, body: { documents: rows.map((r) => ({ name: r.title, text: r.text })) } });
  if (res.status !== 202) throw new Error(`bulk import answered HTTP ${res.status}: ${JSON.stringify(res.body)}`);
  let progress: { done: boolean; ready: number; failed: number };
  for (;;) {
    progress = (await stack.request('GET', `/v1/knowledge-bases/${kbId}/imports/${res.body.id}`, { apiKey })).body;
    if (progress.done) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = (performance.now() - started) / 1000;
  const oneByOnePerSecond = Math.round((single.documents / single.seconds) * 10) / 10;
  const bulkPerSecond = Math.round(progress.ready / seconds);
  return {
    oneByOne: { documents: single.documents, failed: single.failed, seconds: single.seconds, documentsPerSecond: oneByOnePerSecond, concurrency: opts.concurrency },
    bulk: { documents: opts.bulk, ready: progress.ready, failed: progress.failed, batches: res.body.workflowIds.length, seconds: Math.round(seconds * 100) / 100, documentsPerSecond: bulkPerSecond },
    ratio: Math.round((bulkPerSecond / oneByOnePerSecond) * 10) / 10,
  };
}
