/**
 * Phone calls under load: 1, 20 and 100 concurrent scripted callers through the fake Twilio Voice
 * (test/fakes/twilio-voice) against the platform — the API in this process on a known port, the
 * worker in its own — each dialling the restaurant menu (test/voice-e2e/support.ts menuFlow with a
 * model's answer), pressing 2, saying what to book, and hearing the answer before the hangup. The
 * model answers at once (the fake OpenAI, zero latency) and every prompt's audio is a TTS cache hit
 * (warm-up calls synthesize them first). Per webhook, the time from the request to the whole TwiML
 * answer (p50/p95/p99), as Twilio would wait for it; calls/s; and that every call took its path
 * exactly once (the fake's verbs, the call row's path and status, the transcript's line count).
 * Beside it, in the same run, a bare Fastify process answering the same TwiML to the same requests
 * (bench/voice-baseline.ts): the ratio is what the durable call costs over HTTP + signature + TwiML.
 * Writes bench/results/voice.json (voice-paced.json with `--playback`).
 *
 * With `--playback 1` callers hear each prompt for as long as it lasts before they answer, as on a
 * real call (Twilio plays the audio between two webhooks); the default 0 answers at once, a stress
 * test where N callers keep N webhooks in flight all the time. Paced callers dial at even intervals
 * over one call's length (the warm-up call's), so calls overlap at different points of the flow.
 *
 *   npm run bench:voice [-- --levels 1,20,100 --calls 3 --playback 0]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startLocalTestServer } from '../temporal/test-server';
import { startFakeOpenAI } from '../test/fakes/openai-server';
import { startFakeTwilioVoice, type FakeCall } from '../test/fakes/twilio-voice';
import { createScratchDatabase, DEFAULT_ADMIN_URL } from '../test/support/database';
import { freePort } from '../test/support/ports';
import { startProcess, startWorkerProcess } from '../test/support/worker-process';
import { ACCOUNT_SID, AUTH_TOKEN, NUMBER, menuFlow, newCaller, startVoiceBench } from '../test/voice-e2e/support';
import { callWorkflowId } from '../core/ids';
import { summarize, writeResult } from './stats';
import { profileCalls, type WebhookProfile } from './voice-profile';

const { values } = parseArgs({ options: { levels: { type: 'string', default: '1,20,100' }, calls: { type: 'string', default: '3' }, playback: { type: 'string', default: '0' } } });
const playback = Number(values.playback);
/** With --playback: one call's length, over which the callers' first calls are spread. */
let callSpreadMs = 0;
const out = fileURLToPath(new URL(playback > 0 ? './results/voice-paced.json' : './results/voice.json', import.meta.url));
const levels = values.levels!.split(',').map(Number);
const callsPerCaller = Number(values.calls);
const REQUEST = 'I want to book a table for two';
/** The webhooks Twilio waits on for TwiML (status callbacks are answered empty and timed apart). */
const TWIML_KINDS = new Set(['voice', 'gather']);

interface LevelResult {
  calls: number;
  /** Where the time of a sample of these calls' webhooks went (bench/voice-profile.ts); platform only. */
  profile?: WebhookProfile;
  webhook: ReturnType<typeof summarize>;
  statusCallback: ReturnType<typeof summarize>;
  callsPerSecond: number;
  failures: string[];
}

