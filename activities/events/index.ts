/**
 * Platform events. The activity queues a BullMQ job whose id is derived from the event itself, so
 * a retried activity does not queue it twice; the sink worker persists each job as an Event row
 * (analytics), idempotently, with the row id derived from the job id.
 */
import { createHash } from 'node:crypto';
import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { MikroORM } from '@mikro-orm/postgresql';
import { stripUnstorableDeep } from '../../core/text';
import { Event } from '../../db/entities';
import { tenantEm } from '../../db/orm';
import { activityContext } from '../context';
import type { ActivityDeps } from '../deps';
import type { SwitchboardActivities } from '../types';

import { EVENTS_QUEUE, type EventJob } from './queue';

export { createEventsQueue, EVENTS_QUEUE, type EventJob } from './queue';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Same scheduled activity (any attempt) → same id; outside an activity the content decides. */
function eventJobId(input: { tenantId: string; type: string; workflowId: string; data: Record<string, unknown> }): string {
  const info = activityContext()?.info;
  const identity = info ? [info.workflowExecution?.runId, info.activityId] : [JSON.stringify(input.data)];
  return sha256(JSON.stringify([input.tenantId, input.workflowId, input.type, ...identity]));
}

export function eventActivities({ eventsQueue }: ActivityDeps): Pick<SwitchboardActivities, 'emitEvent'> {
  return {
    async emitEvent(input) {
      // The sink stores the event in PostgreSQL: a NUL from an HTTP response or a model would fail it every attempt.
      const job: EventJob = { ...stripUnstorableDeep(input), occurredAt: new Date().toISOString() };
      await eventsQueue.add(input.type, job, {
        jobId: eventJobId(input),
        attempts: 5,
        backoff: { type: 'exponential', delay: 1000 },
        // Completed jobs are kept for a day: that is what makes the jobId dedupe retries.
        removeOnComplete: { age: 24 * 3600 },
        removeOnFail: { age: 7 * 24 * 3600 },
      });
    },
  };
}

/** A uuid-shaped id derived from the job id, so a redelivered job inserts nothing new. */
function eventRowId(jobId: string): string {
  const h = sha256(`event:${jobId}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export async function persistEvent(orm: MikroORM, job: Pick<Job<EventJob>, 'id' | 'data'>): Promise<void> {
  const e = job.data;
  await tenantEm(orm, e.tenantId)
    .createQueryBuilder(Event)
    .insert({ id: eventRowId(String(job.id)), tenant: e.tenantId, type: e.type, workflowId: e.workflowId, data: e.data, createdAt: new Date(e.occurredAt) })
    .onConflict('id')
    .ignore()
    .execute('run');
}

/** The analytics sink the worker process runs. Close it with `await worker.close()`. */
export function startEventSink(opts: { connection: ConnectionOptions; orm: MikroORM; concurrency?: number; queue?: string }): Worker<EventJob> {
  return new Worker<EventJob>(opts.queue ?? EVENTS_QUEUE, (job) => persistEvent(opts.orm, job), { connection: opts.connection, concurrency: opts.concurrency ?? 10 });
}
