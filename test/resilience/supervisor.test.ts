import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Supervisor, spawnProcess, supervisedProcess, type PartSpec, type PartStatus } from '../../scripts/supervisor';
import { waitUntil } from '../support/wait';

/** A real child process: sleeps until killed, or exits at once with `exitCode`. */
function nodePart(name: string, starts: number[], exitCode?: number): PartSpec & { pid(): number | undefined } {
  let pid: number | undefined;
  const script = exitCode === undefined ? 'setInterval(() => {}, 1000)' : `process.exit(${exitCode})`;
  return {
    name,
    pid: () => pid,
    async start() {
      starts.push(Date.now());
      const part = spawnProcess(process.execPath, ['-e', script], { env: process.env, killAfterMs: 2_000 });
      pid = part.proc.pid;
      return part;
    },
  };
}

/** Live processes whose command line contains `text`. */
function pidsOf(text: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm start supervisor', () => {
  let supervisor: Supervisor | undefined;
  afterEach(async () => supervisor?.stopAll());

  function make(overrides: { stateFile?: string; crashLoopExits?: number; stableAfterMs?: number } = {}) {
    const logs: string[] = [];
    const gaveUp: string[] = [];
    supervisor = new Supervisor({
      log: (m) => logs.push(m),
      giveUp: (name, message) => gaveUp.push(`${name}: ${message}`),
      backoff: { initialMs: 100, maxMs: 1_000 },
      ...overrides,
    });
    return { supervisor, logs, gaveUp };
  }

  it('restarts a killed part while the others keep running, and writes each state for /health', async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), 'supervisor-')), 'supervisor.json');
    const { supervisor, logs, gaveUp } = make({ stateFile });
    const workerStarts: number[] = [];
    const db = nodePart('db', []);
    const worker = nodePart('worker', workerStarts);
    await supervisor.add(db);
    await supervisor.add(worker);
    supervisor.heal();
    const [dbPid, firstWorker] = [db.pid()!, worker.pid()!];

    process.kill(firstWorker, 'SIGKILL');
    await waitUntil(() => supervisor.snapshot().worker.state === 'running' && worker.pid() !== firstWorker, 10_000);

    expect(workerStarts).toHaveLength(2);
    expect(alive(worker.pid()!)).toBe(true);
    expect(db.pid()).toBe(dbPid);
    expect(alive(dbPid)).toBe(true);
    expect(gaveUp).toEqual([]);
    expect(logs.some((l) => /^worker exited \(SIGKILL\); restarting it now \(restart 1\)$/.test(l))).toBe(true);
    const written = JSON.parse(readFileSync(stateFile, 'utf8')) as { parts: Record<string, PartStatus> };
    expect(written.parts.worker).toMatchObject({ state: 'running', restarts: 1, lastExit: 'SIGKILL' });
    expect(written.parts.db).toMatchObject({ state: 'running', restarts: 0 });
  });

  it('backs off exponentially and gives up, naming the part, when it crash-loops', async () => {
    const { supervisor, gaveUp, logs } = make({ crashLoopExits: 3, stableAfterMs: 60_000 });
    const starts: number[] = [];
    const other = nodePart('api', []);
    await supervisor.add(other);
    supervisor.heal();
    await supervisor.add(nodePart('worker', starts, 3));

    await waitUntil(() => gaveUp.length > 0, 15_000);
    expect(gaveUp).toEqual(['worker: worker crash-looped (4 exits in a row, each within 60 s of starting; last: code 3)']);
    // Three restarts after the first start: the first at once, then waits that double (timers never fire early).
    expect(starts).toHaveLength(4);
    const waits = logs.filter((l) => l.startsWith('worker exited (code 3)')).map((l) => / restarting it (now|in [\d.]+ s)/.exec(l)?.[1]);
    expect(waits).toEqual(['now', 'in 0.1 s', 'in 0.2 s']);
    const gaps = starts.slice(2).map((t, i) => t - starts[i + 1]);
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(100 * 2 ** i - 5));
    expect(supervisor.snapshot().worker).toMatchObject({ state: 'failed', restarts: 3 });
    expect(alive(other.pid()!)).toBe(true);
  });

  it('never gives up on a part that ran stably before each kill, however many kills', async () => {
    const { supervisor, gaveUp } = make({ crashLoopExits: 2, stableAfterMs: 300 });
    const worker = nodePart('worker', []);
    await supervisor.add(worker);
    supervisor.heal();
    for (let kill = 1; kill <= 4; kill++) {
      await new Promise((r) => setTimeout(r, 400));
      const pid = worker.pid()!;
      process.kill(pid, 'SIGKILL');
      await waitUntil(() => supervisor.snapshot().worker.state === 'running' && worker.pid() !== pid, 10_000);
    }
    expect(gaveUp).toEqual([]);
    expect(supervisor.snapshot().worker.restarts).toBe(4);
  });

  it('brings a part killed from outside back at once, however soon after its start: a kill is not a crash', async () => {
    const { supervisor, gaveUp, logs } = make({ crashLoopExits: 2, stableAfterMs: 60_000 });
    const worker = nodePart('worker', []);
    await supervisor.add(worker);
    supervisor.heal();
    for (let kill = 1; kill <= 4; kill++) {
      const pid = worker.pid()!;
      process.kill(pid, kill % 2 ? 'SIGKILL' : 'SIGTERM');
      await waitUntil(() => supervisor.snapshot().worker.state === 'running' && worker.pid() !== pid, 10_000);
    }
    expect(gaveUp).toEqual([]);
    const waits = logs.filter((l) => l.startsWith('worker exited')).map((l) => / restarting it (now|in [\d.]+ s)/.exec(l)?.[1]);
    expect(waits).toEqual(['now', 'now', 'now', 'now']);
  });

  it('treats a death before the platform is up as fatal: there is nothing running to keep', async () => {
    const { supervisor, gaveUp } = make();
    const starts: number[] = [];
    await supervisor.add(nodePart('temporal', starts, 1));
    await waitUntil(() => gaveUp.length > 0, 5_000);
    expect(gaveUp).toEqual(['temporal: temporal exited unexpectedly (code 1)']);
    expect(starts).toHaveLength(1);
  });

  it('stops every part on stopAll and restarts none of them', async () => {
    const { supervisor, logs } = make();
    const parts = [nodePart('db', []), nodePart('worker', []), nodePart('api', [])];
    for (const p of parts) await supervisor.add(p);
    supervisor.heal();
    await supervisor.stopAll();
    for (const p of parts) expect(alive(p.pid()!)).toBe(false);
    await new Promise((r) => setTimeout(r, 300));
    expect(logs).toEqual([]);
    expect(Object.values(supervisor.snapshot()).map((s) => s.state)).toEqual(['stopped', 'stopped', 'stopped']);
  });

  it('stops a process that is still starting when everything stops', async () => {
    const { supervisor } = make();
    const script = 'setInterval(() => {}, 1002)';
    // Never ready: its start is still waiting when stopAll runs.
    const slow = supervisedProcess('worker', () => ({ cmd: process.execPath, args: ['-e', script], env: process.env }), { readyLine: /^never$/ });
    void supervisor.add(slow).catch(() => {});
    await waitUntil(() => pidsOf(script).length === 1, 5_000);
    await supervisor.stopAll();
    expect(pidsOf(script)).toEqual([]);
  });

  it('counts a restarted process as running only once it prints its ready line', async () => {
    const { supervisor, logs } = make();
    // Says it is ready 600 ms after it starts, as a worker does once it polls.
    const script = 'setTimeout(() => console.log("worker ready on task queue q"), 600); setInterval(() => {}, 1000)';
    const spec = supervisedProcess('worker', () => ({ cmd: process.execPath, args: ['-e', script], env: process.env }), {
      readyLine: /^worker ready on task queue/,
    });
    const started = Date.now();
    await supervisor.add(spec);
    expect(Date.now() - started).toBeGreaterThanOrEqual(590);
    supervisor.heal();
    const [pid] = pidsOf(script);
    process.kill(pid, 'SIGKILL');
    await waitUntil(() => logs.some((l) => l.startsWith('worker is running again')), 10_000);
    const seconds = Number(/again, ([\d.]+) s after/.exec(logs.find((l) => l.startsWith('worker is running again'))!)![1]);
    // Restarted at once, then 600 ms until the line: "running" must not be claimed at spawn.
    expect(seconds).toBeGreaterThanOrEqual(0.59);
  });

  it('fails a start whose process exits or stays silent, with its output in the error', async () => {
    const lines: string[] = [];
    const dies = supervisedProcess('db', () => ({ cmd: process.execPath, args: ['-e', 'console.log("no space left"); process.exit(4)'], env: process.env }), {
      readyLine: /^pglite ready/,
      onLine: (l) => lines.push(l),
      context: () => lines.join('\n'),
    });
    await expect(dies.start()).rejects.toThrow(/^db exited while starting \(code 4\)\nno space left$/);
    const silent = supervisedProcess('api', () => ({ cmd: process.execPath, args: ['-e', 'setInterval(() => {}, 1001)'], env: process.env }), {
      readyCheck: () => new Promise(() => {}),
      readyTimeoutMs: 500,
    });
    await expect(silent.start()).rejects.toThrow('api was not ready within 0.5 s');
    // The silent process was stopped, not left running.
    expect(pidsOf('setInterval(() => {}, 1001)')).toEqual([]);
  });
});
