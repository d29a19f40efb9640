/** The per-channel send rate is one schedule in Redis, shared by every worker (connection) that sends. */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { reserveSendSlot, waitForSendSlot } from '../../activities/channels/rate-limit';
import { sharedServers } from '../support/shared-servers';

const workers = [new Redis(sharedServers().redisUrl), new Redis(sharedServers().redisUrl)];
afterAll(async () => Promise.all(workers.map((r) => r.quit())));

describe('channel send rate', () => {
  it('spaces sends 1/rate apart across workers', async () => {
    const channel = randomUUID();
    const waits = [];
    for (let i = 0; i < 6; i++) waits.push(await reserveSendSlot(workers[i % 2], channel, 10));
    // Slots 100 ms apart whichever worker asked; reservations take a few ms, so each wait is a little less.
    waits.forEach((w, i) => expect(w).toBeGreaterThan(i * 100 - 40));
    waits.forEach((w, i) => expect(w).toBeLessThanOrEqual(i * 100));
    // Another channel has its own schedule.
    expect(await reserveSendSlot(workers[0], randomUUID(), 10)).toBe(0);
  });

  it('delivers at the configured rate when two workers send at once', async () => {
    const channel = randomUUID();
    const started = Date.now();
    const sentAt: number[] = [];
    await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        await waitForSendSlot(workers[i % 2], channel, 20);
        sentAt.push(Date.now() - started);
      }),
    );
    sentAt.sort((a, b) => a - b);
    // 10 sends at 20/s: the last goes ~450 ms after the first, never faster.
    expect(sentAt.at(-1)! - sentAt[0]).toBeGreaterThanOrEqual(400);
    expect(sentAt.at(-1)!).toBeLessThan(1500);
  });

  it('turns a slot far ahead into a retry after that delay instead of sleeping in the activity', async () => {
    const channel = randomUUID();
    await reserveSendSlot(workers[0], channel, 0.05); // the next slot is 20 s away
    const err = await waitForSendSlot(workers[1], channel, 0.05).catch((e) => e);
    expect(err.type).toBe('RateLimited');
    expect(Number(err.nextRetryDelay)).toBeGreaterThan(15_000);
  });
});
