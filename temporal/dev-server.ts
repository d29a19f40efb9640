/**
 * The Temporal dev server `npm start` runs: `temporal server start-dev` persisting to
 * `${dataDir}/temporal.db`, with our search attributes and the dynamic config the SDK relies on.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { temporalCliPath } from './binaries';
import { namespaceReady } from './namespace-probe';
import { searchAttributeArgs } from './search-attributes';

export interface TemporalDevServerOptions {
  dataDir: string;
  port?: number;
  uiPort?: number;
  namespace?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Receives each line the server prints (stdout and stderr). */
  onLine?: (line: string) => void;
  /** How long to wait for the frontend to answer. */
  readyTimeoutMs?: number;
  /**
   * Scheduling priority (nice, 0–19) to run the server at; 0 leaves it as it is. Applied by
   * starting it through `nice`, so every thread the Go runtime creates has it (renicing the
   * running process would reach its first thread only).
   */
  nice?: number;
  /** Port of the server's Prometheus `/metrics` endpoint; unset: a random one. */
  metricsPort?: number;
}

export interface TemporalDevServer {
  address: string;
  uiUrl: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Same flags as the SDK's test server, plus update-with-start for servers that still gate it and
 * eager activity execution (the worker gets an activity task in the reply to the workflow task
 * that scheduled it: one server round trip less per model call).
 */
export const DYNAMIC_CONFIG = {
  'frontend.enableUpdateWorkflowExecution': true,
  'frontend.enableUpdateWorkflowExecutionAsyncAccepted': true,
  'frontend.enableExecuteMultiOperation': true,
  'system.enableActivityEagerExecution': true,
} as const;

/** Flags every dev server of ours gets (npm start, tests, benchmarks): search attributes and dynamic config. */
export function serverFeatureArgs(extraDynamicConfig: Record<string, string | number | boolean> = {}): string[] {
  return [
    ...searchAttributeArgs(),
    ...Object.entries({ ...DYNAMIC_CONFIG, ...extraDynamicConfig }).flatMap(([k, v]) => ['--dynamic-config-value', `${k}=${v}`]),
  ];
}

/**
 * The history store's SQLite in write-ahead-log mode, syncing at checkpoints rather than at every
 * commit. SQLite's default (a rollback journal, synchronous=FULL) wrote, synced and deleted a journal
 * for each transaction, and the server took 9.6–12.7 ms of CPU a turn under bench:turn against
 * 6.3–9.9 ms with these (ten and fifty conversations, PostgreSQL). A commit still survives the
 * server being killed; a power cut can roll back its last commits but not corrupt the file, which is
 * more than the embedded PostgreSQL beside it promises (PGlite runs Postgres with fsync off, `-F`).
 */
export const SQLITE_PRAGMAS = ['journal_mode=wal', 'synchronous=normal'] as const;

export function devServerArgs(o: Required<Pick<TemporalDevServerOptions, 'dataDir' | 'port' | 'uiPort' | 'namespace' | 'logLevel'>>): string[] {
  return [
    'server', 'start-dev',
    '--db-filename', join(resolve(o.dataDir), 'temporal.db'),
    '--port', String(o.port),
    '--ui-port', String(o.uiPort),
    '--ip', '127.0.0.1',
    // The UI reads every tenant's workflows and has no login: loopback only, whatever --ip becomes.
    '--ui-ip', '127.0.0.1',
    '--namespace', o.namespace,
    '--log-level', o.logLevel,
    ...SQLITE_PRAGMAS.flatMap((pragma) => ['--sqlite-pragma', pragma]),
    // start-dev upserts these on every start, so a db file that already has them is fine.
    ...serverFeatureArgs(),
  ];
}

/** The server process exited before it answered: worth another try (its internal ports are picked at random). */
export class TemporalStartError extends Error {}

/**
 * `start` again, up to `attempts` times in all, while the server exits before it is ready: a port
 * found free (its internal ones, or ours) can be taken by another process before the server binds
 * it. `beforeRetry` runs between attempts (new ports, a line to the user).
 */
export async function startRetryingTakenPorts(
  start: () => Promise<TemporalDevServer>,
  attempts: number,
  beforeRetry?: (err: TemporalStartError, attempt: number) => void | Promise<void>,
): Promise<TemporalDevServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (err) {
      if (!(err instanceof TemporalStartError) || attempt >= attempts) throw err;
      await beforeRetry?.(err, attempt);
    }
  }
}

export async function startTemporalDevServer(opts: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const o = { port: 7233, uiPort: 8233, namespace: 'default', logLevel: 'warn' as const, ...opts };
  mkdirSync(o.dataDir, { recursive: true });
  const address = `127.0.0.1:${o.port}`;
  const serverArgs = [...devServerArgs(o), ...(o.metricsPort ? ['--metrics-port', String(o.metricsPort)] : [])];
  const [cmd, args] = o.nice ? ['nice', ['-n', String(o.nice), temporalCliPath(), ...serverArgs]] : [temporalCliPath(), serverArgs];
  // `nice` execs the server in its own process: the pid is the server's.
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  // The last lines go into the error when the server exits before it is ready: they say why.
  const tail: string[] = [];
  const lines = (chunk: Buffer) =>
    chunk.toString().split('\n').filter(Boolean).forEach((l) => {
      tail.push(l);
      if (tail.length > 20) tail.shift();
      o.onLine?.(l);
    });
  child.stdout!.on('data', lines);
  child.stderr!.on('data', lines);

  let exited: string | undefined;
  const exit = new Promise<void>((r) =>
    child.once('exit', (code, signal) => {
      exited = `exited (${signal ?? `code ${code}`})`;
      r();
    }),
  );
  const stop = async () => {
    if (exited) return;
    // The CLI runs the server in-process; its own group is signalled in case it ever forks.
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {}
    }, 10_000);
    await exit;
    clearTimeout(timer);
  };

  const deadline = Date.now() + (o.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (exited) {
      throw new TemporalStartError(`temporal dev server ${exited} before it was ready (is port ${o.port} or ${o.uiPort} in use?)\n${tail.join('\n')}`);
    }
    // The namespace is registered shortly after the frontend answers: ready once it is described.
    if (await namespaceReady(address, o.namespace)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`temporal dev server did not describe namespace ${o.namespace} on ${address} within ${o.readyTimeoutMs ?? 60_000} ms`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { address, uiUrl: `http://127.0.0.1:${o.uiPort}`, process: child, stop };
}
