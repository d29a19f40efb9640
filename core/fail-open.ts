/**
 * The platform's policy for counters in Redis (request limits, quotas): they fail open. While Redis
 * is down or restarting a call is served uncounted after at most REDIS_WAIT_MS, not refused or
 * held — a limit protects the service and must not be what takes it down.
 */

/** The longest a limit waits for Redis before the call goes through uncounted. */
export const REDIS_WAIT_MS = 300;

/** `work`'s result, or `uncounted` when it fails or is slower than REDIS_WAIT_MS. */
export async function orUncounted<T>(work: Promise<T>, uncounted: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => (timer = setTimeout(() => resolve(uncounted), REDIS_WAIT_MS)));
  return Promise.race([work.catch(() => uncounted), late]).finally(() => clearTimeout(timer));
}
