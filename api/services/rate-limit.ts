/**
 * Fixed-window rate limits (the widget's public routes, the authenticated API, failed credentials),
 * counted in Redis so every API replica shares one budget per key. Over the limit → 429 with
 * Retry-After. They fail open: while Redis is down or restarting a request is served uncounted
 * after at most REDIS_WAIT_MS, not refused or held — a limit protects the service and must not be
 * what takes it down (channel send rates, in channels/rate-limit.ts, fail closed: the send retries).
 */
import type { FastifyReply } from 'fastify';
import type { Redis } from 'ioredis';
import { AppError } from '../../core/errors';
import { orUncounted } from '../../core/fail-open';

export { REDIS_WAIT_MS } from '../../core/fail-open';

export interface RateLimit {
  /** Requests allowed per window. */
  max: number;
  windowSeconds: number;
}

/** Counts one hit in the key's window; returns the count so far and the seconds left in the window. */
export function countHit(redis: Redis, key: string, windowSeconds: number): Promise<{ count: number; ttl: number }> {
  const redisKey = `ratelimit:${key}`;
  // EXPIRE NX only arms the window on its first hit; the pipeline makes count and expiry one round trip.
  const counted = redis
    .multi()
    .incr(redisKey)
    .expire(redisKey, windowSeconds, 'NX')
    .ttl(redisKey)
    .exec()
    .then((results) => ({ count: Number(results?.[0]?.[1] ?? 0), ttl: Number(results?.[2]?.[1] ?? windowSeconds) }));
  return orUncounted(counted, { count: 0, ttl: windowSeconds });
}

/** The hits counted so far in the key's window, without counting one. */
export function peekHits(redis: Redis, key: string): Promise<{ count: number; ttl: number }> {
  const redisKey = `ratelimit:${key}`;
  const seen = redis
    .multi()
    .get(redisKey)
    .ttl(redisKey)
    .exec()
    .then((results) => ({ count: Number(results?.[0]?.[1] ?? 0), ttl: Number(results?.[1]?.[1] ?? 0) }));
  return orUncounted(seen, { count: 0, ttl: 0 });
}

export async function enforceRateLimit(redis: Redis, key: string, limit: RateLimit, reply: FastifyReply): Promise<void> {
  const { count, ttl } = await countHit(redis, key, limit.windowSeconds);
  reply.header('x-ratelimit-limit', String(limit.max));
  reply.header('x-ratelimit-remaining', String(Math.max(0, limit.max - count)));
  if (count > limit.max) {
    reply.header('retry-after', String(Math.max(1, ttl)));
    throw new AppError('rate_limited', `too many requests: try again in ${Math.max(1, ttl)} s`);
  }
}
