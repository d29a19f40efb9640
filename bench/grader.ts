/**
 * The presence grader under load: 50 audits started at once through the API, against local
 * fixture sites (the test's good, bad, broken, expired-certificate, slow and redirect-loop sites,
 * in turn), served by a worker process (worker/main.ts, as in production) with its real activities.
 * The worker trusts the test CA through NODE_EXTRA_CA_CERTS, as a machine with that CA installed would. Measures audits completed a
 * minute and each audit's duration from its POST to its workflow's end (bar: p95 ≤ 10 s). Writes
 * bench/results/grader.json.
 *
 *   npm run bench:grader [-- --audits 50]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startLocalTestServer } from '../temporal/test-server';
import { makeCerts, trustTestCa } from '../test/presence/fixtures/certs';
import { serveSite, type SiteOptions } from '../test/presence/fixtures/server';
import { createScratchDatabase, DEFAULT_ADMIN_URL } from '../test/support/database';
import { startStack } from '../test/support/stack';
import { startWorkerProcess } from '../test/support/worker-process';
import { auditDirect } from '../test/presence/support';
import { summarize, writeResult } from './stats';

const { values } = parseArgs({ options: { audits: { type: 'string', default: '50' } } });
const audits = Number(values.audits);
const out = fileURLToPath(new URL('./results/grader.json', import.meta.url));
const BAR_P95_MS = 10_000;

const certs = makeCerts();
const caDir = mkdtempSync(join(tmpdir(), 'bench-grader-'));
writeFileSync(join(caDir, 'ca.pem'), certs.ca);
const kinds: [string, SiteOptions][] = [
  ['good', { files: 'good', tls: certs.valid }],
  ['bad', { files: 'bad' }],
  ['broken', { files: 'broken' }],
  ['expired', { files: 'good', tls: certs.expired }],
  ['slow', { files: 'good', tls: certs.valid, delayMs: 2500 }],
  ['loop', { redirectLoop: true }],
];
const sites = await Promise.all(kinds.map(([, opts]) => serveSite(opts)));
const temporal = await startLocalTestServer();
const db = await createScratchDatabase(process.env.BENCH_DATABASE_ADMIN_URL ?? process.env.TEST_DATABASE_ADMIN_URL ?? DEFAULT_ADMIN_URL, 'switchboard_grader');
const env = { OUTBOUND_ALLOWED_PRIVATE: '127.0.0.1' };
const stack = await startStack({ temporalAddress: temporal.connection.options.address, databaseUrl: db.url, redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', worker: false, env });
const worker = await startWorkerProcess({ ...stack.workerEnv(), ...env, NODE_EXTRA_CA_CERTS: join(caDir, 'ca.pem') }, 120_000);
try {
  const { apiKey } = await stack.createTenant();
  // One audit first, so the worker's workflow bundle and connections are warm before timing.
  const warm = await stack.request('POST', '/v1/presence/audits', { apiKey, body: { url: sites[0]!.url } });
  await stack.temporal.workflow.getHandle(warm.body.workflowId).result();

  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const runs = await Promise.all(
    Array.from({ length: audits }, async (_, i) => {
      const kind = i % kinds.length;
      const t0 = performance.now();
      const res = await stack.request('POST', '/v1/presence/audits', { apiKey, body: { url: sites[kind]!.url } });
      if (res.status !== 202) throw new Error(`POST /v1/presence/audits → ${res.status} ${JSON.stringify(res.body)}`);
      const postMs = performance.now() - t0;
      const result = await stack.temporal.workflow.getHandle(res.body.workflowId).result();
      const ms = performance.now() - t0;
      const { report } = (await stack.request('GET', `/v1/presence/audits/${res.body.id}`, { apiKey })).body;
      // Where the time went: before the plan activity ran (queued), inside (checks and scoring), after.
      const queuedMs = report ? Date.parse(report.startedAt) - Date.parse(res.body.createdAt) : null;
      return { kind: kinds[kind]![0], ms, postMs, status: result.status as string, overall: result.overall as number | null, queuedMs, checkingMs: report?.durationMs ?? null };
    }),
  );
  const elapsedSec = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const completed = runs.filter((r) => r.status === 'completed');
  const duration = summarize(runs.map((r) => r.ms));
  const byKind = Object.fromEntries(kinds.map(([kind]) => [kind, { ...summarize(runs.filter((r) => r.kind === kind).map((r) => r.ms)), overall: [...new Set(runs.filter((r) => r.kind === kind).map((r) => r.overall))] }]));

  // The same audits through the check modules alone, in this process (no Temporal, no database): what the checks themselves cost.
  trustTestCa(certs.ca);
  const directCpu = process.cpuUsage();
  const directStart = performance.now();
  await Promise.all(Array.from({ length: audits }, (_, i) => auditDirect(stack.config, sites[i % kinds.length]!.url)));
  const directUsed = process.cpuUsage(directCpu);
  const direct = { wallMs: Math.round(performance.now() - directStart), cpuMs: Math.round((directUsed.user + directUsed.system) / 1000) };

  const result = {
    audits,
    completed: completed.length,
    failed: runs.length - completed.length,
    elapsedSec: Math.round(elapsedSec * 10) / 10,
    auditsPerMinute: Math.round((completed.length / elapsedSec) * 60 * 10) / 10,
    durationMs: duration,
    postMs: summarize(runs.map((r) => r.postMs)),
    queuedMs: summarize(runs.flatMap((r) => (r.queuedMs === null ? [] : [r.queuedMs]))),
    checkingAndScoringMs: summarize(runs.flatMap((r) => (r.checkingMs === null ? [] : [r.checkingMs]))),
    // This process holds the API and the fixture sites: its CPU time over the run's wall time.
    benchProcessCpuPercent: Math.round(((cpu.user + cpu.system) / 1e6 / elapsedSec) * 1000) / 10,
    checksAloneInProcess: direct,
    barP95Ms: BAR_P95_MS,
    barMet: duration.p95 <= BAR_P95_MS,
    byKind,
    machine: '2 shared cores (shared with other work while measured); API and fixture sites in the benchmark process, one worker process, PostgreSQL, Redis and Temporal on the same machine',
    loadAverage: loadavg()[0],
  };
  console.log(JSON.stringify(result, null, 2));
  writeResult(out, result);
} finally {
  await worker.kill('SIGTERM');
  await stack.close();
  await db.drop();
  await temporal.teardown();
  await Promise.all(sites.map((s) => s.close()));
  rmSync(caDir, { recursive: true, force: true });
}
process.exit(0);
