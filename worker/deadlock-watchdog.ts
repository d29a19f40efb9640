/**
 * The bound on a workflow task that never yields, kept without a thread per call. The Temporal SDK
 * gives each call into a workflow's sandbox a timeout (`isolateExecutionTimeout`, 5 s), and Node
 * runs every `vm` call with a timeout by creating a watchdog thread and joining it afterwards: 227
 * µs of CPU a call on this project's VMs against 2.5 without, about six calls a turn, and a profile
 * of the workflow thread at fifty conversations had 5.1 of its 7.8 s busy there. Here each SDK
 * workflow thread drops that option and instead writes when its current call began into memory it
 * shares with the worker's main thread; one watchdog there reads it four times a second and ends a
 * thread whose call has run past the same bound. The SDK then fails the worker (a workflow thread
 * that exits fails every workflow on it), which exits, and its supervisor (`npm start`, or the
 * container's restart policy) starts a fresh one; the stuck task goes to a worker again when its
 * workflow task timeout passes. The SDK's own timeout failed that task instead and kept the
 * worker, but held the thread for the same 5 s on every attempt, so both degrade alike on a
 * workflow that loops; ours costs nothing on the calls that do not.
 *
 * Loaded by worker/workflow-threads.ts, the compiled worker's `--require` preload, in the main
 * thread and in each workflow thread. `npm run start:dev` and the tests run the sources without
 * the preload, with the SDK's own timeout.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import vm from 'node:vm';
import workerThreads from 'node:worker_threads';

/** The `workerData` key carrying a workflow thread's shared slots. */
const SLOTS_KEY = 'switchboardDeadlockWatchdog';
/** [0]: when the thread's current sandbox call began (ms since the epoch), 0 between calls; [1]: that call's bound (ms). */
type Slots = BigInt64Array;
const CHECK_EVERY_MS = 250;

const isWorkflowThreadFile = (filename: unknown) => /[\\/]workflow-worker-thread\.js$/.test(String(filename instanceof URL ? filename.pathname : filename));

/** What the watchdog reports when it ends a thread (tests read it from the worker's stderr). */
export const WATCHDOG_MESSAGE = 'a workflow task ran past the deadlock bound without yielding: ending its workflow thread, and so this worker';

/**
 * Main thread: SDK workflow threads are created with shared slots, and one watchdog ends a thread
 * whose current call has run past its bound.
 */
export function watchWorkflowThreads(report: (message: string) => void = (message) => console.error(message)): void {
  // The SDK must still create its workflow threads from that file through the module's `Worker`,
  // looked up at each call: else they would run unwatched and, without Node's timeouts, unbounded.
  const sdkThreads = readFileSync(createRequire(__filename).resolve('@temporalio/worker/lib/workflow/threaded-vm.js'), 'utf8');
  if (!/new node_worker_threads_1\.Worker\(require\.resolve\('\.\/workflow-worker-thread'\)\)/.test(sdkThreads)) {
    throw new Error('@temporalio/worker no longer creates workflow threads as worker/deadlock-watchdog.ts expects: update it');
  }
  const watched = new Map<workerThreads.Worker, Slots>();
  const Base = workerThreads.Worker;
  class WatchedWorker extends Base {
    constructor(filename: string | URL, options: workerThreads.WorkerOptions = {}) {
      if (!isWorkflowThreadFile(filename)) {
        super(filename, options);
        return;
      }
      const slots: Slots = new BigInt64Array(new SharedArrayBuffer(16));
      super(filename, { ...options, workerData: { ...(options.workerData ?? {}), [SLOTS_KEY]: slots } });
      watched.set(this, slots);
      this.once('exit', () => watched.delete(this));
    }
  }
  (workerThreads as { Worker: typeof Base }).Worker = WatchedWorker;
  setInterval(() => {
    const now = BigInt(Date.now());
    for (const [thread, slots] of watched) {
      const since = Atomics.load(slots, 0);
      const bound = Atomics.load(slots, 1);
      if (since === 0n || now - since <= bound) continue;
      watched.delete(thread);
      report(`${WATCHDOG_MESSAGE} (a call into the sandbox running for ${now - since} ms, bound ${bound} ms)`);
      void thread.terminate();
    }
  }, CHECK_EVERY_MS).unref();
}

/**
 * Workflow thread: sandbox calls run without Node's per-call watchdog, their start and bound
 * written to the slots the main thread watches. A thread not created by `watchWorkflowThreads`
 * (no slots) keeps Node's timeouts.
 */
export function boundWorkflowCalls(): void {
  const slots = (workerThreads.workerData as Record<string, unknown> | undefined)?.[SLOTS_KEY] as Slots | undefined;
  if (!(slots instanceof BigInt64Array)) return;
  const run = vm.Script.prototype.runInContext;
  vm.Script.prototype.runInContext = function runInContextWatched(this: vm.Script, context: vm.Context, options?: vm.RunningScriptOptions) {
    if (!options?.timeout) return run.call(this, context, options);
    const { timeout, ...rest } = options;
    // Calls do not nest: the SDK calls in from its message handler and workflow code cannot reach vm.
    Atomics.store(slots, 1, BigInt(timeout));
    Atomics.store(slots, 0, BigInt(Date.now()));
    try {
      return run.call(this, context, rest);
    } finally {
      Atomics.store(slots, 0, 0n);
    }
  };
}
