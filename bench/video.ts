/**
 * Video renders against the fake providers: 20 renders at once through the fake D-ID with a 5 s
 * render time, served by one worker process. Measures completed renders a minute, the worker's CPU
 * and memory while all 20 wait for D-ID (waiting is a durable timer and a signal: it should cost
 * nothing), and the latency of a cache hit (an identical request answered from the stored render;
 * bar: p95 ≤ 50 ms). Writes bench/results/video.json.
 *
 *   npm run bench:video [-- --renders 20 --render-ms 5000 --hits 200]
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { VideoRender } from '../db/entities';
import { systemEm } from '../db/orm';
import { startLocalTestServer } from '../temporal/test-server';
import { startFakeDid } from '../test/fakes/d-id-server';
import { FAKE_VOICES, startFakeElevenLabs } from '../test/fakes/elevenlabs-server';
import { presenterImage } from '../test/renders/media-fixtures';
import { createScratchDatabase, DEFAULT_ADMIN_URL } from '../test/support/database';
import { freePort } from '../test/support/ports';
import { startStack } from '../test/support/stack';
import { startWorkerProcess } from '../test/support/worker-process';
import { rssMb } from './process-rss';
import { summarize, writeResult } from './stats';

const { values } = parseArgs({ options: { renders: { type: 'string', default: '20' }, 'render-ms': { type: 'string', default: '5000' }, hits: { type: 'string', default: '200' } } });
const renders = Number(values.renders);
const renderMs = Number(values['render-ms']);
const hits = Number(values.hits);
const out = fileURLToPath(new URL('./results/video.json', import.meta.url));

/** CPU seconds (user + system) a process has used (Linux /proc, 100 ticks a second). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const temporal = await startLocalTestServer();
const db = await createScratchDatabase(process.env.BENCH_DATABASE_ADMIN_URL ?? process.env.TEST_DATABASE_ADMIN_URL ?? DEFAULT_ADMIN_URL, 'switchboard_video');
const did = await startFakeDid({ apiKey: 'user:secret', renderMs });
const eleven = await startFakeElevenLabs({ apiKey: 'xi-test', maxConcurrent: renders });
const mediaDir = await mkdtemp(join(tmpdir(), 'bench-video-'));
const port = await freePort();
const env = {
  PORT: String(port),
  PUBLIC_URL: `http://127.0.0.1:${port}`,
  MEDIA_DIR: mediaDir,
  OUTBOUND_ALLOWED_PRIVATE: '127.0.0.1',
  ELEVENLABS_API_URL: eleven.url,
  ELEVENLABS_API_KEY: 'xi-test',
  // The webhook ends each wait; the poll is only the fallback.
  DID_POLL_SECONDS: '60',
};
const stack = await startStack({ temporalAddress: temporal.connection.options.address, databaseUrl: db.url, redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', worker: false, env });
const worker = await startWorkerProcess({ ...stack.workerEnv(), ...env }, 120_000);
const pid = worker.child.pid!;
try {
  const { apiKey } = await stack.createTenant();
  const req = (method: string, path: string, body?: unknown) => stack.request(method, path, { apiKey, body });
  await req('PUT', '/v1/settings/did', { baseURL: did.url, apiKey: 'user:secret' });
  const voice = await req('POST', '/v1/voices', { name: 'Rachel', provider: 'elevenlabs', voiceId: FAKE_VOICES[0].voice_id });
  const avatar = await req('POST', '/v1/avatars', { name: 'Chef', image: (await presenterImage()).toString('base64'), voiceProfileId: voice.body.id });
  const body = (i: number) => ({ title: `Special ${i}`, avatarId: avatar.body.id, script: { type: 'text', text: `Special number ${i}: this week our chef cooks a slow roasted lamb with rosemary potatoes for you.` } });

  const started = performance.now();
  const created = await Promise.all(Array.from({ length: renders }, (_, i) => req('POST', '/v1/videos', body(i))));
  const ids = created.map((c) => c.body.id as string);
  const rows = () => systemEm(stack.orm).find(VideoRender, { id: { $in: ids } }, { filters: false, refresh: true });

  // Waiting windows: every sample interval in which each unfinished render was waiting at D-ID
  // (none speaking, creating, downloading or encoding), summed.
  const wait = { seconds: 0, cpu: 0, rss: [] as number[] };
  let previous: { at: number; cpu: number; allWaiting: boolean } | null = null;
  for (;;) {
    const now = await rows();
    const running = now.filter((r) => r.status === 'running');
    const allWaiting = running.length > 0 && running.every((r) => r.stage === 'waiting');
    const sample = { at: performance.now(), cpu: cpuSeconds(pid), allWaiting };
    if (previous?.allWaiting && allWaiting) {
      wait.seconds += (sample.at - previous.at) / 1000;
      wait.cpu += sample.cpu - previous.cpu;
      wait.rss.push(rssMb(pid) ?? 0);
    }
    previous = sample;
    if (!running.length) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const waitResult = wait.seconds > 0
    ? { seconds: Math.round(wait.seconds * 10) / 10, cpuPercent: Math.round((wait.cpu / wait.seconds) * 1000) / 10, rssMbMax: Math.max(...wait.rss), rssMbMean: Math.round(wait.rss.reduce((a, b) => a + b, 0) / wait.rss.length) }
    : null;
  const elapsedSec = (performance.now() - started) / 1000;
  const final = await rows();
  const completed = final.filter((r) => r.status === 'completed').length;

  // Cache hits: the first render asked for again and again, one at a time.
  await req('POST', '/v1/videos', body(0));
  const latencies: number[] = [];
  for (let i = 0; i < hits; i++) {
    const t0 = performance.now();
    const hit = await req('POST', '/v1/videos', body(i % renders));
    latencies.push(performance.now() - t0);
    if (!hit.body.cached) throw new Error(`request ${i} was not a cache hit`);
  }
  const cacheHit = summarize(latencies);
  const result = {
    renders,
    renderMs,
    completed,
    failed: final.filter((r) => r.status === 'failed').map((r) => r.error),
    elapsedSec: Math.round(elapsedSec * 10) / 10,
    completedPerMinute: Math.round((completed / elapsedSec) * 60 * 10) / 10,
    didTalksCreated: did.created,
    didCredits: final.reduce((n, r) => n + (r.cost.didCredits ?? 0), 0),
    elevenLabsCharacters: final.reduce((n, r) => n + (r.cost.elevenLabsCharacters ?? 0), 0),
    workerWhileWaiting: waitResult,
    cacheHitMs: cacheHit,
    cacheHitBarMet: cacheHit.p95 <= 50,
    machine: '2 shared cores; API, worker, fakes, PostgreSQL, Redis and Temporal on the same machine',
  };
  console.log(JSON.stringify(result, null, 2));
  writeResult(out, result);
} finally {
  await worker.kill('SIGTERM');
  await stack.close();
  await Promise.all([did.close(), eleven.close()]);
  await db.drop();
  await temporal.teardown();
  await rm(mediaDir, { recursive: true, force: true });
}
process.exit(0);
