/**
 * Fixed-window rate limits for the widget's public routes, counted in Redis so every API replica
 * shares one budget per key. Over the limit → 429 with Retry-After.
 */
import type { FastifyReply } from 'fastify';
import type { Redis } from 'ioredis';
import { AppError } from '../../core/errors';

export interface RateLimit {
  /** Requests allowed per window. */
  max: number;
  windowSeconds: number;
}

export async function enforceRateLimit(redis: Redis, key: string, limit: RateLimit, reply: FastifyReply): Promise<void> {
  const redisKey = `ratelimit:${key}`;
  // EXPIRE NX only arms the window on its first hit; the pipeline makes count and expiry one round trip.
  const results = await redis.multi().incr(redisKey).expire(redisKey, limit.windowSeconds, 'NX').ttl(redisKey).exec();
  const count = Number(results?.[0]?.[1] ?? 0);
  const ttl = Number(results?.[2]?.[1] ?? limit.windowSeconds);
  reply.header('x-ratelimit-limit', String(limit.max));
  reply.header('x-ratelimit-remaining', String(Math.max(0, limit.max - count)));
  if (count > limit.max) {
    reply.header('retry-after', String(Math.max(1, ttl)));
    throw new AppError('rate_limited', `too many requests: try again in ${Math.max(1, ttl)} s`);
  }
}
