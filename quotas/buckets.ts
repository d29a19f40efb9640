/**
 * The quota counters in Redis, each one atomic Lua script so every API and worker process shares
 * them: a token bucket (messages per minute: `limit` tokens, refilled continuously at limit/60 a
 * second, so a burst of a minute's worth is allowed and then one per refill), and period counters
 * (a month's LLM tokens, a day's campaign sends) keyed by their UTC period. Times come from the
 * Redis server's clock (TIME), never a process's. Like the API's request limits they fail open
 * (core/fail-open.ts): with Redis down or slow a call is allowed, uncounted, after REDIS_WAIT_MS.
 */
import type { Redis } from 'ioredis';
import { orUncounted } from '../core/fail-open';

/** Keys the worker writes to PostgreSQL (quota_usage) on its next flush. */
export const DIRTY_SET = 'quota:dirty';
export const bucketKey = (tenantId: string) => `quota:bucket:${tenantId}`;
export const counterKey = (tenantId: string, quota: string, period: string) => `quota:count:${tenantId}:${quota}:${period}`;

export function parseCounterKey(key: string): { tenantId: string; quota: string; period: string } | null {
  const m = /^quota:count:([0-9a-f-]{36}):([a-z_]+):([0-9-]+)$/.exec(key);
  return m ? { tenantId: m[1], quota: m[2], period: m[3] } : null;
}

// KEYS[1] bucket; ARGV capacity, refill per ms, cost. Returns {allowed 0|1, tokens left, ms until `cost` tokens are there}.
const TAKE_TOKENS = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local cap, rate, cost = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local s = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens, at = tonumber(s[1]), tonumber(s[2])
if tokens == nil or at == nil then tokens = cap; at = now end
tokens = math.min(cap, tokens + math.max(0, now - at) * rate)
local allowed, wait = 0, 0
if tokens >= cost then tokens = tokens - cost; allowed = 1 else wait = math.ceil((cost - tokens) / rate) end
if cost > 0 then
  redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
  redis.call('PEXPIRE', KEYS[1], math.ceil(cap / rate) + 1000)
end
return {allowed, tostring(tokens), wait}`;

// KEYS[1] counter, KEYS[2] dirty set; ARGV amount, limit (0 = none), mode (add|reserve), ttl seconds, seed ('' = none).
// An absent counter (a new period, or Redis restarted) needs its seed from PostgreSQL: {-1, 0} asks for it.
// `reserve` grants what fits under the limit (maybe 0); `add` counts the amount whatever the limit (tokens already spent).
const ADD_TO_PERIOD = `
if redis.call('EXISTS', KEYS[1]) == 0 then
  if ARGV[5] == '' then return {-1, 0} end
  redis.call('SET', KEYS[1], ARGV[5], 'EX', tonumber(ARGV[4]), 'NX')
end
local used = tonumber(redis.call('GET', KEYS[1]))
local amount, limit = tonumber(ARGV[1]), tonumber(ARGV[2])
local granted = amount
if ARGV[3] == 'reserve' and limit > 0 then granted = math.max(0, math.min(amount, limit - used)) end
if granted ~= 0 then
  used = redis.call('INCRBY', KEYS[1], granted)
  redis.call('SADD', KEYS[2], KEYS[1])
end
return {granted, used}`;

export interface BucketResult {
  allowed: boolean;
  /** Tokens left after this take (the whole capacity when uncounted). */
  tokens: number;
  /** Milliseconds until the refused cost would be there. */
  waitMs: number;
}

/** Takes `cost` tokens from a bucket of `capacity` refilled over a minute; `cost` 0 only looks. */
export function takeTokens(redis: Redis, key: string, capacity: number, cost = 1): Promise<BucketResult> {
  const taken = (redis.eval(TAKE_TOKENS, 1, key, capacity, capacity / 60_000, cost) as Promise<[number, string, number]>).then(([allowed, tokens, wait]) => ({
    allowed: allowed === 1,
    tokens: Number(tokens),
    waitMs: Number(wait),
  }));
  return orUncounted(taken, { allowed: true, tokens: capacity, waitMs: 0 });
}

export interface PeriodResult {
  granted: number;
  used: number;
  /** False when Redis did not answer: the call went through uncounted. */
  counted: boolean;
}

/**
 * Adds to (or reserves from) a period counter. `seed` loads the period's usage kept in PostgreSQL
 * and is only called when the counter is absent in Redis (a new period or a restart).
 */
export async function addToPeriod(
  redis: Redis,
  key: string,
  opts: { amount: number; limit: number; mode: 'add' | 'reserve'; ttlSeconds: number; seed: () => Promise<number> },
): Promise<PeriodResult> {
  const uncounted = { granted: opts.amount, used: 0, counted: false };
  const call = (seed: string) =>
    orUncounted(
      (redis.eval(ADD_TO_PERIOD, 2, key, DIRTY_SET, opts.amount, opts.limit, opts.mode, opts.ttlSeconds, seed) as Promise<[number, number]>).then(([granted, used]) => ({
        granted: Number(granted),
        used: Number(used),
        counted: true,
      })),
      uncounted,
    );
  // The seed's database read is outside Redis's time budget: only Redis being away is uncounted.
  const first = await call('');
  return first.granted === -1 ? call(String(await opts.seed())) : first;
}

/** The counter's value, or null when absent (or Redis is away). */
export function readCounter(redis: Redis, key: string): Promise<number | null> {
  return orUncounted(
    redis.get(key).then((v) => (v === null ? null : Number(v))),
    null,
  );
}

/** Sets the key once per window: true for the first caller (who sends the notice). */
export function firstInWindow(redis: Redis, key: string, seconds: number): Promise<boolean> {
  return orUncounted(
    redis.set(key, '1', 'EX', seconds, 'NX').then((r) => r === 'OK'),
    true,
  );
}
