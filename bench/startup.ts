/**
 * `npm run bench:startup [-- --rounds 3 --idle-seconds 15]`: what running the build instead of tsx
 * saves. Starts the platform as `npm start` does (dist/ under node); with it up, starts an extra
 * worker and API `rounds` times each way, alternating (compiled, tsx, then tsx, compiled…), and times
 * spawn → ready (the worker's ready line, the API's first /health answer): a busy machine slows both
 * the same. Then the RSS and PSS of every process at idle, compiled and as `npm run start:dev` runs it.
 * Prints the ratios; writes bench/results/startup.json.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { entryCommand, type EntryName } from '../scripts/entries';
import { spawnProcess } from '../scripts/supervisor';
import { freePort } from '../test/support/ports';
import { pssMb, rssMb } from './process-rss';
import { pidsOf, startPlatform, type Platform } from './chaos-platform';
import { writeResult } from './stats';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    'idle-seconds': { type: 'string', default: '15' },
    out: { type: 'string', default: fileURLToPath(new URL('./results/startup.json', import.meta.url)) },
  },
});
const rounds = Number(values.rounds);
const idleMs = Number(values['idle-seconds']) * 1000;
const root = fileURLToPath(new URL('..', import.meta.url));
const say = (line: string) => console.log(`startup: ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Mode = 'compiled' | 'tsx';

/** The environment npm start gave a running part (its database URL with password, Redis, Temporal). */
function partEnv(platform: Platform, part: 'worker' | 'api'): NodeJS.ProcessEnv {
  const [pid] = platform.pids(part);
  const pairs = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
  return Object.fromEntries(pairs.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
}

/** Spawn → ready, in ms, of one extra worker or API run the given way; stopped afterwards. */
async function timeStart(platform: Platform, part: 'worker' | 'api', mode: Mode): Promise<number> {
  const port = await freePort();
  const running: NodeJS.ProcessEnv = { ...partEnv(platform, part), ...(part === 'api' ? { PORT: String(port) } : {}) };
  // As `npm run start:dev` runs it: no code cache (npm start keeps one for the build only).
  if (mode === 'tsx') delete running.NODE_COMPILE_CACHE;
  const { cmd, args, env } = entryCommand(root, part as EntryName, mode === 'compiled', running);
  let ready = false;
  const started = performance.now();
  const proc = spawnProcess(cmd, args, { cwd: root, env, onLine: (l) => (ready ||= part === 'worker' && /^worker ready on task queue/.test(l)) });
  const deadline = Date.now() + 120_000;
  try {
    while (!ready) {
      if (Date.now() > deadline) throw new Error(`${part} (${mode}) not ready within 120 s`);
      if (part === 'api') ready = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(1_000) }).then(() => true, () => false);
      if (!ready) await sleep(part === 'api' ? 25 : 10);
    }
    return Math.round(performance.now() - started);
  } finally {
    await proc.stop();
  }
}

type Memory = Record<string, number>;

/** Resident memory (MB) of every process of the platform at idle, RSS and PSS, summed by what it is. */
function idleMemory(platform: Platform): { rss: Memory; pss: Memory } {
  const kinds: [string, RegExp][] = [
    ['worker', /dist\/worker\.js|worker\/main\.ts/],
    ['api', /dist\/api\.js|api\/main\.ts/],
    ['db', /dist\/pglite-server\.js|db\/pglite-server\.ts/],
    ['supervisor', /dist\/start\.js|scripts\/start\.ts/],
    ['temporal', /server start-dev/],
    ['esbuild', /esbuild/],
  ];
  const rss: Memory = {};
  const pss: Memory = {};
  const pids = [...pidsOf(platform.dataDir, ['']), ...platform.pids('redis')];
  for (const pid of new Set(pids)) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      const kind = platform.pids('redis').includes(pid) ? 'redis' : (kinds.find(([, re]) => re.test(cmdline))?.[0] ?? 'other');
      rss[kind] = (rss[kind] ?? 0) + (rssMb(pid) ?? 0);
      pss[kind] = (pss[kind] ?? 0) + (pssMb(pid) ?? 0);
    } catch {
      // Exited meanwhile.
    }
  }
  const total = (m: Memory) => Object.values(m).reduce((a, b) => a + b, 0);
  return { rss: { ...rss, total: total(rss) }, pss: { ...pss, total: total(pss) } };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const startup: Record<'worker' | 'api', Record<Mode, number[]>> = { worker: { compiled: [], tsx: [] }, api: { compiled: [], tsx: [] } };
const rss: Partial<Record<Mode, Memory>> = {};
const pss: Partial<Record<Mode, Memory>> = {};
const loadBefore = loadavg()[0];

say('starting the platform from dist/…');
let platform = await startPlatform();
try {
  await sleep(idleMs);
  ({ rss: rss.compiled, pss: pss.compiled } = idleMemory(platform));
  for (let round = 0; round < rounds; round++) {
    const order: Mode[] = round % 2 ? ['tsx', 'compiled'] : ['compiled', 'tsx'];
    for (const part of ['worker', 'api'] as const) {
      for (const mode of order) {
        const ms = await timeStart(platform, part, mode);
        startup[part][mode].push(ms);
        say(`round ${round + 1}: ${part} ${mode} ready in ${ms} ms`);
      }
    }
  }
} finally {
  await platform.stop();
}
say('starting the platform from source (tsx, as npm run start:dev)…');
platform = await startPlatform({}, { source: true });
try {
  await sleep(idleMs);
  ({ rss: rss.tsx, pss: pss.tsx } = idleMemory(platform));
} finally {
  await platform.stop();
}

const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
const summary = Object.fromEntries(
  (['worker', 'api'] as const).map((part) => {
    const [c, t] = [median(startup[part].compiled), median(startup[part].tsx)];
    return [part, { compiledMedianMs: c, tsxMedianMs: t, compiledToTsx: ratio(c, t) }];
  }),
);
console.log('');
for (const part of ['worker', 'api'] as const) {
  const s = summary[part];
  console.log(`${part.padEnd(7)} spawn → ready  compiled ${startup[part].compiled.join('/')} ms, tsx ${startup[part].tsx.join('/')} ms; medians ${s.compiledMedianMs} vs ${s.tsxMedianMs} ms = ${s.compiledToTsx}×`);
}
const kinds = [...new Set([...Object.keys(rss.compiled!), ...Object.keys(rss.tsx!)])].filter((k) => k !== 'total');
console.log(`idle RSS (MB)   ${kinds.map((k) => `${k} ${rss.compiled![k] ?? 0}/${rss.tsx![k] ?? 0}`).join(', ')} (compiled/tsx)`);
console.log(`idle RSS total  compiled ${rss.compiled!.total} MB, tsx ${rss.tsx!.total} MB = ${ratio(rss.compiled!.total, rss.tsx!.total)}×`);
console.log(`idle PSS (MB)   ${kinds.map((k) => `${k} ${pss.compiled![k] ?? 0}/${pss.tsx![k] ?? 0}`).join(', ')} (compiled/tsx)`);
console.log(`idle PSS total  compiled ${pss.compiled!.total} MB, tsx ${pss.tsx!.total} MB = ${ratio(pss.compiled!.total, pss.tsx!.total)}×`);
console.log(`load average    ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after (2-core machine shared with other work)`);
writeResult(values.out, { at: new Date().toISOString(), rounds, startupMs: startup, summary, idleRssMb: rss, idlePssMb: pss, loadAverage: [loadBefore, loadavg()[0]] });
