/**
 * The analytics sink: persists each platform event job (events/queue.ts) as an Event row,
 * idempotently, with the row id derived from the job id. The events module's one file that
 * touches the database.
 */
import { createHash } from 'node:crypto';
import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Event } from '../db/entities';
import { tenantEm } from '../db/orm';
import { EVENTS_QUEUE, type EventJob } from './queue';

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

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

/** The analytics sink the worker process runs. Close it with `closeQueueWorker` (ingress/queue.ts). */
export function startEventSink(opts: { connection: ConnectionOptions; orm: MikroORM; concurrency?: number; queue?: string }): Worker<EventJob> {
  return new Worker<EventJob>(opts.queue ?? EVENTS_QUEUE, (job) => persistEvent(opts.orm, job), { connection: opts.connection, concurrency: opts.concurrency ?? 10 });
}
