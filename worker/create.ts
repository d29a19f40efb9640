/**
 * Builds the Temporal worker the same way for production, tests and benchmarks, so what the
 * tests exercise is what runs.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkerOptions as SdkWorkerOptions, type WorkflowBundle } from '@temporalio/worker';
import type { SwitchboardActivities } from '../activities/types';
import { temporalWorkerTracing, WORKFLOW_TRACING_MODULE } from '../telemetry/temporal';
import type { Telemetry } from '../telemetry/tracing';
import { workflowTaskSlots, type WorkflowSlotCounts } from './workflow-slots';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/**
 * The whole of the workflow code, evaluated once per worker thread and shared by every workflow
 * run (the SDK's `preloadModules`) rather than once per new run: each new conversation, call or run
 * evaluated every module again (`workflows/index.ts` imports every workflow kind), 7–9 ms of the
 * workflow thread per new run in a CPU profile, after the core/ modules with zod's schemas were
 * already shared. The SDK deep-freezes what modules export, so a module that wrote to its own
 * exports fails loudly (mustache's template cache did: templates render on a writer of their own,
 * core/mustache-writer.ts). State kept in a module's closure is shared without a sound, so workflow
 * code keeps none that can differ between runs: the only module-level state is caches of pure
 * compilations (RE2 patterns, filtrex expressions, parsed templates, activity proxies), each
 * bounded, and constant tables. test/workflows/preload.test.ts checks that.
 */
export const PRELOADED_MODULES = [WORKFLOWS_PATH];

const bundles = new Map<boolean, Promise<WorkflowBundle>>();

/**
 * Bundles workflow code once per process (webpack takes seconds); with `tracing`, the OpenTelemetry
 * workflow interceptors are bundled in (a bundle without them records no workflow spans).
 */
export function workflowBundle(tracing = false): Promise<WorkflowBundle> {
  let bundle = bundles.get(tracing);
  if (!bundle) {
    bundle = bundleWorkflowCode({
      workflowsPath: WORKFLOWS_PATH,
      logger: quietBundlerLogger,
      workflowInterceptorModules: tracing ? [WORKFLOW_TRACING_MODULE] : [],
      preloadModules: PRELOADED_MODULES,
    });
    bundles.set(tracing, bundle);
  }
  return bundle;
}

/** Where the traced variant of a bundle file lives: `dist/workflow-bundle.js` → `dist/workflow-bundle.traced.js`. */
export const tracedBundlePath = (path: string): string => path.replace(/(\.js)?$/, '.traced.js');

/** The prebuilt bundle a worker loads (the traced variant when tracing), or null when it must bundle now. */
function prebuiltBundle(path: string | undefined, tracing: boolean): string | null {
  if (!path) return null;
  if (!tracing) return path;
  return existsSync(tracedBundlePath(path)) ? tracedBundlePath(path) : null;
}

const quietBundlerLogger = {
  log() {},
  trace() {},
  debug() {},
  info() {},
  warn(message: string, meta?: unknown) {
    console.warn(message, meta ?? '');
  },
  error(message: string, meta?: unknown) {
    console.error(message, meta ?? '');
  },
};

export interface WorkerOptions {
  address: string;
  namespace: string;
  taskQueue: string;
  activities: SwitchboardActivities;
  maxConcurrentActivityTaskExecutions?: number;
  /** Workflow task slots, all and cold (worker/workflow-slots.ts); unset: the SDK's 40 of either kind. */
  workflowTaskSlots?: WorkflowSlotCounts;
  /** Workflow task polls kept open (workflowTaskPolls below); unset: the SDK's ten. */
  workflowTaskPolls?: number;
  /** A bundle `worker/bundle.ts` wrote from the same sources (with telemetry, its traced variant); unset or missing → bundle now. */
  workflowBundlePath?: string;
  /** How long in-flight activities may finish after shutdown is requested (default: cancel at once). */
  shutdownGraceMs?: number;
  /**
   * How long a workflow task waits on this worker's sticky queue before any worker may take it.
   * The SDK's 10 s is how long a conversation stalls after its worker was killed.
   */
  stickyTimeoutMs?: number;
  /** Tracing (telemetry/tracing.ts): activity and workflow spans, and a bundle with the workflow interceptors. */
  telemetry?: Telemetry | null;
}

/** The SDK takes either counts or a tuner; a tuner names every kind of slot. */
function slotOptions(opts: WorkerOptions): Pick<SdkWorkerOptions, 'maxConcurrentActivityTaskExecutions' | 'tuner'> {
  if (!opts.workflowTaskSlots) return { maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivityTaskExecutions };
  const fixed = (numSlots: number) => ({ type: 'fixed-size' as const, numSlots });
  return {
    tuner: {
      workflowTaskSlotSupplier: workflowTaskSlots(opts.workflowTaskSlots),
      activityTaskSlotSupplier: fixed(opts.maxConcurrentActivityTaskExecutions ?? SDK_DEFAULT_SLOTS),
      localActivityTaskSlotSupplier: fixed(SDK_DEFAULT_SLOTS),
      nexusTaskSlotSupplier: fixed(SDK_DEFAULT_SLOTS),
    },
  };
}

/** Polls on the task queue itself, as the SDK's defaults have them (a fifth of ten); the rest wait on the sticky queue. */
const TASK_QUEUE_POLLS = 2;

/**
 * `polls` workflow task polls, TASK_QUEUE_POLLS of them on the task queue. A turn goes to the
 * worker's sticky queue; a task Temporal finds no waiting poll for is written to its backlog and
 * read back. Only task-queue polls bring cold tasks (worker/workflow-slots.ts), so more polls do
 * not let more replays run at once. The SDK takes a ratio and truncates the product: half a poll
 * more keeps float rounding from making it one.
 */
export function workflowTaskPolls(polls: number): Pick<SdkWorkerOptions, 'workflowTaskPollerBehavior' | 'nonStickyToStickyPollRatio'> {
  return { workflowTaskPollerBehavior: { type: 'simple-maximum', maximum: polls }, nonStickyToStickyPollRatio: (TASK_QUEUE_POLLS + 0.5) / polls };
}

/** What the SDK gives activities, local activities and Nexus tasks when no tuner is set. */
const SDK_DEFAULT_SLOTS = 100;

export async function createWorker(opts: WorkerOptions): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = await NativeConnection.connect({ address: opts.address });
  const tracing = opts.telemetry ? temporalWorkerTracing(opts.telemetry) : {};
  const codePath = prebuiltBundle(opts.workflowBundlePath, Boolean(opts.telemetry));
  const worker = await Worker.create({
    connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    workflowBundle: codePath ? { codePath } : await workflowBundle(Boolean(opts.telemetry)),
    ...tracing,
    activities: opts.activities,
    ...slotOptions(opts),
    ...(opts.workflowTaskPolls !== undefined ? workflowTaskPolls(opts.workflowTaskPolls) : {}),
    ...(opts.stickyTimeoutMs !== undefined ? { stickyQueueScheduleToStartTimeout: opts.stickyTimeoutMs } : {}),
    ...(opts.shutdownGraceMs !== undefined ? { shutdownGraceTime: opts.shutdownGraceMs, shutdownForceTime: opts.shutdownGraceMs + 10_000 } : {}),
  });
  return { worker, connection };
}
