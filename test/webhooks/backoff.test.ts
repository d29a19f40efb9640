/** Retry timing: full-jitter backoff within its bounds, ~24 h over the default 15 attempts, and Retry-After in both forms. */
import { expect, it } from 'vitest';
import { loadConfig } from '../../core/config';
import { backoffMs, parseRetryAfter, retryDelayMs } from '../../webhooks/backoff';

const config = loadConfig({});
const s = { baseMs: config.WEBHOOK_BACKOFF_BASE_MS, capMs: config.WEBHOOK_BACKOFF_CAP_MS, retryAfterMaxMs: config.WEBHOOK_RETRY_AFTER_MAX_MS };

it('waits a uniform share of an exponential ceiling capped at 8 h, ~24 h in all on average', () => {
  expect(backoffMs(1, s, () => 0.999)).toBe(59_940);
  expect(backoffMs(3, s, () => 0.5)).toBe(120_000);
  expect(backoffMs(30, s, () => 0.999)).toBeLessThan(8 * 3600_000);
  expect(backoffMs(5, s, () => 0)).toBe(0);
  // The expected wait is half the ceiling; 15 attempts have 14 waits between them.
  let mean = 0;
  for (let n = 1; n < config.WEBHOOK_MAX_ATTEMPTS; n++) mean += backoffMs(n, s, () => 0.5);
  expect(mean / 3600_000).toBeGreaterThan(22);
  expect(mean / 3600_000).toBeLessThan(26);
});

it('reads Retry-After as seconds or an HTTP date, honours it on 429 and 503 only, and bounds it', () => {
  const now = Date.parse('2026-12-04T12:00:00Z');
  expect(parseRetryAfter('120', now)).toBe(120_000);
  expect(parseRetryAfter('Fri, 04 Dec 2026 12:00:30 GMT', now)).toBe(30_000);
  expect(parseRetryAfter('Fri, 04 Dec 2026 11:00:00 GMT', now)).toBe(0);
  expect(parseRetryAfter('soon', now)).toBeNull();
  expect(parseRetryAfter(null, now)).toBeNull();
  expect(retryDelayMs(2, { status: 503, retryAfter: '7' }, s)).toBe(7000);
  expect(retryDelayMs(2, { status: 429, retryAfter: '999999' }, s)).toBe(s.retryAfterMaxMs);
  expect(retryDelayMs(2, { status: 500, retryAfter: '7' }, s)).toBeLessThan(120_000);
});
