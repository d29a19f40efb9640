/**
 * Live updates for a conversation go out on Redis pub/sub channel `live:{tenantId}:{conversationId}`
 * as JSON. Listeners (the API's WebSocket / SSE relay) dedupe messages by `message.id`, and on a
 * delta whose `attempt` is higher than the one they hold, or on `reset`, drop the partial text.
 */
import type { Redis } from 'ioredis';
import type { Author, Reply } from '../core/messages';

export type LiveMessage = Omit<Reply, 'author'> & { author: Author };

export type LiveEvent =
  | { type: 'message'; message: LiveMessage }
  | { type: 'delta'; streamKey: string; attempt: number; delta: string }
  /** The stream switched to a fallback provider mid-answer: discard the partial text of this attempt. */
  | { type: 'reset'; streamKey: string; attempt: number };

export const liveChannel = (tenantId: string, conversationId: string) => `live:${tenantId}:${conversationId}`;

export async function publishLive(redis: Redis, tenantId: string, conversationId: string, event: LiveEvent): Promise<void> {
  await redis.publish(liveChannel(tenantId, conversationId), JSON.stringify(event));
}
