/**
 * Webhook ingress: signed WhatsApp webhooks at increasing rates against the API process on
 * loopback (a steady open-loop load, bounded by count), with the worker process dispatching them into
 * conversations at the same time. Reports accepted/s and response-time percentiles per rate,
 * then drains and checks that every accepted webhook became exactly one conversation turn (one
 * inbound row, one stored contact message, one reply sent). Writes bench/results/ingress.json.
 *
 *   npm run bench:ingress [-- --rates 500,1000,1500 --seconds 2 --contacts 500 --dispatch during|after --worker-nice 0..19 --temporal-nice 0..19]
 *
 * `--dispatch after` starts the worker only once the load is over: ingress alone, then the backlog
 * that piled up meanwhile (as during a Temporal outage) drains. The worker and the Temporal server
 * run at npm start's lower scheduling priority (nice 10, scripts/priorities.ts); `--worker-nice`
 * and `--temporal-nice` set another (0: the API's own). The API
 * and the worker run compiled from dist/ as npm start runs them (the npm script builds first when a
 * source changed), against a Temporal dev server keeping its history in a SQLite file, as npm
 * start's does.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import http from 'node:http';
import { createHmac, randomBytes } from 'node:crypto';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startFakeGraphApi } from '../test/fakes/graph-api-server';
import { whatsappText } from '../test/fakes/meta-webhooks';
import { createScratchDatabase, DEFAULT_ADMIN_URL } from '../test/support/database';
import { startStack } from '../test/support/stack';
import { entryCommand, WORKFLOW_BUNDLE } from '../scripts/entries';
import { startCompiledProcess } from '../test/support/worker-process';
import { startFileTemporal } from './file-temporal';
import { BACKGROUND_NICE } from '../scripts/priorities';
import { summarize, writeResult } from './stats';

const { values } = parseArgs({
  options: { rates: { type: 'string', default: '500,1000,1500' }, seconds: { type: 'string', default: '2' }, contacts: { type: 'string', default: '500' }, 'drain-timeout': { type: 'string', default: '600' }, dispatch: { type: 'string', default: 'during' }, 'worker-nice': { type: 'string', default: String(BACKGROUND_NICE) }, 'temporal-nice': { type: 'string', default: String(BACKGROUND_NICE) } },
});
const rates = values.rates!.split(',').map(Number);
const seconds = Number(values.seconds);
const contacts = Number(values.contacts);
const out = fileURLToPath(new URL('./results/ingress.json', import.meta.url));
const root = fileURLToPath(new URL('..', import.meta.url));
const PHONE_ID = '106540352242922';
const APP_SECRET = randomBytes(16).toString('hex');
const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });

const loadAverageBefore = os.loadavg().map((l) => Math.round(l * 10) / 10);
const temporal = await startFileTemporal({ nice: Number(values['temporal-nice']) });
const db = await createScratchDatabase(process.env.BENCH_DATABASE_ADMIN_URL ?? DEFAULT_ADMIN_URL, 'switchboard_bench');
const graph = await startFakeGraphApi();
graph.addWhatsAppNumber({ phoneNumberId: PHONE_ID, accessToken: 'bench-token' });
const stack = await startStack({ temporalAddress: temporal.address, databaseUrl: db.url, redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', worker: false });
const workerNice = Number(values['worker-nice']);
const env = { ...stack.workerEnv(), META_GRAPH_URL: graph.url, OUTBOUND_ALLOWED_PRIVATE: '127.0.0.1', WORKER_NICE: String(workerNice) };
const dispatchDuring = values.dispatch !== 'after';
// The worker and the API as npm start runs them: compiled from dist/, the workflow code prebuilt.
const startWorker = () => startCompiledProcess('worker', { ...env, WORKFLOW_BUNDLE_PATH: join(root, WORKFLOW_BUNDLE) }, (log) => log.includes('worker ready'), 120_000);
let worker: Awaited<ReturnType<typeof startWorker>> | null = null;
let api: Awaited<ReturnType<typeof startApiProcess>> | null = null;
const sql = new pg.Client({ connectionString: db.url });

try {
  if (dispatchDuring) worker = await startWorker();
  api = await startApiProcess({
    ...env,
    HOST: '127.0.0.1',
    PORT: String(20000 + Math.floor(Math.random() * 20000)),
    // BENCH_API_NODE_OPTIONS=--cpu-prof profiles the API process under load.
    ...(process.env.BENCH_API_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_API_NODE_OPTIONS } : {}),
  });
  await sql.connect();
  const { apiKey } = await stack.createTenant();
  const flow = await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'Ingress', graph: ackFlow() } });
  await stack.request('POST', `/v1/flows/${flow.body.id}/publish`, { apiKey });
  const channel = await stack.request('POST', '/v1/channels', {
    apiKey,
    body: { type: 'whatsapp', name: 'Bench', flowId: flow.body.id, credentials: { accessToken: 'bench-token', appSecret: APP_SECRET, verifyToken: 'v' }, settings: { phoneNumberId: PHONE_ID, sendRatePerSecond: 1000 } },
  });
  const hook = `${api.url}/v1/webhooks/whatsapp/${channel.body.id}`;

  // Warm-up: connection pools, the channel cache, JIT.
  await load(hook, signedBodies(200, 'warm'), 200);
  const results = [];
  for (const rate of rates) {
    const bodies = signedBodies(rate * seconds, `r${rate}`);
    const r = await load(hook, bodies, rate);
    const row = {
      targetRate: rate,
      sent: bodies.length,
      accepted: r.accepted,
      rejected: r.rejected,
      errors: r.errors,
      acceptedPerSecond: Math.round(r.accepted / r.seconds),
      latencyMs: { p50: r.latency.p50, p95: r.latency.p95, p99: r.latency.p99, max: r.latency.max },
      seconds: Math.round(r.seconds * 100) / 100,
    };
    results.push(row);
    console.log(`${String(rate).padStart(5)}/s target: ${row.acceptedPerSecond} accepted/s  p50 ${row.latencyMs.p50} ms  p99 ${row.latencyMs.p99} ms  max ${row.latencyMs.max} ms  (${row.accepted}/${row.sent} accepted, ${row.errors} errors)`);
  }

  worker ??= await startWorker();
  const accepted = results.reduce((n, r) => n + r.accepted, 0) + 200;
  const drainStarted = performance.now();
  const counts = await drain(channel.body.id, accepted, Number(values['drain-timeout']) * 1000);
  const drainSeconds = Math.round((performance.now() - drainStarted) / 100) / 10;
  const verified = counts.rows === accepted && counts.dispatched === accepted && counts.turns === accepted && counts.distinctTurns === accepted && counts.replies === accepted;
  console.log(`drained in ${drainSeconds} s after the load: ${JSON.stringify(counts)} → ${verified ? 'every accepted webhook is exactly one turn' : 'MISMATCH'}`);
  writeResult(out, {
    benchmark: 'ingress',
    date: new Date().toISOString(),
    // The machine is shared: its load average says how much of it the benchmark actually had.
    machine: { cpus: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadAverageBefore, loadAverageAfter: os.loadavg().map((l) => Math.round(l * 10) / 10) },
    setup: { contacts, secondsPerRate: seconds, flow: 'start → sendMessage → end (one reply per webhook)', worker: dispatchDuring ? 'separate process, dispatching during the load' : 'separate process, started after the load', workerNice, temporalNice: Number(values['temporal-nice']) },
    results,
    drain: { acceptedTotal: accepted, ...counts, secondsAfterLoad: drainSeconds, verified },
  });
  console.log(`wrote ${out}`);
  if (!verified) process.exitCode = 1;
} finally {
  // Also when a process did not start: the Temporal server and the database go either way.
  await sql.end().catch(() => {});
  await api?.kill();
  await worker?.kill('SIGTERM');
  await stack.close();
  await graph.close();
  await temporal.stop();
  await db.drop();
}

function ackFlow() {
  return {
    nodes: [
      { id: 'start', type: 'start', data: {} },
      { id: 'ack', type: 'sendMessage', data: { text: 'Thanks, we got your message.' } },
      { id: 'done', type: 'end', data: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'ack' },
      { id: 'e2', source: 'ack', target: 'done' },
    ],
    settings: { handoffKeywords: [], idleTimeoutMinutes: 30, contextWindow: 10, variables: {} },
  };
}

/** Distinct provider message ids from a pool of contacts, each signed like Meta signs it. */
function signedBodies(count: number, tag: string) {
  return Array.from({ length: count }, (_, i) => {
    const body = JSON.stringify(whatsappText({ phoneNumberId: PHONE_ID, from: `1555${String(i % contacts).padStart(7, '0')}`, id: `wamid.${tag}.${i}` }, `message ${tag}-${i}`));
    return { body, signature: `sha256=${createHmac('sha256', APP_SECRET).update(body).digest('hex')}` };
  });
}

