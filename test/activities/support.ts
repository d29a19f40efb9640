/** Real dependencies for activity tests (Postgres, Redis, a BullMQ queue) and a live-channel listener. */
import { randomBytes } from 'node:crypto';
import type { MockActivityEnvironment } from '@temporalio/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { createActivities, type ActivityDeps } from '../../activities';
import { liveChannel, type LiveEvent } from '../../events/live';
import type { StoredEvent } from '../../events/sink';
import type { Orm } from '../../db/orm';
import type { EnabledSubscription } from '../../db/repos/webhooks';
import { testConfig, testOrm } from '../db/fixtures';

export interface TestDeps extends ActivityDeps {
  /** The events activities stored themselves and handed on (`afterEventsStored`), in order. */
  fannedOut: StoredEvent[];
  /** Each hand-on: its events and the subscriptions the storing statement read. */
  handOns: { events: StoredEvent[]; subscriptions?: EnabledSubscription[] }[];
  close(): Promise<void>;
}

export async function testDeps(env: Record<string, string> = {}, queueName = `events-${randomBytes(4).toString('hex')}`): Promise<TestDeps> {
  const orm: Orm = await testOrm();
  const redis = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
  const eventsQueue = new Queue(queueName, { connection: redis });
  const fannedOut: StoredEvent[] = [];
  const handOns: TestDeps['handOns'] = [];
  return {
    orm,
    redis,
    eventsQueue,
    fannedOut,
    handOns,
    afterEventsStored: async (events, subscriptions) => {
      fannedOut.push(...events);
      handOns.push({ events, subscriptions });
    },
    config: testConfig(env),
    async close() {
      await eventsQueue.close();
      redis.disconnect();
      await orm.close(true);
    },
  };
}

export const activitiesFor = (deps: ActivityDeps) => createActivities(deps);

/** Collects what is published on a conversation's live channel. */
export async function listen(tenantId: string, conversationId: string): Promise<{ events: LiveEvent[]; stop(): void }> {
  const sub = new Redis(inject('redisUrl'));
  const events: LiveEvent[] = [];
  sub.on('message', (_channel: string, payload: string) => events.push(JSON.parse(payload) as LiveEvent));
  await sub.subscribe(liveChannel(tenantId, conversationId));
  return { events, stop: () => sub.disconnect() };
}

export async function waitFor<T>(check: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Runs an activity inside a MockActivityEnvironment (heartbeats, attempt, cancellation) with its types intact. */
export function runIn<A extends unknown[], R>(env: MockActivityEnvironment, fn: (...args: A) => Promise<R>, ...args: A): Promise<R> {
  return env.run(fn, ...args) as Promise<R>;
}
