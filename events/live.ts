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
  | { type: 'reset'; streamKey: string; attempt: number }
  /** Someone is typing: an agent in the inbox, or the contact in the web-chat widget. */
  | { type: 'typing'; author: 'agent' | 'contact'; typing: boolean; name?: string }
  /** Test ("Try it") conversations only: a flow node started or finished, so the builder can light it up. */
  | { type: 'node'; nodeId: string; status: 'started' | 'finished' | 'failed' };

/**
 * Tenant-wide channel `live:{tenantId}` for the inbox: `{type:'message', conversationId, message}`
 * next to every stored message, and `{type:'conversation', conversationId}` when a conversation's
 * state changes, and the contact's typing. The API turns these into full list items for its listeners.
 */
export type TenantLiveEvent =
  | { type: 'message'; conversationId: string; message: LiveMessage }
  | { type: 'conversation'; conversationId: string }
  | { type: 'typing'; conversationId: string; author: 'contact'; typing: boolean };

export const tenantLiveChannel = (tenantId: string) => `live:${tenantId}`;

export async function publishTenantLive(redis: Redis, tenantId: string, event: TenantLiveEvent): Promise<void> {
  await redis.publish(tenantLiveChannel(tenantId), JSON.stringify(event));
}

export const liveChannel = (tenantId: string, conversationId: string) => `live:${tenantId}:${conversationId}`;

/** What the inbox hears of a conversation's event: its messages and the contact's typing. */
function forTenant(conversationId: string, event: LiveEvent): TenantLiveEvent | null {
  if (event.type === 'message') return { type: 'message', conversationId, message: event.message };
  if (event.type === 'typing' && event.author === 'contact') return { type: 'typing', conversationId, author: 'contact', typing: event.typing };
  return null;
}

/** Messages and the contact's typing also go out on the tenant's channel (one round trip for both). */
export function publishLive(redis: Redis, tenantId: string, conversationId: string, event: LiveEvent): Promise<void> {
  return publishLiveMany(redis, tenantId, conversationId, [event]);
}

/** Several events of one conversation, in order, in one round trip (a turn's replies); a lone one (a model's delta) is a plain PUBLISH. */
export async function publishLiveMany(redis: Redis, tenantId: string, conversationId: string, events: LiveEvent[]): Promise<void> {
  const publishes = events.flatMap((event): [string, string][] => {
    const tenantEvent = forTenant(conversationId, event);
    const own: [string, string] = [liveChannel(tenantId, conversationId), JSON.stringify(event)];
    return tenantEvent ? [own, [tenantLiveChannel(tenantId), JSON.stringify(tenantEvent)]] : [own];
  });
  if (publishes.length === 0) return;
  if (publishes.length === 1) {
    await redis.publish(...publishes[0]);
    return;
  }
  const batch = redis.multi();
  for (const [channel, payload] of publishes) batch.publish(channel, payload);
  await batch.exec();
}
