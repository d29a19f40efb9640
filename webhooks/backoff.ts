/** When to try a failed delivery again: full-jitter exponential backoff, or the receiver's Retry-After. */

export interface BackoffSettings {
  baseMs: number;
  capMs: number;
  retryAfterMaxMs: number;
}

/** "Full jitter": a uniform wait in [0, min(cap, base·2^(attempt-1))], so retrying receivers are not hit in waves. */
export function backoffMs(attempt: number, s: Pick<BackoffSettings, 'baseMs' | 'capMs'>, random = Math.random): number {
  const ceiling = Math.min(s.capMs, s.baseMs * 2 ** Math.min(attempt - 1, 40));
  return Math.floor(random() * ceiling);
}

/** `Retry-After` as milliseconds from `now`: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** The wait before the next attempt: what a 429/503 asked for (bounded), otherwise the backoff. */
export function retryDelayMs(attempt: number, response: { status: number; retryAfter: string | null } | null, s: BackoffSettings): number {
  if (response && (response.status === 429 || response.status === 503)) {
    const asked = parseRetryAfter(response.retryAfter);
    if (asked !== null) return Math.min(asked, s.retryAfterMaxMs);
  }
  return backoffMs(attempt, s);
}
