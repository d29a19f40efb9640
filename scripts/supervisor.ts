/**
 * Keeps the parts `npm start` runs alive. A part that dies after the platform is up is started again
 * at once while the others keep running, and with an exponential backoff when it keeps dying soon
 * after its restarts; a part that dies again and again soon after starting is crash-looping, and
 * only then does the supervisor give up. Each change is written to a state file that `GET /health`
 * shows (api/routes/health.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';

export interface RunningPart {
  /** Settles when the part stops, with how it stopped (`code 1`, `SIGKILL`). */
  exited: Promise<string>;
  stop(): Promise<void>;
}

export interface PartSpec {
  name: string;
  /** Starts the part and resolves once it is ready to serve. */
  start(): Promise<RunningPart>;
}

export type PartState = 'starting' | 'running' | 'restarting' | 'stopped' | 'failed';

export interface PartStatus {
  state: PartState;
  restarts: number;
  /** How the part last stopped unexpectedly. */
  lastExit?: string;
  since: string;
}

export interface SupervisorOptions {
  log: (message: string) => void;
  /** Called when a part crash-loops or dies before the platform is up; the caller stops everything. */
  giveUp: (part: string, message: string) => void;
  /** Where each change of state is written as JSON (read by the API's /health). */
  stateFile?: string;
  backoff?: { initialMs: number; maxMs: number };
  /**
   * More than this many exits in a row, each sooner than `stableAfterMs` after the part was up
   * (or while it started), is a crash loop. Kills from outside do not count (KILLED_FROM_OUTSIDE).
   */
  crashLoopExits?: number;
  /** A part up this long was stable: its backoff and its crash-loop count start again. */
  stableAfterMs?: number;
}

interface Part {
  spec: PartSpec;
  running?: RunningPart;
  status: PartStatus;
  /** Exits in a row, each before the part had been up `stableAfterMs`. */
  consecutive: number;
  upSince: number;
  diedAt: number;
}

/** How a part that was up stops when something else ends it; a start that fails reads `start failed: …`. */
const KILLED_FROM_OUTSIDE = new Set(['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGHUP']);

export class Supervisor {
  private readonly parts = new Map<string, Part>();
  private healing = false;
  private stopping = false;
  private readonly backoff;
  private readonly crashLoopExits;
  private readonly stableAfterMs;

  constructor(private readonly options: SupervisorOptions) {
    this.backoff = options.backoff ?? { initialMs: 1_000, maxMs: 30_000 };
    this.crashLoopExits = options.crashLoopExits ?? 5;
    this.stableAfterMs = options.stableAfterMs ?? 10_000;
  }

  /** Starts a part and watches it. Until `heal()` a death is fatal: nothing is up to keep running. */
  async add(spec: PartSpec): Promise<void> {
    if (this.parts.has(spec.name)) throw new Error(`part ${spec.name} is already supervised`);
    const part: Part = { spec, status: this.status('starting', 0), consecutive: 0, upSince: Date.now(), diedAt: 0 };
    this.parts.set(spec.name, part);
    this.write();
    await this.launch(part);
  }

  /** From now on a part that dies is restarted. */
  heal(): void {
    this.healing = true;
  }

  snapshot(): Record<string, PartStatus> {
    return Object.fromEntries([...this.parts].map(([name, p]) => [name, { ...p.status }]));
  }

  /** Stops every part, the last added first (the database after its clients). */
  async stopAll(): Promise<void> {
    this.stopping = true;
    for (const part of [...this.parts.values()].reverse()) {
      await part.running?.stop();
      part.status = this.status('stopped', part.status.restarts, part.status.lastExit);
    }
    // A part being restarted has a process that is not `running` yet: stop it too.
    await Promise.all([...liveProcesses].map((p) => p.stop()));
    this.write();
  }

  private async launch(part: Part): Promise<void> {
    const running = await part.spec.start();
    if (this.stopping) return void (await running.stop());
    part.running = running;
    part.upSince = Date.now();
    part.status = this.status('running', part.status.restarts, part.status.lastExit);
    this.write();
    void running.exited.then((how) => {
      if (part.running === running) void this.died(part, how);
    });
  }

  private async died(part: Part, how: string): Promise<void> {
    part.running = undefined;
    if (this.stopping) return;
    const name = part.spec.name;
    if (!this.healing) return this.fail(part, how, `${name} exited unexpectedly (${how})`);
    const now = Date.now();
    part.diedAt = now;
    // The first restart is at once: every second of waiting is a second of outage (the chaos run's
    // kills each paid a fixed 1 s here). A part that was up and then killed from outside (an
    // operator, the OOM killer) did not crash: it comes back at once, however soon after its start
    // and however often (backing off stretched a database killed twice in a row to 16 s).
    let delay = 0;
    if (!KILLED_FROM_OUTSIDE.has(how)) {
      // A part that served a while and then exited is not looping either.
      part.consecutive = now - part.upSince >= this.stableAfterMs ? 1 : part.consecutive + 1;
      if (part.consecutive > this.crashLoopExits) {
        const seconds = Math.round(this.stableAfterMs / 1000);
        return this.fail(part, how, `${name} crash-looped (${part.consecutive} exits in a row, each within ${seconds} s of starting; last: ${how})`);
      }
      // Exiting again soon after that restart is what backs off: a cause outside the part (a port
      // still taken, a dependency still starting) gets time to clear.
      if (part.consecutive > 1) delay = Math.min(this.backoff.initialMs * 2 ** (part.consecutive - 2), this.backoff.maxMs);
    }
    part.status = this.status('restarting', part.status.restarts + 1, how);
    this.write();
    const when = delay === 0 ? 'now' : `in ${(delay / 1000).toFixed(1)} s`;
    this.options.log(`${name} exited (${how}); restarting it ${when} (restart ${part.status.restarts})`);
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    if (this.stopping) return;
    try {
      await this.launch(part);
      this.options.log(`${name} is running again, ${((Date.now() - part.diedAt) / 1000).toFixed(1)} s after it exited`);
    } catch (err) {
      // A failed start counts as another exit: the crash-loop limit bounds the retries.
      part.upSince = Date.now();
      await this.died(part, `start failed: ${(err as Error).message.split('\n')[0]}`);
    }
  }

