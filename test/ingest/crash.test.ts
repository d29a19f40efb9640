/**
 * Durability: the worker process dies (SIGKILL) between two embedding batches; the retried
 * activity on a new worker resumes from the last heartbeat and the version has each chunk once.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';
import { INGEST_BATCH } from '../../activities/knowledge/ingest';
import { chunkRows, documentRow, ingestHeldInSecondBatch, startEmbeddingServer, type EmbeddingServer } from './support';

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
  // The second batch's embedding request hangs until its worker is gone.
  const { tenantId, ref, run } = await ingestHeldInSecondBatch(stack, embeddings);
  expect(await chunkRows(stack, tenantId, ref.documentId, 1)).toHaveLength(INGEST_BATCH);
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
