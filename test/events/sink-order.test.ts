/**
 * The event sink hands a conversation's events to what comes after it (the webhook fan-out) one at
 * a time in queue order, even when handling one of them is slow, while other conversations' events
 * go on alongside: real Redis queue, real PostgreSQL rows.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Queue, type Worker as QueueWorker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { EventJob } from '../../events/queue';
import { startEventSink, type StoredEvent } from '../../events/sink';
import { makeTenant, testOrm } from '../db/fixtures';
import type { Orm } from '../../db/orm';
import { waitUntil } from '../support/wait';

const queueName = `events-order-${randomBytes(4).toString('hex')}`;
let orm: Orm;
let redis: Redis;
let queue: Queue<EventJob>;
let sink: QueueWorker<EventJob>;
const handed: { conversationId: string; seq: number; at: number }[] = [];

beforeAll(async () => {
  orm = await testOrm();
  redis = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
  queue = new Queue<EventJob>(queueName, { connection: redis });
  sink = startEventSink({
    connection: redis.duplicate({ maxRetriesPerRequest: null }),
    orm,
    queue: queueName,
    // The first event of each conversation is slow to fan out: without the per-conversation order,
    // its later events would overtake it.
    afterStore: async (e: StoredEvent) => {
      if (e.data.seq === 1) await new Promise((done) => setTimeout(done, 400));
      handed.push({ conversationId: e.data.conversationId as string, seq: e.data.seq as number, at: Date.now() });
    },
  });
});

afterAll(async () => {
  await sink?.close();
  await queue?.obliterate({ force: true });
  await queue?.close();
  redis?.disconnect();
  await orm?.close(true);
});

it('hands over one conversation’s events in order, one at a time, and others’ meanwhile', async () => {
  const { tenantId } = await makeTenant(orm);
  const [c1, c2] = [randomUUID(), randomUUID()];
  const add = (conversationId: string, seq: number) =>
    queue.add('message.sent', { tenantId, type: 'message.sent', workflowId: `conv:${tenantId}:${conversationId}`, data: { conversationId, seq }, occurredAt: new Date().toISOString() });
  for (let seq = 1; seq <= 4; seq++) await add(c1, seq);
  await add(c2, 2);
  await waitUntil(() => handed.length === 5, 15_000, 'five events handed over');

  expect(handed.filter((h) => h.conversationId === c1).map((h) => h.seq)).toEqual([1, 2, 3, 4]);
  // c2 did not wait for c1's slow first event.
  const c1First = handed.find((h) => h.conversationId === c1 && h.seq === 1)!;
  expect(handed.find((h) => h.conversationId === c2)!.at).toBeLessThan(c1First.at);
});
