/**
 * The quota counters on a real Redis: the messages-per-minute token bucket (burst, refill by the
 * server's clock, Retry-After), the period counters (seeded from PostgreSQL when absent, `reserve`
 * granting what fits, every change marked for the worker's flush), and the fail-open policy shared
 * with the API's request limits (test/resilience/rate-limit-outage.test.ts).
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { REDIS_WAIT_MS } from '../../core/fail-open';
import { periodEnd, periodKey, quotaLevel } from '../../core/quotas';
import { addToPeriod, counterKey, DIRTY_SET, parseCounterKey, takeTokens } from '../../quotas/buckets';
import { freePort } from '../support/ports';
import { sharedServers } from '../support/shared-servers';

const redis = new Redis(sharedServers().redisUrl, { maxRetriesPerRequest: 3 });
const clients: Redis[] = [redis];
afterAll(() => clients.forEach((c) => c.disconnect()));

describe('token bucket (messages per minute)', () => {
  it('allows a minute’s burst, then refuses with the wait until the next token', async () => {
    const key = `quota:bucket:test-${randomUUID()}`;
    for (let i = 0; i < 5; i++) expect((await takeTokens(redis, key, 5)).allowed).toBe(true);
    const refused = await takeTokens(redis, key, 5);
    expect(refused.allowed).toBe(false);
    // 5 a minute: a token every 12 s; nearly all of it is still to wait.
    expect(refused.waitMs).toBeGreaterThan(10_000);
    expect(refused.waitMs).toBeLessThanOrEqual(12_000);
    // Looking (cost 0) changes nothing.
    expect((await takeTokens(redis, key, 5, 0)).tokens).toBeLessThan(1);
    expect(await redis.pttl(key)).toBeGreaterThan(0);
  });

  it('refills continuously: a bucket emptied a refill ago has one token again', async () => {
    const key = `quota:bucket:test-${randomUUID()}`;
    // 60 a minute: one token a second, taken all at once.
    await Promise.all(Array.from({ length: 60 }, () => takeTokens(redis, key, 60)));
    const refused = await takeTokens(redis, key, 60);
    expect(refused.allowed).toBe(false);
    await new Promise((r) => setTimeout(r, refused.waitMs + 50));
    expect((await takeTokens(redis, key, 60)).allowed).toBe(true);
    expect((await takeTokens(redis, key, 60)).allowed).toBe(false);
  });

  it('is one bucket for every client: a second connection sees what the first took', async () => {
    const other = new Redis(sharedServers().redisUrl, { maxRetriesPerRequest: 3 });
    clients.push(other);
    const key = `quota:bucket:test-${randomUUID()}`;
    await Promise.all([1, 2, 3].map(() => takeTokens(redis, key, 3)));
    expect((await takeTokens(other, key, 3)).allowed).toBe(false);
  });
});

const opts = { ttlSeconds: 60, seed: async () => 0 };

describe('period counters (LLM tokens per month, campaign sends per day)', () => {
  it('seeds an absent counter from the kept usage once, then counts in Redis', async () => {
    const key = counterKey(randomUUID(), 'llm_tokens_per_month', periodKey('llm_tokens_per_month'));
    let seeds = 0;
    const seed = async () => (seeds++, 700);
    expect(await addToPeriod(redis, key, { amount: 50, limit: 0, mode: 'add', ttlSeconds: 60, seed })).toEqual({ granted: 50, used: 750, counted: true });
    expect(await addToPeriod(redis, key, { amount: 25, limit: 0, mode: 'add', ttlSeconds: 60, seed })).toEqual({ granted: 25, used: 775, counted: true });
    expect(seeds).toBe(1);
    expect(await redis.sismember(DIRTY_SET, key)).toBe(1);
    expect(parseCounterKey(key)).toMatchObject({ quota: 'llm_tokens_per_month' });
  });

  it('reserve grants what fits under the limit, then nothing; a refund gives it back', async () => {
    const key = counterKey(randomUUID(), 'campaign_sends_per_day', periodKey('campaign_sends_per_day'));
    expect((await addToPeriod(redis, key, { ...opts, amount: 60, limit: 100, mode: 'reserve' })).granted).toBe(60);
    expect((await addToPeriod(redis, key, { ...opts, amount: 60, limit: 100, mode: 'reserve' })).granted).toBe(40);
    expect((await addToPeriod(redis, key, { ...opts, amount: 60, limit: 100, mode: 'reserve' })).granted).toBe(0);
    expect((await addToPeriod(redis, key, { ...opts, amount: -10, limit: 0, mode: 'add' })).used).toBe(90);
    expect((await addToPeriod(redis, key, { ...opts, amount: 60, limit: 100, mode: 'reserve' })).granted).toBe(10);
  });

  it('reservations racing from many clients never pass the limit together', async () => {
    const key = counterKey(randomUUID(), 'campaign_sends_per_day', periodKey('campaign_sends_per_day'));
    const granted = await Promise.all(Array.from({ length: 40 }, () => addToPeriod(redis, key, { ...opts, amount: 7, limit: 100, mode: 'reserve' })));
    expect(granted.reduce((sum, g) => sum + g.granted, 0)).toBe(100);
  });

  it('keys periods by UTC day and month, resetting at UTC midnight and the first of the month', () => {
    const at = new Date('2026-12-31T23:30:00Z');
    expect(periodKey('campaign_sends_per_day', at)).toBe('2026-12-31');
    expect(periodKey('llm_tokens_per_month', at)).toBe('2026-12');
    expect(periodEnd('campaign_sends_per_day', at)?.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(periodEnd('llm_tokens_per_month', at)?.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect([quotaLevel(79, 100), quotaLevel(80, 100), quotaLevel(100, 100), quotaLevel(5, 0)]).toEqual(['ok', 'warning', 'exceeded', 'ok']);
  });
});

describe('with Redis down', () => {
  it('allows at once, uncounted, like the API’s request limits (fail open)', async () => {
    const down = new Redis(`redis://127.0.0.1:${await freePort()}`, { maxRetriesPerRequest: 3 });
    down.on('error', () => {});
    clients.push(down);
    const started = Date.now();
    expect(await takeTokens(down, 'quota:bucket:down', 1)).toMatchObject({ allowed: true });
    expect(await addToPeriod(down, 'quota:count:down', { ...opts, amount: 5, limit: 1, mode: 'reserve' })).toEqual({ granted: 5, used: 0, counted: false });
    expect(Date.now() - started).toBeLessThan(2 * REDIS_WAIT_MS + 500);
  });
});
