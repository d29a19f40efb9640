/**
 * What a quota check costs on the hot path, against the local Redis: the messages-per-minute token
 * bucket (one Lua script), the period counter (one Lua script), and — the alternative weighed in
 * ARCHITECTURE.md "Quotas" — the fixed-window counter the API's request limits use (a MULTI of
 * INCR/EXPIRE/TTL). Latency percentiles one call at a time, and calls per second with 64 in flight.
 * Writes bench/results/quotas.json.
 *
 *   npm run bench:quotas [-- --calls 5000]
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { countHit } from '../api/services/rate-limit';
import { loadConfig } from '../core/config';
import { addToPeriod, counterKey, DIRTY_SET, takeTokens } from '../quotas/buckets';
import { mapConcurrent, summarize, writeResult } from './stats';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '5000' } } });
const CALLS = Number(values.calls);
const out = fileURLToPath(new URL('./results/quotas.json', import.meta.url));
const redis = new Redis(loadConfig().REDIS_URL, { maxRetriesPerRequest: 3 });
const tenant = randomUUID();
const bucket = `quota:bucket:bench-${tenant}`;
const counter = counterKey(tenant, 'llm_tokens_per_month', 'bench');

const variants: Record<string, () => Promise<unknown>> = {
  tokenBucket: () => takeTokens(redis, bucket, 1e9),
  periodCounter: () => addToPeriod(redis, counter, { amount: 10, limit: 0, mode: 'add', ttlSeconds: 600, seed: async () => 0 }),
  fixedWindow: () => countHit(redis, `bench-${tenant}`, 60),
};

const results: Record<string, unknown> = {};
try {
  for (const [name, call] of Object.entries(variants)) {
    for (let i = 0; i < 200; i++) await call();
    const latencies: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      const started = performance.now();
      await call();
      latencies.push(performance.now() - started);
    }
    const started = performance.now();
    await mapConcurrent(Array.from({ length: CALLS }), 64, () => call());
    results[name] = { sequentialMs: summarize(latencies), perSecondAt64: Math.round(CALLS / ((performance.now() - started) / 1000)) };
    console.log(name, JSON.stringify(results[name]));
  }
  writeResult(out, { calls: CALLS, at: new Date().toISOString(), ...results });
} finally {
  await redis.del(bucket, counter, `ratelimit:bench-${tenant}`);
  await redis.srem(DIRTY_SET, counter);
  redis.disconnect();
}
