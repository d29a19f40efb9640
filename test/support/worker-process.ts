/** Runs worker/main.ts (or api/main.ts) as a separate OS process, so a test can kill it like a crashed machine. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { entryCommand, ENTRIES, youngGenerationFlag, type EntryName } from '../../scripts/entries';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export function startWorkerProcess(env: Record<string, string>, readyTimeoutMs = 60_000): Promise<WorkerProcess> {
  return startProcess('worker/main.ts', env, (log) => log.includes('worker ready'), readyTimeoutMs);
}

export interface ApiProcess extends WorkerProcess {
  url: string;
}

/**
 * Runs api/main.ts as a separate OS process on a free loopback port; resolves once it listens.
 * `compiled` runs dist/api.js as npm start does (`npm run build` first), for the benchmarks.
 */
export async function startApiProcess(env: Record<string, string>, readyTimeoutMs = 60_000, { compiled = false } = {}): Promise<ApiProcess> {
  const listening = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/;
  const apiEnv = { API_RATE_LIMIT: '0', AUTH_FAILURE_LIMIT: '0', ...env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' };
  const ready = (log: string) => listening.test(log);
  const handle = compiled ? await startCompiledProcess('api', apiEnv, ready, readyTimeoutMs) : await startProcess('api/main.ts', apiEnv, ready, readyTimeoutMs);
  return { ...handle, url: listening.exec(handle.output())![1] };
}

/** Runs a repository script as one OS process (no tsx launcher, so a SIGKILL frees its ports), with the V8 flags npm start gives it; resolves once `ready` sees its output. */
export function startProcess(entry: string, env: Record<string, string>, ready: (log: string) => boolean, readyTimeoutMs: number): Promise<WorkerProcess> {
  const name = (Object.keys(ENTRIES) as EntryName[]).find((n) => ENTRIES[n] === entry);
  return spawnUntilReady(entry, process.execPath, [youngGenerationFlag(name), '--import', 'tsx', entry], env, ready, readyTimeoutMs);
}

/** Runs an entrypoint's bundle from dist/ (`npm run build`) as npm start runs it; resolves once `ready` sees its output. */
export function startCompiledProcess(name: EntryName, env: Record<string, string>, ready: (log: string) => boolean, readyTimeoutMs: number): Promise<WorkerProcess> {
  const part = entryCommand(root, name, true, { ...process.env, ...env });
  return spawnUntilReady(`dist/${name}.js`, part.cmd, part.args, part.env, ready, readyTimeoutMs);
}

function spawnUntilReady(entry: string, cmd: string, args: string[], env: NodeJS.ProcessEnv, ready: (log: string) => boolean, readyTimeoutMs: number): Promise<WorkerProcess> {
  const child = spawn(cmd, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const handle: WorkerProcess = {
    child,
    output: () => log,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} not ready in ${readyTimeoutMs} ms:\n${log}`)), readyTimeoutMs);
    child.stdout!.on('data', () => {
      if (ready(log)) {
        clearTimeout(timer);
        resolve(handle);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code} before it was ready:\n${log}`));
    });
  });
}
