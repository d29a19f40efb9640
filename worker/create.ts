/**
 * Builds the Temporal worker the same way for production, tests and benchmarks, so what the
 * tests exercise is what runs.
 */
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import type { SwitchboardActivities } from '../activities/types';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

let bundlePromise: Promise<WorkflowBundle> | undefined;

/** Bundles workflow code once per process (webpack takes seconds). */
export function workflowBundle(): Promise<WorkflowBundle> {
  bundlePromise ??= bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietBundlerLogger });
  return bundlePromise;
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
  maxConcurrentWorkflowTaskExecutions?: number;
  /** A bundle `worker/bundle.ts` wrote from the same sources; unset → bundle now. */
  workflowBundlePath?: string;
  /** How long in-flight activities may finish after shutdown is requested (default: cancel at once). */
  shutdownGraceMs?: number;
  /**
   * How long a workflow task waits on this worker's sticky queue before any worker may take it.
   * The SDK's 10 s is how long a conversation stalls after its worker was killed.
   */
  stickyTimeoutMs?: number;
}

export async function createWorker(opts: WorkerOptions): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = await NativeConnection.connect({ address: opts.address });
  const worker = await Worker.create({
    connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    workflowBundle: opts.workflowBundlePath ? { codePath: opts.workflowBundlePath } : await workflowBundle(),
    activities: opts.activities,
    maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivityTaskExecutions,
    maxConcurrentWorkflowTaskExecutions: opts.maxConcurrentWorkflowTaskExecutions,
    ...(opts.stickyTimeoutMs !== undefined ? { stickyQueueScheduleToStartTimeout: opts.stickyTimeoutMs } : {}),
    ...(opts.shutdownGraceMs !== undefined ? { shutdownGraceTime: opts.shutdownGraceMs, shutdownForceTime: opts.shutdownGraceMs + 10_000 } : {}),
  });
  return { worker, connection };
}
