/**
 * Per-channel send rate shared by every worker: one Redis key per channel holds the next free
 * send slot (server time, so worker clocks do not matter). A send reserves a slot atomically and
 * waits until it comes. A slot further ahead than the inline cap is not reserved: the send becomes
 * a retry after that delay, so senders that back off never hold slots they do not use.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Redis } from 'ioredis';

export const DEFAULT_SEND_RATE_PER_SECOND = 20;
/** The longest a send sleeps inside the activity for its slot (the activity has 30 s in all). */
export const MAX_INLINE_WAIT_MS = 10_000;

// KEYS[1] next free slot (µs); ARGV[1] interval (µs), ARGV[2] cap (µs) → {reserved 0|1, wait ms}.
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, free)
local wait = math.floor((slot - now) / 1000)
if slot - now > tonumber(ARGV[2]) then return {0, wait} end
local interval = tonumber(ARGV[1])
redis.call('SET', KEYS[1], string.format('%.0f', slot + interval), 'PX', math.floor((slot + interval - now) / 1000) + 1000)
return {1, wait}`;

export const rateKey = (channelId: string) => `channel-rate:${channelId}`;

/**
 * Reserves the channel's next slot when it is at most `maxWaitMs` away. `waitMs`: how long until
 * the reserved slot (0 when the channel is under its rate), or until the next free one when refused.
 */
export async function reserveSendSlot(
  redis: Redis,
  channelId: string,
  perSecond: number,
  maxWaitMs = MAX_INLINE_WAIT_MS,
): Promise<{ reserved: boolean; waitMs: number }> {
  const intervalMicros = Math.max(1, Math.round(1_000_000 / perSecond));
  const [reserved, waitMs] = (await redis.eval(RESERVE, 1, rateKey(channelId), intervalMicros, maxWaitMs * 1000)) as [number, number];
  return { reserved: reserved === 1, waitMs: Number(waitMs) };
}

export async function waitForSendSlot(redis: Redis, channelId: string, perSecond = DEFAULT_SEND_RATE_PER_SECOND): Promise<void> {
  const { reserved, waitMs } = await reserveSendSlot(redis, channelId, perSecond);
  if (!reserved) {
    // Back when the slot that is free now comes up: by then the senders ahead have gone.
    throw ApplicationFailure.create({ message: `channel send rate: next slot in ${waitMs} ms`, type: 'RateLimited', nextRetryDelay: waitMs });
  }
  if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
}
