/**
 * Single-use webhook tokens (Mailgun's `token`): claimed in Redis with SET NX and a TTL before the
 * delivery is recorded, released if recording fails so the provider's retry is not taken for a
 * replay. Redis because this path already depends on it (the inbound queue) and the entries only
 * need to outlive the signature's freshness window; a token seen again inside it is refused.
 */
import type { Redis } from 'ioredis';
import { AppError } from '../core/errors';
import type { VerifiedDelivery } from '../channels/types';

const PREFIX = 'webhook-once:';

export async function claimOnce(redis: Redis, channelId: string, delivery: VerifiedDelivery): Promise<() => Promise<void>> {
  const key = `${PREFIX}${channelId}:${delivery.onceToken}`;
  const claimed = await redis.set(key, '1', 'EX', delivery.ttlSeconds, 'NX');
  if (claimed !== 'OK') throw new AppError('forbidden', `this ${delivery.field} was already used: the post is a replay`, { field: delivery.field });
  return async () => {
    await redis.del(key);
  };
}
