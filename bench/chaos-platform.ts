/**
 * The platform as `npm start` runs it, for the chaos run: started in a fresh DATA_DIR on spare
 * ports with its own Redis, its parts found by their command line, and talked to over REST.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENTRIES, entryCommand } from '../scripts/entries';
import { supervisedProcess } from '../scripts/supervisor';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Each part npm start supervises, by a piece of its command line: its bundle (npm start) or its source (start:dev). */
export const PART_PATTERNS = {
  worker: ['dist/worker.js', ENTRIES.worker],
  api: ['dist/api.js', ENTRIES.api],
  db: ['dist/pglite-server.js', ENTRIES['pglite-server']],
  temporal: ['server start-dev'],
  // redis-server rewrites its process title (and the memory /proc shows as its environment) to
  // `redis-server 127.0.0.1:PORT`: found by that, not by DATA_DIR.
  redis: ['redis-server'],
} as const;
export type PartName = keyof typeof PART_PATTERNS;

export interface Platform {
  url: string;
  apiKey: string;
  dataDir: string;
  /** The Temporal dev server's frontend, host:port. */
  temporalAddress: string;
  output(): string;
  /** The processes of a part. */
  pids(part: PartName): number[];
  /** SIGKILL every process of a part; resolves with how many there were. */
  kill(part: PartName): number;
  request<T = any>(method: string, path: string, body?: unknown, timeoutMs?: number): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
}

/** A port below the kernel's ephemeral range, so no outgoing connection takes it before a restart. */
async function sparePort(): Promise<number> {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    const free = await new Promise<boolean>((done) => {
      const probe = createServer();
      probe.once('error', () => done(false)).listen(port, '127.0.0.1', () => probe.close(() => done(true)));
    });
    if (free) return port;
  }
}

/** Processes whose command line has one of `patterns` and, unless `dataDir` is null, whose environment names it. */
export function pidsOf(dataDir: string | null, patterns: readonly string[]): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (dataDir !== null && !readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(`DATA_DIR=${dataDir}`)) continue;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      if (patterns.some((p) => cmdline.includes(p))) pids.push(Number(entry));
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return pids;
}

/**
 * `onLine` sees every line the platform prints; `verbose` makes npm start print its parts' output too.
 * It runs the build (dist/, built first when stale) as `npm start` does, or with `source` the
 * TypeScript under tsx as `npm run start:dev` does.
 */
export async function startPlatform(env: Record<string, string> = {}, watch: { verbose?: boolean; onLine?: (line: string) => void; source?: boolean } = {}): Promise<Platform> {
  if (!watch.source) execFileSync('bash', [join(root, 'scripts', 'ensure-built.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
  const start = entryCommand(root, 'start', !watch.source);
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-chaos-'));
  const [port, temporalPort, uiPort, pglitePort, redisPort] = await Promise.all([sparePort(), sparePort(), sparePort(), sparePort(), sparePort()]);
  const url = `http://127.0.0.1:${port}`;
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(port),
    TEMPORAL_PORT: String(temporalPort),
    TEMPORAL_UI_PORT: String(uiPort),
    PGLITE_PORT: String(pglitePort),
    // Its own Redis (npm start runs one when nothing answers), so the run can kill it too.
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    // The run measures what survives the kills, not the per-key budget: its load and its audit of
    // every transcript with one key passed 3,000 requests a minute on a fast run (429s).
    API_RATE_LIMIT: '0',
    ...env,
  };
  delete childEnv.DATABASE_URL;
  delete childEnv.SWITCHBOARD_DEMO_API_KEY;
  let log = '';
  let apiKey = '';
  // Started and stopped like any part npm start itself runs: ready once it prints the demo key.
  const platform = await supervisedProcess('npm start', () => ({ cmd: start.cmd, args: [...start.args, ...(watch.verbose ? ['--verbose'] : [])], env: childEnv }), {
    cwd: root,
    onLine: (line) => {
      log += `${line}\n`;
      watch.onLine?.(line);
    },
    context: () => log.slice(-4000),
    readyLine: /Demo API key +(sb_[A-Za-z0-9_-]+)/,
    onReady: (match) => (apiKey = match[1]),
    readyTimeoutMs: 300_000,
    // npm start gives its worker's in-flight activities their grace period before it exits.
    killAfterMs: 60_000,
  }).start();

  const partPids = (part: PartName) => (part === 'redis' ? pidsOf(null, [`redis-server 127.0.0.1:${redisPort}`]) : pidsOf(dataDir, PART_PATTERNS[part]));

  return {
    url,
    apiKey,
    dataDir,
    temporalAddress: `127.0.0.1:${temporalPort}`,
    output: () => log,
    pids: partPids,
    kill(part) {
      const pids = partPids(part);
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {}
      }
      return pids.length;
    },
    async request(method, path, body, timeoutMs = 30_000) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${apiKey}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    async stop() {
      await platform.stop();
      for (const part of Object.keys(PART_PATTERNS) as PartName[]) {
        for (const pid of partPids(part)) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // Gone since the scan.
          }
        }
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
