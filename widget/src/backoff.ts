/**
 * Reconnect delays: exponential from `baseMs`, capped at `capMs`, with "equal jitter" (half fixed,
 * half random) so a server restart does not bring every visitor back in the same millisecond
 * while a single visitor still never retries in a tight loop.
 */
export interface BackoffOptions {
  baseMs: number;
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, capMs: 15_000 };

export function reconnectDelay(attempt: number, opts: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const ceiling = Math.min(opts.capMs, opts.baseMs * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
