/**
 * The API's request limits fail open: with Redis down a request is served uncounted within
 * REDIS_WAIT_MS instead of failing or waiting for Redis; with Redis up the limit holds.
 */
import type { FastifyReply } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { enforceRateLimit, REDIS_WAIT_MS } from '../../api/services/rate-limit';
import { freePort } from '../support/ports';
import { sharedServers } from '../support/shared-servers';

const reply = () => {
  const headers: Record<string, string> = {};
  return { headers, header: (name: string, value: string) => (headers[name] = value) } as unknown as FastifyReply & { headers: Record<string, string> };
};
const clients: Redis[] = [];
afterAll(() => clients.forEach((c) => c.disconnect()));

describe('API rate limits', () => {
  it('serve a request uncounted, at once, while Redis is down', async () => {
    // As api/main.ts makes its client; nothing listens on the port.
    const down = new Redis(`redis://127.0.0.1:${await freePort()}`, { maxRetriesPerRequest: 3, lazyConnect: false });
    down.on('error', () => {});
    clients.push(down);
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      await expect(enforceRateLimit(down, `outage-${Date.now()}`, { max: 1, windowSeconds: 60 }, reply())).resolves.toBeUndefined();
      expect(Date.now() - started).toBeLessThan(REDIS_WAIT_MS + 500);
    }
  });

  it('still refuse a caller over the limit while Redis is up', async () => {
    const up = new Redis(sharedServers().redisUrl, { maxRetriesPerRequest: 3 });
    clients.push(up);
    const key = `limit-${Date.now()}`;
    await enforceRateLimit(up, key, { max: 2, windowSeconds: 60 }, reply());
    await enforceRateLimit(up, key, { max: 2, windowSeconds: 60 }, reply());
    const over = reply();
    await expect(enforceRateLimit(up, key, { max: 2, windowSeconds: 60 }, over)).rejects.toMatchObject({ code: 'rate_limited' });
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
  });
});
