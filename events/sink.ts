/**
 * The analytics sink: persists each platform event job (events/queue.ts) as an Event row,
 * idempotently, with the row id derived from the job id. The events module's one file that
 * touches the database.
 */
import { createHash } from 'node:crypto';
import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { MikroORM } from '@mikro-orm/postgresql';
import { uuidFromSeed } from '../core/ids';
import { Event } from '../db/entities';
import { tenantEm } from '../db/orm';
import { EVENTS_QUEUE, type EventJob } from './queue';

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Derived from the job id, so a redelivered job inserts nothing new. */
const eventRowId = (jobId: string) => uuidFromSeed(`event:${jobId}`);

/** An event as stored: what consumers after the sink (outbound webhooks) receive. */
export interface StoredEvent {
  id: string;
  tenantId: string;
  type: string;
  workflowId: string;
  data: Record<string, unknown>;
  createdAt: Date;
}

export async function persistEvent(orm: MikroORM, job: Pick<Job<EventJob>, 'id' | 'data'>): Promise<StoredEvent> {
  const e = job.data;
  const stored: StoredEvent = { id: eventRowId(String(job.id)), tenantId: e.tenantId, type: e.type, workflowId: e.workflowId, data: e.data, createdAt: new Date(e.occurredAt) };
  await tenantEm(orm, e.tenantId)
    .createQueryBuilder(Event)
    .insert({ id: stored.id, tenant: e.tenantId, type: e.type, workflowId: e.workflowId, data: e.data, createdAt: stored.createdAt })
    .onConflict('id')
    .ignore()
    .execute('run');
  return stored;
}

/**
 * The analytics sink the worker process runs. Close it with `closeQueueWorker` (ingress/queue.ts).
 * `afterStore` runs once the row is in (on a redelivered job too: it must be idempotent); if it
 * throws, the job is retried.
 */
export function startEventSink(opts: { connection: ConnectionOptions; orm: MikroORM; concurrency?: number; queue?: string; afterStore?: (event: StoredEvent) => Promise<void> }): Worker<EventJob> {
  return new Worker<EventJob>(
    opts.queue ?? EVENTS_QUEUE,
    async (job) => {
      const stored = await persistEvent(opts.orm, job);
      await opts.afterStore?.(stored);
    },
    { connection: opts.connection, concurrency: opts.concurrency ?? 10 },
  );
}