  private fail(part: Part, how: string, message: string): void {
    part.status = this.status('failed', part.status.restarts, how);
    this.write();
    this.options.giveUp(part.spec.name, message);
  }

  private status(state: PartState, restarts: number, lastExit?: string): PartStatus {
    return { state, restarts, ...(lastExit ? { lastExit } : {}), since: new Date().toISOString() };
  }

  private write(): void {
    const file = this.options.stateFile;
    if (!file) return;
    // Written whole and renamed, so a reader never sees half a file.
    writeFileSync(`${file}.tmp`, JSON.stringify({ pid: process.pid, parts: this.snapshot() }));
    renameSync(`${file}.tmp`, file);
  }
}

export interface ProcessPart extends RunningPart {
  proc: ChildProcess;
}

/** Every process spawnProcess started that has not exited. */
const liveProcesses = new Set<ProcessPart>();

/**
 * Spawns a command in its own process group (stopping it also stops whatever it started), hands
 * each output line to `onLine`, and stops it with SIGTERM, then SIGKILL after `killAfterMs`.
 */
export function spawnProcess(
  cmd: string,
  args: string[],
  options: { cwd?: string; env: NodeJS.ProcessEnv; onLine?: (line: string) => void; killAfterMs?: number },
): ProcessPart {
  const proc = spawn(cmd, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  for (const stream of [proc.stdout!, proc.stderr!]) {
    let partial = '';
    stream.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop()!;
      for (const l of lines) options.onLine?.(l);
    });
  }
  function signalGroup(s: NodeJS.Signals) {
    try {
      process.kill(-proc.pid!, s);
    } catch {}
  }
  let done = false;
  const exited = new Promise<string>((resolve) => {
    proc.once('exit', (code, signal) => {
      done = true;
      // A launcher (tsx, npm) killed alone leaves its child running, holding ports a restart needs.
      signalGroup('SIGKILL');
      resolve(signal ?? `code ${code}`);
    });
    proc.once('error', (err) => {
      done = true;
      resolve(`could not start: ${err.message}`);
    });
  });
  const stop = async () => {
    if (!done) {
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), options.killAfterMs ?? 15_000);
      await exited;
      clearTimeout(timer);
    }
    // The group may outlive its leader (e.g. a grandchild that ignored SIGTERM).
    signalGroup('SIGKILL');
  };
  const part = { proc, exited, stop };
  liveProcesses.add(part);
  void exited.then(() => liveProcesses.delete(part));
  return part;
}

export type ProcessCommand = () => { cmd: string; args: string[]; env: NodeJS.ProcessEnv };

/** When a started process serves (at once, when it prints `readyLine`, handed to `onReady`, or when `readyCheck` resolves), and how long its stop may take. */
export interface ProcessOptions {
  readyLine?: RegExp;
  onReady?: (match: RegExpExecArray) => void;
  readyCheck?: () => Promise<void>;
  readyTimeoutMs?: number;
  /** How long a stop waits after SIGTERM before SIGKILL. */
  killAfterMs?: number;
}

/**
 * A part that is a child process. Its start resolves once the process serves; a process that dies
 * or is not ready in time fails the start (and is stopped), with `context()` (its last output) in
 * the error.
 */
export function supervisedProcess(
  name: string,
  command: ProcessCommand,
  options: ProcessOptions & { cwd?: string; onLine?: (line: string) => void; context?: () => string },
): PartSpec {
  const timeoutMs = options.readyTimeoutMs ?? 180_000;
  return {
    name,
    async start() {
      let matched: (m: RegExpExecArray) => void = () => {};
      const readyMatch = new Promise<RegExpExecArray>((r) => (matched = r));
      const { cmd, args, env } = command();
      const part = spawnProcess(cmd, args, {
        cwd: options.cwd,
        env,
        killAfterMs: options.killAfterMs,
        onLine: (l) => {
          options.onLine?.(l);
          const m = options.readyLine?.exec(l);
          if (m) matched(m);
        },
      });
      const context = () => (options.context ? `\n${options.context()}` : '');
      const died = part.exited.then((how) => Promise.reject(new Error(`${name} exited while starting (${how})${context()}`)));
      // Only a death while starting is this promise's news; later ones are the supervisor's.
      died.catch(() => {});
      let timer: NodeJS.Timeout | undefined;
      const tooSlow = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${name} was not ready within ${timeoutMs / 1000} s${context()}`)), timeoutMs);
      });
      try {
        if (options.readyLine) {
          const match = await Promise.race([readyMatch, died, tooSlow]);
          options.onReady?.(match);
        }
        if (options.readyCheck) await Promise.race([options.readyCheck(), died, tooSlow]);
      } catch (err) {
        await part.stop();
        throw err;
      } finally {
        clearTimeout(timer);
      }
      return part;
    },
  };
}