function post(target: URL, body: string, signature: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(
      { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-hub-signature-256': signature } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.setTimeout(10_000, () => req.destroy());
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

/**
 * Open-loop load at a steady rate: request i is due at start + i/rate whatever the answers so
 * far, and its latency counts from when it was due, so a stalled server cannot hide queueing
 * (no coordinated omission). autocannon paces in per-second bursts, which measures its own
 * connection count more than the server.
 */
async function load(url: string, bodies: { body: string; signature: string }[], rate: number) {
  const target = new URL(url);
  const latencies: number[] = [];
  const counts = { accepted: 0, rejected: 0, errors: 0 };
  const inflight: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < bodies.length; ) {
    const due = Math.min(bodies.length, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
    for (; i < due; i++) {
      const scheduled = start + (i * 1000) / rate;
      inflight.push(
        post(target, bodies[i].body, bodies[i].signature).then((status) => {
          latencies.push(performance.now() - scheduled);
          if (status >= 200 && status < 300) counts.accepted++;
          else if (status === 0) counts.errors++;
          else counts.rejected++;
        }),
      );
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(inflight);
  return { ...counts, seconds: (performance.now() - start) / 1000, latency: summarize(latencies) };
}

async function drain(channelId: string, expected: number, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  let settled = false;
  for (;;) {
    const { rows } = await sql.query(
      `select (select count(*) from inbound_messages where channel_id = $1)::int as rows,
              (select count(*) from inbound_messages where channel_id = $1 and status = 'dispatched')::int as dispatched,
              (select count(*) from messages m join conversations c on c.id = m.conversation_id where c.channel_id = $1 and m.direction = 'in')::int as turns,
              (select count(distinct m.external_id) from messages m join conversations c on c.id = m.conversation_id where c.channel_id = $1 and m.direction = 'in')::int as "distinctTurns"`,
      [channelId],
    );
    const counts = { ...rows[0], replies: graph.sent.length };
    if (settled) return counts;
    // Once everything is in, look again a little later: anything extra (a duplicate) would show up then.
    if ((counts.turns >= expected && counts.replies >= expected) || Date.now() > until) settled = true;
    await new Promise((r) => setTimeout(r, settled ? 3000 : 1000));
  }
}

/** The compiled API as its own process (as in production), ready when /health answers. */
async function startApiProcess(processEnv: Record<string, string>) {
  const { cmd, args, env } = entryCommand(root, 'api', true, { ...process.env, ...processEnv, LOG_LEVEL: 'warn' });
  const child = spawn(cmd, args, { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${processEnv.PORT}`;
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error('the API process exited before it was ready');
    if (await fetch(`${url}/health`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    async kill() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
