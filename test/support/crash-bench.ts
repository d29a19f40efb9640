/**
 * A bench for channel crash tests: its own scratch database (no other file's sweeper dispatches
 * its rows), the real API in-process, the fake Graph API, and workers only as separate processes
 * (test/support/worker-process.ts) that a test kills — inbound dispatch runs in them, as deployed.
 */
import pg from 'pg';
import type { GraphInput } from '../../core/graph/schema';
import { connectChannel } from '../channels/support';
import { startFakeGraphApi, type FakeGraphApi } from '../fakes/graph-api-server';
import { createScratchDatabase, DEFAULT_ADMIN_URL } from './database';
import { sharedServers } from './shared-servers';
import { startStack, type Stack } from './stack';
import { startWorkerProcess, type WorkerProcess } from './worker-process';

export interface CrashBench {
  stack: Stack;
  /** The scratch database (for a second connection that holds a lock). */
  databaseUrl: string;
  graph: FakeGraphApi;
  apiKey: string;
  tenantId: string;
  /** Starts a worker process for this bench (stopped at close). */
  startWorker(): Promise<WorkerProcess>;
  /** Kills every worker process started so far (between tests: each starts its own). */
  killWorkers(): Promise<void>;
  /** Publishes `flow` and connects a channel to it. */
  channel(type: 'whatsapp' | 'messenger' | 'sms', body: { credentials: Record<string, unknown>; settings: Record<string, unknown> }, flow?: GraphInput): Promise<{ id: string; webhookUrl: string }>;
  rows<T = any>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export async function startCrashBench(): Promise<CrashBench> {
  const scratch = await createScratchDatabase(process.env.TEST_DATABASE_ADMIN_URL ?? DEFAULT_ADMIN_URL, 'switchboard_crash');
  const graph = await startFakeGraphApi();
  // The API and the worker processes see the fakes (and the hold servers) on loopback.
  const env = { META_GRAPH_URL: graph.url, CHANNEL_PROVIDER_URLS_ALLOWED: 'http://127.0.0.1:*', MESSENGER_MEDIA_HOSTS: '127.0.0.1' };
  const stack = await startStack({ ...sharedServers(), databaseUrl: scratch.url, worker: false, env });
  const workers: WorkerProcess[] = [];
  const db = new pg.Client({ connectionString: scratch.url });
  await db.connect();
  const { apiKey, tenantId } = await stack.createTenant();
  return {
    databaseUrl: scratch.url,
    stack,
    graph,
    apiKey,
    tenantId,
    async startWorker() {
      const worker = await startWorkerProcess({ ...stack.workerEnv(), ...env }, 120_000);
      workers.push(worker);
      return worker;
    },
    async killWorkers() {
      await Promise.all(workers.splice(0).map((w) => w.kill('SIGKILL')));
    },
    channel: (type, body, flow) => connectChannel(stack, apiKey, type, body, flow),
    async rows(sql, params = []) {
      return (await db.query(sql, params)).rows;
    },
    async close() {
      await Promise.all(workers.map((w) => w.kill('SIGKILL')));
      await stack.close();
      await db.end();
      await graph.close();
      await scratch.drop();
    },
  };
}
