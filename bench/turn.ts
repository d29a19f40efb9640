/**
 * Turn latency and throughput against the floor, measured in the same run on the same servers:
 * the platform's turn (Fastify → conversation update → the flow interpreter → stored and
 * answered) for an ask → sendMessage flow, beside a baseline whose update handler runs one local
 * activity inserting one row (bench/turn-baseline), driven through the same API path shape. For
 * the embedded database (the PGlite server `npm start` runs) and native PostgreSQL, at 1, 10 and
 * 50 concurrent conversations; prints each figure as a ratio to the baseline's and every
 * process's RSS idle and under load, and the CPU each process took per turn. The platform's API,
 * worker and PGlite server run in their own processes from dist/, as npm start runs them (the npm
 * script builds first when a source changed); the baseline's worker in its own, its API in this
 * one with the load driver. Both talk to one Temporal dev server keeping its history in a SQLite
 * file, as npm start's does. At each level the two sides take turns for `--rounds` rounds (the
 * first side alternating), and each side's rounds are pooled: on a shared machine a slow spell of
 * a few seconds then falls on both, where one load each left the ratio to chance (the same code
 * measured 0.67× and 0.90× the baseline's throughput in two runs). Each round's throughput ratio
 * is printed beside the pooled one. Writes bench/results/turn.json.
 *
 * The workers and the Temporal server run at npm start's scheduling priority (nice 10,
 * scripts/priorities.ts; `--worker-nice`, `--temporal-nice`).
 *
 *   npm run bench:turn [-- --levels 1,10,50 --turns 20 --rounds 3 --databases pglite,postgres]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { readOrCreateSecret } from '../db/data-dir';
import { runMigrations } from '../db/migrate';
import { startFileTemporal } from './file-temporal';
import { backlogWrites } from './temporal-metrics';
import { createScratchDatabase, DEFAULT_ADMIN_URL } from '../test/support/database';
import { echoFlow } from '../test/support/flows';
import { freePort } from '../test/support/ports';
import { startStack } from '../test/support/stack';
import { WORKFLOW_BUNDLE } from '../scripts/entries';
import { startApiProcess, startCompiledProcess, startProcess } from '../test/support/worker-process';
import { cpuMs, pidListening, pidsNamed, rssMb, sampleRss } from './process-rss';
import { summarize, writeResult } from './stats';
import { startBaselineApi } from './turn-baseline/api';
import { BACKGROUND_NICE } from '../scripts/priorities';

const { values } = parseArgs({
  options: {
    levels: { type: 'string', default: '1,10,50' },
    turns: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '3' },
    databases: { type: 'string', default: 'pglite,postgres' },
    // As npm start runs them (scripts/priorities.ts); both workers get the same.
    'worker-nice': { type: 'string', default: String(BACKGROUND_NICE) },
    'temporal-nice': { type: 'string', default: String(BACKGROUND_NICE) },
  },
});
const levels = values.levels!.split(',').map(Number);
const turns = Number(values.turns);
const rounds = Number(values.rounds);
const workerNice = values['worker-nice']!;
const databases = values.databases!.split(',') as ('pglite' | 'postgres')[];
const out = fileURLToPath(new URL('./results/turn.json', import.meta.url));
const root = fileURLToPath(new URL('..', import.meta.url));

interface Target {
  start(): Promise<string>;
  turn(id: string, text: string): Promise<void>;
}

async function post(url: string, body: unknown, apiKey?: string) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) }, body: JSON.stringify(body) });
  const json = (await res.json()) as any;
  if (res.status >= 300 || (json.replies && json.replies.length < 1)) throw new Error(`${url} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

/** This process: the load driver and the baseline's API, named alike in the RSS and the CPU figures. */
const BENCH_PROCESS = 'bench process (load, baseline API)';

/**
 * CPU time so far of each named process. A list of pids is a server's processes (PostgreSQL's
 * postmaster and backends), summed with the children they reaped: a backend that exits during a
 * load (a pool closing a connection) keeps counting, in the postmaster's total.
 */
function cpuNow(processes: Record<string, number | (() => number[])>) {
  return Object.fromEntries(
    Object.entries(processes).map(([name, pid]) => [name, typeof pid === 'number' ? (cpuMs(pid) ?? 0) : pid().reduce((sum, p) => sum + (cpuMs(p, true) ?? 0), 0)]),
  );
}