/** `concurrency` callers, each placing `callsPerCaller` calls one after another. */
async function load(place: () => FakeCall, concurrency: number, check: (call: FakeCall) => Promise<string | null>, profile?: (calls: FakeCall[]) => Promise<WebhookProfile>): Promise<LevelResult> {
  const calls: FakeCall[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, caller) => {
      // Paced callers dial at even intervals over one call's length, as calls arrive one by one:
      // started together they would stay in step and every webhook would meet 19 others.
      if (callSpreadMs > 0) await new Promise((resolve) => setTimeout(resolve, (caller * callSpreadMs) / concurrency));
      for (let i = 0; i < callsPerCaller; i++) {
        const call = place().press('2').say(REQUEST, { confidence: 0.94 });
        calls.push(call);
        await call.ended;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const webhooks = calls.flatMap((c) => c.webhooks.filter((w) => TWIML_KINDS.has(w.kind)).map((w) => w.ms));
  const statuses = calls.flatMap((c) => c.requests('status').map((w) => w.ms));
  const failures = (await Promise.all(calls.map(check))).filter((f): f is string => f !== null);
  return {
    calls: calls.length,
    webhook: summarize(webhooks),
    statusCallback: summarize(statuses),
    callsPerSecond: Math.round((calls.length / seconds) * 10) / 10,
    failures,
    ...(profile ? { profile: await profile(calls.slice(0, 10)) } : {}),
  };
}

// The machine may be shared: the load average before the run says how much of it the bench had.
const loadAverageBefore = os.loadavg().map((l) => Math.round(l * 10) / 10);
const temporal = await startLocalTestServer();
const db = await createScratchDatabase(process.env.BENCH_DATABASE_ADMIN_URL ?? DEFAULT_ADMIN_URL, 'switchboard_bench');
const openai = await startFakeOpenAI({ responder: () => ({ content: 'A table for two is noted; we will text you to confirm.' }) });
const bench = await startVoiceBench(
  { temporalAddress: temporal.connection.options.address, databaseUrl: db.url, redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', worker: false },
  { llm: { baseURL: `${openai.url}/v1` }, playback },
);
const worker = await startWorkerProcess({ ...bench.stack.workerEnv(), OUTBOUND_ALLOWED_PRIVATE: '127.0.0.1' }, 120_000);
const sql = new pg.Client({ connectionString: db.url });
await sql.connect();
const baselineDir = mkdtempSync(join(tmpdir(), 'bench-voice-'));
let baseline: Awaited<ReturnType<typeof startProcess>> | null = null;
const baselineTwilio = await startFakeTwilioVoice({ accounts: { [ACCOUNT_SID]: AUTH_TOKEN }, playback });

try {
  const channel = await bench.channel(menuFlow({ answer: 'model' }));
  const place = () => bench.twilio.call({ url: channel.webhookUrl, from: newCaller(), to: NUMBER });

  // Warm-up: synthesizes every prompt (later calls hit the TTS cache), fills pools and the JIT.
  const firstStarted = performance.now();
  const first = place().press('2').say(REQUEST, { confidence: 0.94 });
  await first.ended;
  if (playback > 0) callSpreadMs = performance.now() - firstStarted;
  if (first.errors.some((e) => e.fatal) || first.requests('gather').length !== 2) throw new Error(`the warm-up call did not take the menu path: ${JSON.stringify({ errors: first.errors, heard: first.heard })}`);
  const expectedPath = first.path();
  await bench.stack.temporal.workflow.getHandle(callWorkflowId(bench.tenantId, first.sid)).result();
  const [row] = (await sql.query(`select path from calls where call_sid = $1`, [first.sid])).rows;
  const expectedNodes: string[] = row.path;
  const lines = async (sid: string) => Number((await sql.query(`select count(*) from messages m join calls c on c.conversation_id = m.conversation_id where c.call_sid = $1`, [sid])).rows[0].count);
  const expectedLines = await lines(first.sid);
  const warm = await Promise.all(Array.from({ length: 4 }, () => place().press('2').say(REQUEST).ended));

  /** A call took its path once: the verbs the caller heard, the call row's path and status, one transcript line per turn. */
  const check = async (call: FakeCall): Promise<string | null> => {
    if (call.errors.length) return `${call.sid}: ${call.errors.map((e) => `${e.code} ${e.message}`).join('; ')}`;
    if (call.path().join(',') !== expectedPath.join(',')) return `${call.sid}: heard ${call.path().join(',')}`;
    // The call row is stored beside the answers: the run has finished once it is.
    await bench.stack.temporal.workflow.getHandle(callWorkflowId(bench.tenantId, call.sid)).result();
    const [r] = (await sql.query(`select path, status from calls where call_sid = $1`, [call.sid])).rows;
    if (!r || r.status !== 'completed' || (r.path as string[]).join(',') !== expectedNodes.join(',')) return `${call.sid}: stored ${JSON.stringify(r)}`;
    const n = await lines(call.sid);
    return n === expectedLines ? null : `${call.sid}: ${n} transcript lines, expected ${expectedLines}`;
  };
  for (const c of warm) if (await check(c)) throw new Error(`warm-up: ${await check(c)}`);
  const profile = (calls: FakeCall[]) =>
    profileCalls(
      bench.stack.temporal,
      calls.map((c) => ({ workflowId: callWorkflowId(bench.tenantId, c.sid), webhookMs: c.webhooks.filter((w) => TWIML_KINDS.has(w.kind)).map((w) => w.ms) })),
    );

  // The baseline answers the same documents, its own URLs in place of the platform's.
  const basePort = await freePort();
  const platformBase = new URL(channel.webhookUrl).origin;
  const documents: Record<string, string> = {};
  for (const w of first.webhooks.filter((x) => TWIML_KINDS.has(x.kind))) {
    const u = new URL(w.url);
    documents[u.pathname + u.search] = w.body.replaceAll(`${platformBase}/v1/webhooks/`, `http://127.0.0.1:${basePort}/v1/webhooks/`);
  }
  writeFileSync(join(baselineDir, 'twiml.json'), JSON.stringify(documents));
  baseline = await startProcess('bench/voice-baseline.ts', { PORT: String(basePort), BASELINE_AUTH_TOKEN: AUTH_TOKEN, BASELINE_TWIML: join(baselineDir, 'twiml.json') }, (log) => log.includes('baseline listening'), 60_000);
  const baseUrl = `http://127.0.0.1:${basePort}${new URL(channel.webhookUrl).pathname}`;
  const placeBaseline = () => baselineTwilio.call({ url: baseUrl, from: newCaller(), to: NUMBER });
  const checkBaseline = async (call: FakeCall) => (call.errors.length || call.path().join(',') !== expectedPath.join(',') ? `${call.sid}: ${call.path().join(',')} ${JSON.stringify(call.errors)}` : null);
  await load(placeBaseline, 2, checkBaseline);

  const rows = [];
  for (const concurrency of levels) {
    const floor = await load(placeBaseline, concurrency, checkBaseline);
    const ours = await load(place, concurrency, check, profile);
    const ratio = (a: number, b: number) => Math.round((a / b) * 10) / 10;
    const row = { concurrency, platform: ours, baseline: floor, ratio: { p50: ratio(ours.webhook.p50, floor.webhook.p50), p99: ratio(ours.webhook.p99, floor.webhook.p99) } };
    rows.push(row);
    console.log(
      `${String(concurrency).padStart(3)} concurrent calls (${ours.calls} calls, ${ours.webhook.count} TwiML webhooks): platform p50 ${ours.webhook.p50} ms p95 ${ours.webhook.p95} ms p99 ${ours.webhook.p99} ms, ${ours.callsPerSecond} calls/s, ` +
        `${ours.failures.length} off their path | baseline p50 ${floor.webhook.p50} ms p99 ${floor.webhook.p99} ms, ${floor.callsPerSecond} calls/s | ratio p50 ${row.ratio.p50}× p99 ${row.ratio.p99}×`,
    );
    for (const f of ours.failures.slice(0, 5)) console.log(`    ${f}`);
    const p = ours.profile!;
    console.log(
      `    where a webhook's ${p.totalMs} ms go (mean of 10 calls): API + HTTP ${p.apiAndHttpMs} ms, Temporal ${p.temporalMs} ms = workflow tasks waiting for the worker ${p.workflowTaskQueueMs} ms + ` +
        `running ${p.workflowTaskRunMs} ms (local activities ${JSON.stringify(p.localActivityMs)}) + activities ${JSON.stringify(p.activities)}`,
    );
  }
  const at20 = rows.find((r) => r.concurrency === 20);
  const bar = at20 ? { p50Ms: 60, p99Ms: 250, met: at20.platform.webhook.p50 <= 60 && at20.platform.webhook.p99 <= 250 } : null;
  if (bar) console.log(`bar at 20 concurrent calls (p50 ≤ 60 ms, p99 ≤ 250 ms): ${bar.met ? 'met' : 'MISSED'}`);
  writeResult(out, {
    benchmark: 'voice',
    date: new Date().toISOString(),
    flow: 'say → menu (press 2) → ask (speech) → llmReply (zero-latency model) → hangup; prompts are TTS cache hits',
    path: { verbs: expectedPath, nodes: expectedNodes, transcriptLines: expectedLines },
    baseline: 'bare Fastify process: signature check + the same TwiML replayed (bench/voice-baseline.ts)',
    callsPerCaller,
    playback,
    callSpreadMs: Math.round(callSpreadMs),
    bar,
    loadAverageBefore,
    machine: { cpus: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadAverage: os.loadavg().map((l) => Math.round(l * 10) / 10) },
    results: rows,
  });
  console.log(`wrote ${out}`);
  if (rows.some((r) => r.platform.failures.length > 0)) process.exitCode = 1;
} finally {
  await baseline?.kill('SIGTERM');
  await baselineTwilio.close();
  await worker.kill('SIGTERM');
  await sql.end();
  await bench.close();
  await openai.close();
  await db.drop();
  await temporal.teardown();
  rmSync(baselineDir, { recursive: true, force: true });
}
