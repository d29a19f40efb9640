/**
 * The retrieval benchmark runs in CI: the bundled labelled set ingested through the API and the
 * ingestDocument workflow, scored for the three methods, with two generated documents through the
 * pipeline and a tiny synthetic bulk part, written
 * as JSON. The figures are checked for sanity, not speed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, inject, it } from 'vitest';
import { runRetrievalBenchmark } from '../../bench/retrieval';

const dir = mkdtempSync(join(tmpdir(), 'retrieval-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('ingests the front-desk set through the pipeline and writes the three methods’ scores', async () => {
  const out = join(dir, 'retrieval.json');
  const returned = await runRetrievalBenchmark({
    dataset: 'bench/datasets/front-desk',
    synthetic: 300,
    pipelineDocuments: 2,
    latencyQueries: 10,
    concurrency: 8,
    out,
    temporalAddress: inject('temporalAddress'),
    redisUrl: inject('redisUrl'),
    adminUrl: process.env.TEST_DATABASE_ADMIN_URL,
  });
  const written = JSON.parse(readFileSync(out, 'utf8'));
  expect(written).toEqual(JSON.parse(JSON.stringify(returned)));

  expect(written.queries).toBe(52);
  expect(written.ingestion.corpus).toMatchObject({ documents: 40, failed: 0, chunks: 40 });
  expect(written.ingestion.corpus.chunksPerSecond).toBeGreaterThan(0);
  // Two generated 250-paragraph documents: many chunks each, every one through the workflow.
  expect(written.ingestion.generatedDocuments).toMatchObject({ documents: 2, failed: 0, paragraphsPerDocument: 250 });
  expect(written.ingestion.generatedDocuments.chunks).toBeGreaterThan(100);
  for (const method of ['fullText', 'vector', 'hybrid']) {
    const q = written.quality[method];
    for (const metric of ['ndcg', 'recall', 'mrr']) expect(q[metric], `${method} ${metric}`).toBeGreaterThan(0.5);
    for (const metric of ['ndcg', 'recall', 'mrr']) expect(q[metric], `${method} ${metric}`).toBeLessThanOrEqual(1);
  }
  expect(written.quality.hybrid.ndcg).toBeGreaterThan(0.5);
  expect(written.latency.corpus).toMatchObject({ chunks: 40, count: 10 });
  expect(written.latency.corpus.p95).toBeGreaterThan(0);
  expect(written.latency.synthetic).toMatchObject({ chunks: 300, count: 10, bulkInsert: expect.stringMatching(/not the ingestion workflow/) });
}, 60_000);
