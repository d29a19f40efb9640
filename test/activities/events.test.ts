import { randomBytes } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventJob } from '../../events/queue';
import { persistEvent, startEventSink } from '../../events/sink';
import { Event } from '../../db/entities';
import { tenantEm } from '../../db/orm';
import { makeTenant } from '../db/fixtures';
import { activitiesFor, testDeps, type TestDeps } from './support';

// A private queue name keeps this test away from sinks other tests or a dev worker may run.
const queueName = `events-test-${randomBytes(4).toString('hex')}`;
let deps: TestDeps;
let sink: Worker<EventJob>;

beforeAll(async () => {
  deps = await testDeps({}, queueName);
  sink = startEventSink({ connection: deps.redis.duplicate({ maxRetriesPerRequest: null }), orm: deps.orm, queue: queueName });
});
afterAll(async () => {
  await sink.close();
  await deps.eventsQueue.obliterate({ force: true });
  await deps.close();
});

describe('events', () => {
  it('emitEvent queues a job the sink persists as an Event row, once per activity', async () => {
    const t = await makeTenant(deps.orm);
    const acts = activitiesFor(deps);
    const input = { tenantId: t.tenantId, type: 'message.sent', workflowId: t.workflowId, data: { nodeId: 'greet', turn: 1 } };
    const env = new MockActivityEnvironment({ activityId: 'emit-1', attempt: 1 });
    await env.run(acts.emitEvent, input);
    // A retry of the same activity (attempt 2) must not create a second event.
    await new MockActivityEnvironment({ activityId: 'emit-1', attempt: 2 }).run(acts.emitEvent, input);
    await new MockActivityEnvironment({ activityId: 'emit-2', attempt: 1 }).run(acts.emitEvent, { ...input, type: 'run.completed', data: {} });

    const em = tenantEm(deps.orm, t.tenantId);
    const rows = await pollRows(() => em.fork().find(Event, {}, { orderBy: { createdAt: 'asc' } }), 2);
    expect(rows.map((r) => [r.type, r.workflowId, r.data])).toEqual([
      ['message.sent', t.workflowId, { nodeId: 'greet', turn: 1 }],
      ['run.completed', t.workflowId, {}],
    ]);
  });

  it('the sink is idempotent when a job is delivered twice', async () => {
    const t = await makeTenant(deps.orm);
    const job = { id: 'job-1', data: { tenantId: t.tenantId, type: 'x', workflowId: 'w', data: {}, occurredAt: new Date().toISOString() } };
    await persistEvent(deps.orm, job);
    await persistEvent(deps.orm, job);
    expect(await tenantEm(deps.orm, t.tenantId).count(Event, {})).toBe(1);
  });
});

async function pollRows<T>(load: () => Promise<T[]>, count: number, timeoutMs = 10_000): Promise<T[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await load();
    if (rows.length >= count || Date.now() > deadline) return rows;
    await new Promise((r) => setTimeout(r, 50));
  }
}
