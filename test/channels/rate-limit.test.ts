/** The per-channel send rate is one schedule in Redis, shared by every worker (connection) that sends. */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_INLINE_WAIT_MS, rateKey, reserveSendSlot, waitForSendSlot } from '../../channels/rate-limit';
import { sharedServers } from '../support/shared-servers';

const workers = [new Redis(sharedServers().redisUrl), new Redis(sharedServers().redisUrl)];
afterAll(async () => Promise.all(workers.map((r) => r.quit())));

describe('channel send rate', () => {
  it('spaces sends 1/rate apart across workers', async () => {
    const channel = randomUUID();
    const waits = [];
    for (let i = 0; i < 6; i++) waits.push((await reserveSendSlot(workers[i % 2], channel, 10)).waitMs);
    // Slots 100 ms apart whichever worker asked; reservations take a few ms, so each wait is a little less.
    waits.forEach((w, i) => expect(w).toBeGreaterThan(i * 100 - 40));
    waits.forEach((w, i) => expect(w).toBeLessThanOrEqual(i * 100));
    // Another channel has its own schedule.
    expect(await reserveSendSlot(workers[0], randomUUID(), 10)).toEqual({ reserved: true, waitMs: 0 });
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

  it('reserves no slot for a send that becomes a retry, so a burst beyond the cap leaves the schedule at the cap', async () => {
    const channel = randomUUID();
    const rate = 100; // 10 ms apart: the 10 s cap holds about 1,000 sends
    const reservations = await Promise.all(Array.from({ length: 1_500 }, (_, i) => reserveSendSlot(workers[i % 2], channel, rate)));
    const reserved = reservations.filter((r) => r.reserved).length;
    expect(reserved).toBeGreaterThanOrEqual(1_000);
    expect(reserved).toBeLessThan(1_100); // a few more as the clock moves during the burst
    // Every refused send was told to come back when the free slot is due, about the cap from now.
    for (const r of reservations.filter((r) => !r.reserved)) expect(r.waitMs).toBeGreaterThan(MAX_INLINE_WAIT_MS - 1_000);
    const aheadMs = await nextFreeSlotIn(channel);
    // The next free slot sits at the cap (what was reserved), not 1,500 × 10 ms = 15 s ahead.
    expect(aheadMs).toBeLessThanOrEqual(MAX_INLINE_WAIT_MS + 20);
    expect(aheadMs).toBeGreaterThan(MAX_INLINE_WAIT_MS - 1_000);
  });

  it('leaves the schedule alone when a send is turned into a retry, however often it retries', async () => {
    const channel = randomUUID();
    await reserveSendSlot(workers[0], channel, 0.05); // one send every 20 s: the next slot is beyond the cap
    for (let i = 0; i < 20; i++) expect((await waitForSendSlot(workers[i % 2], channel, 0.05).catch((e) => e)).type).toBe('RateLimited');
    const aheadMs = await nextFreeSlotIn(channel);
    expect(aheadMs).toBeGreaterThan(19_000);
    expect(aheadMs).toBeLessThanOrEqual(20_000);
  });
});

/** How far ahead of Redis's clock the channel's next free slot is. */
async function nextFreeSlotIn(channel: string): Promise<number> {
  const [free, [seconds, micros]] = await Promise.all([workers[0].get(rateKey(channel)), workers[0].time()]);
  return (Number(free) - (Number(seconds) * 1e6 + Number(micros))) / 1000;
}