/** What one load measured: every turn's latency, its wall time, and the CPU each named process used; the same for the conversations' starts. */
interface LoadSample {
  latencies: number[];
  seconds: number;
  cpuMs: Record<string, number>;
  /** Workflow tasks Temporal wrote to its task backlog during the turns (no poll was waiting). */
  backlogWrites: number;
  starts: { latencies: number[]; seconds: number; cpuMs: Record<string, number> };
}

/**
 * Opens `concurrency` conversations, then runs `turns` turns on each; with `processes`, also the
 * CPU each used, which says where the machine's two cores went (the load is CPU-bound). The starts
 * are measured on their own: a start is not a turn (the platform's stores the conversation and
 * says the flow's first prompt, the baseline's starts a workflow), and its cost spread over the
 * turns would make the turn figures depend on how many turns a conversation has.
 */
async function load(target: Target, concurrency: number, processes: Record<string, number | (() => number[])> = {}, temporalMetricsUrl?: string): Promise<LoadSample> {
  const startLatencies: number[] = [];
  const cpuBeforeStarts = cpuNow(processes);
  const startsBegan = performance.now();
  const ids = await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const t = performance.now();
      const id = await target.start();
      startLatencies.push(performance.now() - t);
      return id;
    }),
  );
  const startSeconds = (performance.now() - startsBegan) / 1000;
  const latencies: number[] = [];
  const backlogBefore = temporalMetricsUrl ? await backlogWrites(temporalMetricsUrl) : 0;
  const cpuBefore = cpuNow(processes);
  const started = performance.now();
  await Promise.all(
    ids.map(async (id) => {
      for (let i = 0; i < turns; i++) {
        const t = performance.now();
        await target.turn(id, `question ${i}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = cpuNow(processes);
  const backlog = temporalMetricsUrl ? (await backlogWrites(temporalMetricsUrl)) - backlogBefore : 0;
  const used = (before: Record<string, number>, after: Record<string, number>) => Object.fromEntries(Object.keys(after).map((name) => [name, after[name] - before[name]]));
  return { latencies, seconds, cpuMs: used(cpuBefore, cpuAfter), backlogWrites: backlog, starts: { latencies: startLatencies, seconds: startSeconds, cpuMs: used(cpuBeforeStarts, cpuBefore) } };
}

/**
 * The rounds' samples of one side as one: percentiles over every turn, turns/s over the summed
 * time, CPU per turn; the starts likewise, and turns/s with the starts' time counted as well (as
 * this benchmark counted it before the starts were measured apart).
 */
function pooled(samples: LoadSample[]) {
  const latencies = samples.flatMap((s) => s.latencies);
  const seconds = samples.reduce((sum, s) => sum + s.seconds, 0);
  const startLatencies = samples.flatMap((s) => s.starts.latencies);
  const startSeconds = samples.reduce((sum, s) => sum + s.starts.seconds, 0);
  const perItem = (cpu: (s: LoadSample) => Record<string, number>, count: number) =>
    Object.fromEntries(Object.keys(cpu(samples[0])).map((name) => [name, Math.round((samples.reduce((sum, s) => sum + cpu(s)[name], 0) / count) * 100) / 100]));
  const starts = summarize(startLatencies);
  return {
    ...summarize(latencies),
    turnsPerSecond: Math.round(latencies.length / seconds),
    turnsPerSecondWithStarts: Math.round(latencies.length / (seconds + startSeconds)),
    cpuMsPerTurn: perItem((s) => s.cpuMs, latencies.length),
    temporalBacklogWritesPerTurn: Math.round((samples.reduce((sum, s) => sum + s.backlogWrites, 0) / latencies.length) * 100) / 100,
    starts: { count: starts.count, p50: starts.p50, cpuMsPerStart: perItem((s) => s.starts.cpuMs, startLatencies.length) },
  };
}

const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
const turnsPerSecond = (s: LoadSample) => s.latencies.length / s.seconds;

/** The embedded database as `npm start` runs it: the PGlite server in its own process, migrated. */
async function embeddedDatabase() {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-turn-pglite-'));
  const port = await freePort();
  const proc = await startCompiledProcess('pglite-server', { DATA_DIR: dataDir, PGLITE_PORT: String(port) }, (log) => log.includes('pglite ready'), 120_000);
  const url = `postgres://postgres:${encodeURIComponent(readOrCreateSecret(dataDir, 'pglite.password').value)}@127.0.0.1:${port}/postgres`;
  await runMigrations(url);
  return { url, pid: proc.child.pid!, async drop() { await proc.kill('SIGTERM'); rmSync(dataDir, { recursive: true, force: true }); } };
}

async function nativeDatabase() {
  const db = await createScratchDatabase(process.env.BENCH_DATABASE_ADMIN_URL ?? DEFAULT_ADMIN_URL, 'switchboard_bench');
  return { url: db.url, pid: null as number | null, drop: () => db.drop() };
}

/** NODE_OPTIONS for a measured process, from the named variable when it is set. */
const nodeOptionsFrom = (variable: string): Record<string, string> => (process.env[variable] ? { NODE_OPTIONS: process.env[variable]! } : {});

async function measure(database: 'pglite' | 'postgres', temporalAddress: string, temporalPid: number | null, temporalMetricsUrl: string) {
  const db = database === 'pglite' ? await embeddedDatabase() : await nativeDatabase();
  const stack = await startStack({ temporalAddress, databaseUrl: db.url, redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', worker: false });
  // As npm start runs it: the bundle under node, the workflow code prebuilt (no webpack at start).
  // BENCH_WORKER_NODE_OPTIONS=--cpu-prof profiles the worker's threads under load.
  const worker = await startCompiledProcess('worker', { ...stack.workerEnv(), WORKFLOW_BUNDLE_PATH: join(root, WORKFLOW_BUNDLE), WORKER_NICE: workerNice, ...nodeOptionsFrom('BENCH_WORKER_NODE_OPTIONS') }, (log) => log.includes('worker ready'), 120_000);
  // The platform's API too, in its own process as npm start runs it; the stack's in-process API only sets up.
  // BENCH_API_NODE_OPTIONS=--cpu-prof profiles it under load.
  const api = await startApiProcess({ ...stack.workerEnv(), ...nodeOptionsFrom('BENCH_API_NODE_OPTIONS') }, 120_000, { compiled: true });
  const baselineQueue = `baseline-${process.pid}-${database}`;
  // The SDK's defaults, as a minimal worker has them; BENCH_BASELINE_NODE_OPTIONS reaches it (e.g. the
  // platform's workflow-thread preload, `--require dist/workflow-threads.cjs`, to see the floor without the promise hook).
  const baselineWorker = await startProcess('bench/turn-baseline/worker.ts', { BASELINE_DATABASE_URL: db.url, TEMPORAL_ADDRESS: temporalAddress, BASELINE_TASK_QUEUE: baselineQueue, WORKER_NICE: workerNice, ...nodeOptionsFrom('BENCH_BASELINE_NODE_OPTIONS') }, (log) => log.includes('baseline worker ready'), 120_000);
  const baselineApi = await startBaselineApi(stack.temporal, baselineQueue);
  try {
    const { apiKey } = await stack.createTenant();
    const flow = await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'Bench', graph: echoFlow } });
    await stack.request('POST', `/v1/flows/${flow.body.id}/publish`, { apiKey });
    const platform: Target = {
      start: async () => (await post(`${api.url}/v1/conversations`, { flowId: flow.body.id }, apiKey)).id,
      turn: async (id, text) => void (await post(`${api.url}/v1/conversations/${id}/messages`, { text }, apiKey)),
    };
    const baseline: Target = {
      start: async () => (await post(`${baselineApi.url}/conversations`, {})).id,
      turn: async (id, text) => void (await post(`${baselineApi.url}/conversations/${id}/messages`, { text })),
    };
    // Warm-up: workflow caches, connection pools, JIT, on both sides.
    await load(platform, 2);
    await load(baseline, 2);

    const pids: Record<string, number> = { API: api.child.pid!, worker: worker.child.pid!, 'baseline worker': baselineWorker.child.pid!, [BENCH_PROCESS]: process.pid };
    if (db.pid) pids['PGlite server'] = db.pid;
    if (temporalPid) pids.temporal = temporalPid;
    await new Promise((r) => setTimeout(r, 2_000));
    const idle = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, rssMb(pid) ?? 0]));

    // Per turn, the bench process's CPU is the load driver and, for the baseline, its API.
    const shared: Record<string, number | (() => number[])> = { [BENCH_PROCESS]: process.pid, API: api.child.pid! };
    if (temporalPid) shared.temporal = temporalPid;
    shared[database === 'pglite' ? 'PGlite server' : 'PostgreSQL backends'] = db.pid ?? (() => pidsNamed('postgres'));
    const rows = [];
    let underLoad: Record<string, number> = {};
    for (const concurrency of levels) {
      // Rounds alternate which side runs first, so a slow spell of the shared machine falls on both.
      const floorSamples: LoadSample[] = [];
      const ourSamples: LoadSample[] = [];
      for (let round = 0; round < rounds; round++) {
        // The peak RSS of the first round only: every later round opens as many conversations again.
        const sampler = round === 0 && concurrency === Math.max(...levels) ? sampleRss(pids) : null;
        const runFloor = async () => floorSamples.push(await load(baseline, concurrency, { ...shared, worker: baselineWorker.child.pid! }, temporalMetricsUrl));
        const runOurs = async () => ourSamples.push(await load(platform, concurrency, { ...shared, worker: worker.child.pid! }, temporalMetricsUrl));
        if (round % 2 === 0) await runFloor().then(runOurs);
        else await runOurs().then(runFloor);
        if (sampler) underLoad = sampler.stop();
      }
      const ours = pooled(ourSamples);
      const floor = pooled(floorSamples);
      const roundRatios = ourSamples.map((s, i) => ratio(turnsPerSecond(s), turnsPerSecond(floorSamples[i])));
      const row = {
        concurrency,
        platform: ours,
        baseline: floor,
        ratio: {
          p50: ratio(ours.p50, floor.p50),
          p99: ratio(ours.p99, floor.p99),
          turnsPerSecond: ratio(ours.turnsPerSecond, floor.turnsPerSecond),
          turnsPerSecondWithStarts: ratio(ours.turnsPerSecondWithStarts, floor.turnsPerSecondWithStarts),
        },
        roundThroughputRatios: roundRatios,
      };
      rows.push(row);
      console.log(
        `${database.padEnd(8)} ${String(concurrency).padStart(3)} conv: platform p50 ${ours.p50} ms p99 ${ours.p99} ms ${ours.turnsPerSecond} turns/s | ` +
          `baseline p50 ${floor.p50} ms p99 ${floor.p99} ms ${floor.turnsPerSecond} turns/s | ratio p50 ${row.ratio.p50}× p99 ${row.ratio.p99}× throughput ${row.ratio.turnsPerSecond}× (rounds ${roundRatios.join(', ')})`,
      );
      console.log(`${' '.repeat(13)}CPU ms per turn, platform ${JSON.stringify(ours.cpuMsPerTurn)} | baseline ${JSON.stringify(floor.cpuMsPerTurn)}`);
      console.log(`${' '.repeat(13)}Temporal task backlog writes a turn: platform ${ours.temporalBacklogWritesPerTurn} | baseline ${floor.temporalBacklogWritesPerTurn}`);
      const cpuSum = (cpu: Record<string, number>) => Math.round(Object.values(cpu).reduce((a, b) => a + b, 0) * 10) / 10;
      console.log(
        `${' '.repeat(13)}starts: platform p50 ${ours.starts.p50} ms, ${cpuSum(ours.starts.cpuMsPerStart)} ms CPU a start | baseline p50 ${floor.starts.p50} ms, ${cpuSum(floor.starts.cpuMsPerStart)} ms CPU | ` +
          `turns/s with the starts' time: ${ours.turnsPerSecondWithStarts} vs ${floor.turnsPerSecondWithStarts} (${row.ratio.turnsPerSecondWithStarts}×)`,
      );
    }
    console.log(`${database.padEnd(8)} RSS idle (MB): ${JSON.stringify(idle)}`);
    console.log(`${database.padEnd(8)} RSS peak under ${Math.max(...levels)} conversations (MB): ${JSON.stringify(underLoad)}`);
    return { database, rows, rssMb: { idle, underLoad } };
  } finally {
    await baselineApi.close();
    await baselineWorker.kill('SIGTERM');
    await worker.kill('SIGTERM');
    await api.kill('SIGTERM');
    await stack.close();
    await db.drop();
  }
}

const temporal = await startFileTemporal({ nice: Number(values['temporal-nice']) });
const temporalAddress = temporal.address;
try {
  const temporalPid = pidListening(Number(temporalAddress.split(':').pop()));
  const results = [];
  for (const database of databases) results.push(await measure(database, temporalAddress, temporalPid, temporal.metricsUrl));
  writeResult(out, {
    benchmark: 'turn',
    date: new Date().toISOString(),
    flow: 'ask → sendMessage (test/support/flows.ts echoFlow)',
    baseline: 'update handler → one local activity inserting one row (bench/turn-baseline)',
    temporal: 'dev server, history in a SQLite file as npm start keeps it',
    turnsPerConversation: turns,
    rounds,
    nice: { workers: Number(workerNice), temporal: Number(values['temporal-nice']) },
    machine: { cpus: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadAverage: os.loadavg().map((l) => Math.round(l * 10) / 10) },
    results,
  });
  console.log(`wrote ${out}`);
} finally {
  await temporal.stop();
}
