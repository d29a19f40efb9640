/**
 * Fixed-window rate limits (the widget's public routes, the authenticated API, failed credentials),
 * counted in Redis so every API replica shares one budget per key. Over the limit → 429 with
 * Retry-After.
 */
import type { FastifyReply } from 'fastify';
import type { Redis } from 'ioredis';
import { AppError } from '../../core/errors';

export interface RateLimit {
  /** Requests allowed per window. */
  max: number;
  windowSeconds: number;
}

/** Counts one hit in the key's window; returns the count so far and the seconds left in the window. */
export async function countHit(redis: Redis, key: string, windowSeconds: number): Promise<{ count: number; ttl: number }> {
  const redisKey = `ratelimit:${key}`;
  // EXPIRE NX only arms the window on its first hit; the pipeline makes count and expiry one round trip.
  const results = await redis.multi().incr(redisKey).expire(redisKey, windowSeconds, 'NX').ttl(redisKey).exec();
  return { count: Number(results?.[0]?.[1] ?? 0), ttl: Number(results?.[2]?.[1] ?? windowSeconds) };
}

/** The hits counted so far in the key's window, without counting one. */
export async function peekHits(redis: Redis, key: string): Promise<{ count: number; ttl: number }> {
  const redisKey = `ratelimit:${key}`;
  const results = await redis.multi().get(redisKey).ttl(redisKey).exec();
  return { count: Number(results?.[0]?.[1] ?? 0), ttl: Number(results?.[1]?.[1] ?? 0) };
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
