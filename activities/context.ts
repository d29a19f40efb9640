/**
 * Temporal activity context when running inside an activity, `undefined` when called directly
 * (API previews, benchmarks): heartbeats and cancellation then simply do not apply.
 */
import { Context } from '@temporalio/activity';

export function activityContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

export const attemptNumber = () => activityContext()?.info.attempt ?? 1;
/** Local activities have no heartbeat of their own (their workflow task's keeps them alive). */
export const heartbeat = (details?: unknown) => {
  const context = activityContext();
  if (context && !context.info.isLocal) context.heartbeat(details);
};
export const cancellationSignal = () => activityContext()?.cancellationSignal;

/**
 * Heartbeats `details()` on a timer until stopped: several times per heartbeat timeout (the SDK
 * throttles what it sends), at most every 5 s.
 */
export function keepAlive<T extends object>(details: () => T): () => void {
  const timeoutMs = activityContext()?.info.heartbeatTimeoutMs;
  const timer = setInterval(() => heartbeat({ ...details() }), Math.min(5_000, timeoutMs ? timeoutMs / 4 : 5_000));
  return () => clearInterval(timer);
}

