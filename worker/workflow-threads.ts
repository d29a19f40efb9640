/**
 * Preloaded (`node --require dist/workflow-threads.cjs`) into the compiled worker, where it runs in
 * each of the Temporal SDK's workflow threads before the SDK does: those threads then run without
 * the SDK's promise hook. The hook serves one query, the workflow's stack trace (Temporal UI's
 * "Stack Trace" tab), and pays for it on every promise a workflow creates, answered or not: it
 * captures a stack, maps each frame through the bundle's source map and keeps it until the promise
 * settles. A turn makes about fifty; bench:turn at fifty conversations on PostgreSQL measured the
 * worker at 12.9–14.5 ms of CPU a turn with the hook and 10.1–10.4 ms without, and the hook was 39 %
 * of the workflow thread's busy time in a profile. Without it the SDK works as it does on runtimes
 * lacking `v8.promiseHooks`: that query fails with "Workflow stack traces are not enabled on this
 * worker", and nothing else changes. `WORKFLOW_STACK_TRACES=true` keeps the hook (and the query);
 * `npm run start:dev` and the tests run the sources without this preload, so they keep it too.
 * It also bounds a workflow task that never yields without a thread per sandbox call
 * (worker/deadlock-watchdog.ts).
 */
import { isMainThread } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { boundWorkflowCalls, watchWorkflowThreads } from './deadlock-watchdog';

if (isMainThread) watchWorkflowThreads();
else boundWorkflowCalls();

if (!isMainThread && process.env.WORKFLOW_STACK_TRACES !== 'true') {
  // The SDK's own module instance in this thread: the SDK loads it from the same file afterwards.
  const { GlobalHandlers } = createRequire(__filename)('@temporalio/worker/lib/workflow/vm-shared') as {
    GlobalHandlers?: { prototype: { setPromiseHook?: () => void } };
  };
  // A changed SDK must stop the worker here rather than silently keep (or break) the hook.
  if (typeof GlobalHandlers?.prototype.setPromiseHook !== 'function') {
    throw new Error('@temporalio/worker no longer has GlobalHandlers.setPromiseHook: update worker/workflow-threads.ts (or set WORKFLOW_STACK_TRACES=true)');
  }
  GlobalHandlers.prototype.setPromiseHook = function noPromiseHook() {};
}
