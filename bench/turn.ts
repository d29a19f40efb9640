/**
 * Turn latency and throughput through the REST API: 1, 50 and 200 concurrent conversations × 20
 * turns, a zero-latency fake model, the Temporal dev server, PostgreSQL, Redis, the worker in its
 * own process (as in production) and the API in this one. Writes bench/results/turn.json.
 *
 *   npm run bench:turn [-- --levels 1,50,200 --turns 20]
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createScratchDatabase, DEFAULT_ADMIN_URL } from '../test/support/database';
import { startFakeOpenAI } from '../test/fakes/openai-server';
import { llmOnlyFlow } from '../test/support/flows';
import { startStack } from '../test/support/stack';
import { startWorkerProcess } from '../test/support/worker-process';
import { summarize, writeResult } from './stats';
import { startLocalTestServer } from '../temporal/test-server';

const { values } = parseArgs({ options: { levels: { type: 'string', default: '1,50,200' }, turns: { type: 'string', default: '20' } } });
const levels = values.levels!.split(',').map(Number);
const turns = Number(values.turns);
const out = fileURLToPath(new URL('./results/turn.json', import.meta.url));

const temporal = await startLocalTestServer();
const db = await createScratchDatabase(process.env.BENCH_DATABASE_ADMIN_URL ?? DEFAULT_ADMIN_URL, 'switchboard_bench');
const fake = await startFakeOpenAI();
fake.script(() => ({ content: 'Sure, happy to help with that.' }));
const stack = await startStack({
  temporalAddress: temporal.connection.options.address,
  databaseUrl: db.url,
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  worker: false,
  // The fake model server is on loopback: allow-listed as an operator would a local model.
  env: { OUTBOUND_ALLOWED_PRIVATE: '127.0.0.1' },
});
const worker = await startWorkerProcess({
  ...stack.workerEnv(),
  // BENCH_WORKER_NODE_OPTIONS=--cpu-prof profiles the worker process under load.
  ...(process.env.BENCH_WORKER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_WORKER_NODE_OPTIONS } : {}),
});

try {
  const { apiKey } = await stack.createTenant({ llm: { baseURL: `${fake.url}/v1` } });
  const flow = await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'Bench', graph: llmOnlyFlow } });
  await stack.request('POST', `/v1/flows/${flow.body.id}/publish`, { apiKey });

  async function conversation(latencies: number[]) {
    const conv = await stack.request('POST', '/v1/conversations', { apiKey, body: { flowId: flow.body.id } });
    if (conv.status !== 201) throw new Error(`could not start a conversation: ${JSON.stringify(conv.body)}`);
    for (let i = 0; i < turns; i++) {
      const started = performance.now();
      const res = await stack.request('POST', `/v1/conversations/${conv.body.id}/messages`, { apiKey, body: { text: `question ${i}` } });
      latencies.push(performance.now() - started);
      if (res.status !== 200 || res.body.replies.length !== 1) throw new Error(`turn failed: ${res.status} ${JSON.stringify(res.body)}`);
    }
  }

  await conversation([]); // warm-up: workflow bundle caches, connection pools, JIT
  const results = [];
  for (const concurrency of levels) {
    const latencies: number[] = [];
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, () => conversation(latencies)));
    const seconds = (performance.now() - started) / 1000;
    const row = { concurrency, turnsPerConversation: turns, ...summarize(latencies), seconds: Math.round(seconds * 100) / 100, turnsPerSecond: Math.round(latencies.length / seconds) };
    results.push(row);
    console.log(`${String(concurrency).padStart(4)} conversations: p50 ${row.p50} ms  p95 ${row.p95} ms  p99 ${row.p99} ms  ${row.turnsPerSecond} turns/s  (${row.count} turns in ${row.seconds} s)`);
  }
  writeResult(out, { benchmark: 'turn', date: new Date().toISOString(), machine: { cpus: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version }, results });
  console.log(`wrote ${out}`);
} finally {
  await worker.kill('SIGTERM');
  await stack.close();
  await fake.close();
  await temporal.teardown();
  await db.drop();
}
