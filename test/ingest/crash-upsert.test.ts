/**
 * Durability of ingestion's upsert: the worker process dies (SIGKILL) while its insert of a batch's
 * chunks waits on a row lock; its statement may still land after it died. The retried activity on
 * a new worker resumes at that batch, and the version ends with each chunk exactly once.
 */
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { INGEST_BATCH } from '../../activities/knowledge/ingest';
import { sharedServers } from '../support/shared-servers';
import type { Stack } from '../support/stack';
import { waitUntil } from '../support/wait';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';
import { chunkRows, documentRow, ingestHeldInSecondBatch, stackWithEmbeddings } from './support';

const bench = stackWithEmbeddings({ worker: false });
const workers: WorkerProcess[] = [];
afterAll(() => Promise.all(workers.map((w) => w.kill('SIGKILL'))));

it('stores each chunk once when the worker is killed during the upsert of a batch', async () => {
  const { stack, embeddings } = bench;
  const env = stack.workerEnv();
  const first = await startWorkerProcess(env, 120_000);
  workers.push(first);
  const { tenantId, ref, run } = await ingestHeldInSecondBatch(stack, embeddings);
  expect(await chunkRows(stack, tenantId, ref.documentId, 1)).toHaveLength(INGEST_BATCH);

  // An uncommitted row at the second batch's first ordinal: the worker's insert waits on it.
  const lock = new pg.Client({ connectionString: sharedServers().databaseUrl });
  await lock.connect();
  try {
    await lock.query('begin');
    await lock.query(
      `insert into chunks (tenant_id, knowledge_base_id, document_id, version, ordinal, text, section, page, token_count, content_hash, embedding, embedder_id)
       select tenant_id, knowledge_base_id, document_id, version, $2, 'held by the test', section, page, token_count, content_hash, embedding, embedder_id
         from chunks where document_id = $1 and version = 1 and ordinal = 0`,
      [ref.documentId, INGEST_BATCH],
    );
    const me = (await lock.query('select pg_backend_pid() as pid')).rows[0].pid;
    // Read outside the lock's transaction: pg_stat_activity is a snapshot taken once per transaction.
    const blocked = () => stack.orm.em.fork().getConnection().execute<{ query: string }[]>(`select query from pg_stat_activity where ? = any(pg_blocking_pids(pid))`, [me]);
    embeddings.release();
    await waitUntil(async () => (await blocked()).some((b) => /insert into chunks/i.test(b.query)), 30_000, 'the upsert to wait on the lock');
    await first.kill('SIGKILL');
    // The dead worker's statement goes on once the lock is gone, racing the retry.
    await lock.query('rollback');
  } finally {
    await lock.end();
  }

  workers.push(await startWorkerProcess(env, 120_000));
  const result = (await run.result()) as { status: string; chunkCount: number; embedded: number; cached: number };
  expect(result.status).toBe('ready');
  expect(result.chunkCount).toBeGreaterThan(INGEST_BATCH);
  // The retry resumed at the second batch (the first one's heartbeat), not from the start.
  expect(result.embedded + result.cached).toBe(result.chunkCount - INGEST_BATCH);
  const chunks = await chunkRows(stack, tenantId, ref.documentId, 1);
  expect(chunks.map((c) => c.ordinal)).toEqual([...Array(result.chunkCount).keys()]);
  expect(chunks.filter((c) => c.text === 'held by the test')).toEqual([]);
  const counts = await storedChunkCounts(stack, ref.documentId);
  expect(counts).toEqual({ rows: result.chunkCount, ordinals: result.chunkCount });
  expect(await documentRow(stack, tenantId, ref.documentId)).toMatchObject({ status: 'ready', chunkCount: result.chunkCount, activeVersion: 1 });
}, 300_000);

/** Rows and distinct ordinals of the document, straight from the table (every version). */
async function storedChunkCounts(stack: Stack, documentId: string) {
  const [row] = await stack.orm.em.fork().getConnection().execute<{ rows: string; ordinals: string }[]>(
    `select count(*) as rows, count(distinct (version, ordinal)) as ordinals from chunks where document_id = ?`,
    [documentId],
  );
  return { rows: Number(row.rows), ordinals: Number(row.ordinals) };
}
