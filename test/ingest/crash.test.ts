/**
 * Durability: the worker process dies (SIGKILL) between two embedding batches; the retried
 * activity on a new worker resumes from the last heartbeat and the version has each chunk once.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { waitUntil } from '../support/wait';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';
import { INGEST_BATCH } from '../../activities/knowledge/ingest';
import { addDocument, chunkRows, documentRow, markdownGuide, startEmbeddingServer, startIngest, token, useEmbeddingServer, type EmbeddingServer } from './support';

let stack: Stack;
let embeddings: EmbeddingServer;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  embeddings = await startEmbeddingServer();
  stack = await startStack({ ...sharedServers(), worker: false });
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.kill('SIGTERM')));
  embeddings?.release();
  await stack?.close();
  await embeddings?.close();
});

it('resumes indexing after the worker is killed, without duplicate chunks', async () => {
  const env = stack.workerEnv();
  const first = await startWorkerProcess(env);
  workers.push(first);
  const { tenantId } = await stack.createTenant();
  await useEmbeddingServer(stack, tenantId, embeddings);
  const ref = await addDocument(stack, tenantId, {
    name: 'manual.md',
    mimeType: 'text/markdown',
    content: Buffer.from(markdownGuide(token(), 12, 10)),
    kb: { name: 'Manuals', chunkSize: 40, chunkOverlap: 5 },
  });

  // The second batch's embedding request hangs until its worker is gone.
  embeddings.holdAfter(1);
  const run = await startIngest(stack, tenantId, ref);
  await waitUntil(() => embeddings.requests.length >= 2, 30_000, 'the second batch to start');
  expect(await chunkRows(stack, tenantId, ref.documentId, 1)).toHaveLength(INGEST_BATCH);
  const heartbeat = async () => (await run.describe()).raw.pendingActivities?.[0]?.heartbeatDetails?.payloads?.length ?? 0;
  await waitUntil(async () => (await heartbeat()) > 0, 10_000, 'the first heartbeat to reach the server');
  await first.kill('SIGKILL');
  embeddings.release();

  // The retry waits for the 30 s heartbeat timeout; start the replacement meanwhile.
  workers.push(await startWorkerProcess(env));
  const result = (await run.result()) as { status: string; chunkCount: number; embedded: number; cached: number };
  expect(result.status).toBe('ready');
  // The final attempt started at the second batch: the first one was neither embedded nor re-read.
  expect(result.embedded + result.cached).toBe(result.chunkCount - INGEST_BATCH);
  const chunks = await chunkRows(stack, tenantId, ref.documentId, 1);
  expect(chunks.map((c) => c.ordinal)).toEqual([...Array(result.chunkCount).keys()]);
  expect(await documentRow(stack, tenantId, ref.documentId)).toMatchObject({ status: 'ready', chunkCount: result.chunkCount });
}, 90_000);
