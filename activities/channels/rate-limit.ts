/**
 * Per-channel send rate shared by every worker: one Redis key per channel holds the next free
 * send slot (server time, so worker clocks do not matter). Each send reserves a slot atomically
 * and waits until it comes; a slot too far ahead becomes a retry after that delay instead of a
 * long sleep inside the activity.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Redis } from 'ioredis';

export const DEFAULT_SEND_RATE_PER_SECOND = 20;
const MAX_INLINE_WAIT_MS = 10_000;

const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, free)
local interval = tonumber(ARGV[1])
redis.call('SET', KEYS[1], string.format('%.0f', slot + interval), 'PX', math.floor((slot + interval - now) / 1000) + 1000)
return math.floor((slot - now) / 1000)`;

/** Milliseconds to wait before this send may go (0 when the channel is under its rate). */
export async function reserveSendSlot(redis: Redis, channelId: string, perSecond: number): Promise<number> {
  const intervalMicros = Math.max(1, Math.round(1_000_000 / perSecond));
  return Number(await redis.eval(RESERVE, 1, `channel-rate:${channelId}`, intervalMicros));
}

export async function waitForSendSlot(redis: Redis, channelId: string, perSecond = DEFAULT_SEND_RATE_PER_SECOND): Promise<void> {
  const waitMs = await reserveSendSlot(redis, channelId, perSecond);
  if (waitMs <= 0) return;
  if (waitMs > MAX_INLINE_WAIT_MS) {
    throw ApplicationFailure.create({ message: `channel send rate: next slot in ${waitMs} ms`, type: 'RateLimited', nextRetryDelay: waitMs });
  }
  await new Promise((resolve) => setTimeout(resolve, waitMs));
}
