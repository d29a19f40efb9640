/**
 * The event pipeline end to end: a real conversation workflow on a real worker emits events
 * (emitEvent, a local activity) → a BullMQ queue in Redis → the sink (events/sink.ts) → rows in
 * `events`, with the tenant, type and payload the workflow gave, once each even when the activity
 * that queued an event is retried after queueing it.
 */
import { randomBytes } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { Client, Connection } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { Worker as QueueWorker } from 'bullmq';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { startEventSink } from '../../events/sink';
import type { EventJob } from '../../events/queue';
import { Event } from '../../db/entities';
import { tenantEm } from '../../db/orm';
import { createWorker } from '../../worker/create';
import { WorkflowGateway } from '../../temporal/clients';
import { makeTenant } from '../db/fixtures';
import { activitiesFor, testDeps, type TestDeps } from '../activities/support';
import { flow } from '../workflows/support/flows';
import { quietRuntime } from '../workflows/support/harness';
import { waitUntil } from '../support/wait';

// A private queue: no other test's sink (or another run's worker on this Redis) takes these jobs.
const queueName = `events-e2e-${randomBytes(4).toString('hex')}`;
const taskQueue = `events-e2e-${randomBytes(4).toString('hex')}`;
let deps: TestDeps;
let sink: QueueWorker<EventJob>;
let worker: Worker;
let workerConnection: NativeConnection;
let running: Promise<void>;
let connection: Connection;
let gateway: WorkflowGateway;
/** emitEvent calls, with their attempt. */
const attempts: { type: string; attempt: number }[] = [];

beforeAll(async () => {
  quietRuntime();
  deps = await testDeps({}, queueName);
  const real = activitiesFor(deps);
  const activities = {
    ...real,
    // The job is queued, then the activity fails (e.g. the worker lost its connection before the
    // result was recorded): Temporal retries it, and the retry queues the same event again.
    async emitEvent(input: Parameters<typeof real.emitEvent>[0]) {
      const { attempt } = Context.current().info;
      attempts.push({ type: input.type, attempt });
      await real.emitEvent(input);
      if (attempt === 1) throw new Error('result lost after the job was queued');
    },
  };
  ({ worker, connection: workerConnection } = await createWorker({ address: inject('temporalAddress'), namespace: 'default', taskQueue, activities, workflowBundlePath: inject('workflowBundlePath') }));
  running = worker.run();
  sink = startEventSink({ connection: deps.redis.duplicate({ maxRetriesPerRequest: null }), orm: deps.orm, queue: queueName });
  connection = await Connection.connect({ address: inject('temporalAddress') });
  gateway = new WorkflowGateway(new Client({ connection }), taskQueue);
});
afterAll(async () => {
  worker?.shutdown();
  await running;
  await workerConnection?.close();
  await connection?.close();
  await sink?.close();
  await deps?.eventsQueue.obliterate({ force: true });
  await deps?.close();
});

const graph = flow(
  [
    { id: 'start', type: 'start' },
    { id: 'topic', type: 'ask', data: { prompt: 'What about?', variable: 'topic' } },
    { id: 'agent', type: 'handoff', data: { message: 'A colleague will answer.', reason: 'wants a person' } },
  ],
  [['start', 'topic'], ['topic', 'agent']],
);

/** Waits until the queue holds no job that is still to run (waiting, active, delayed or being retried). */
const drained = () =>
  waitUntil(async () => {
    const counts = await deps.eventsQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
    return Object.values(counts).every((n) => n === 0);
  }, 30_000, 'the events queue drained');

it('a conversation’s events reach the events table through the queue and the sink, once each, even when emitEvent is retried', async () => {
  const t = await makeTenant(deps.orm);
  const pinned = { flowId: t.flowId, version: 1, graph };
  const c = gateway.conversation;
  expect((await c.turn(t.tenantId, t.conversationId, pinned, 'api', 'hello')).replies.map((r) => r.text)).toEqual(['What about?']);
  expect((await c.turn(t.tenantId, t.conversationId, pinned, 'api', 'my invoice')).status).toBe('waiting');
  await c.close(t.workflowId);
  await new Client({ connection }).workflow.getHandle(t.workflowId).result();

  const em = tenantEm(deps.orm, t.tenantId);
  await waitUntil(async () => (await em.fork().count(Event, {})) >= 2, 30_000, 'two event rows');
  await drained();

  // Every event was queued twice (the failed first attempt and its retry): the rows are still one each.
  expect(attempts.filter((a) => a.type === 'handoff.requested').map((a) => a.attempt)).toEqual([1, 2]);
  expect(attempts.filter((a) => a.type === 'conversation.closed').map((a) => a.attempt)).toEqual([1, 2]);
  const all = await em.fork().find(Event, {}, { orderBy: { createdAt: 'asc' } });
  // The store activities add one event per stored message (and the conversation's start), once each.
  const perMessage = all.filter((r) => r.type.startsWith('message.') || r.type === 'conversation.started');
  expect(perMessage.map((r) => r.type)).toEqual(['conversation.started', 'message.received', 'message.sent', 'message.received', 'message.sent']);
  expect(new Set(perMessage.map((r) => (r.data.message as { id?: string } | undefined)?.id ?? 'start')).size).toBe(5);
  const rows = all.filter((r) => !perMessage.includes(r));
  expect(rows.map((r) => ({ tenant: r.tenant, type: r.type, workflowId: r.workflowId, data: r.data }))).toEqual([
    { tenant: t.tenantId, type: 'handoff.requested', workflowId: t.workflowId, data: { conversationId: t.conversationId, nodeId: 'agent', reason: 'wants a person' } },
    {
      tenant: t.tenantId,
      type: 'conversation.closed',
      workflowId: t.workflowId,
      // Where it ended, for the flow drop-off figures: handed off at `agent` and closed while waiting for one.
      data: {
        conversationId: t.conversationId,
        reason: 'requested',
        nodeId: 'agent',
        statusBefore: 'waiting',
        handoffNodeId: 'agent',
        visitedNodeIds: ['start', 'topic', 'agent'],
        followedEdgeIds: ['start-next', 'topic-next'],
      },
    },
  ]);
  // Nothing landed under another tenant for this workflow.
  const anywhere = await deps.orm.em.fork().getConnection().execute<{ tenant_id: string }[]>('select tenant_id from events where workflow_id = ?', [t.workflowId]);
  expect(anywhere.map((r) => r.tenant_id)).toEqual(all.map(() => t.tenantId));
}, 90_000);
