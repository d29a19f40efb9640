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
export const eventRowId = (jobId: string) => uuidFromSeed(`event:${jobId}`);

/** An event as stored: what consumers after the sink (outbound webhooks) receive. */
export interface StoredEvent {
  id: string;
  tenantId: string;
  type: string;
  workflowId: string;
  data: Record<string, unknown>;
  createdAt: Date;
  /** Its place among its conversation's events (`nextEventSeq`, events/queue.ts). */
  seq: number;
}

export async function persistEvent(orm: MikroORM, job: Pick<Job<EventJob>, 'id' | 'data'>): Promise<StoredEvent> {
  const e = job.data;
  const createdAt = new Date(e.occurredAt);
  // A job queued before events carried a seq is placed by its millisecond.
  const stored: StoredEvent = { id: eventRowId(String(job.id)), tenantId: e.tenantId, type: e.type, workflowId: e.workflowId, data: e.data, createdAt, seq: e.seq ?? createdAt.getTime() * 1000 };
  await tenantEm(orm, e.tenantId)
    .createQueryBuilder(Event)
    .insert({ id: stored.id, tenant: e.tenantId, type: e.type, workflowId: e.workflowId, data: e.data, createdAt: stored.createdAt })
    .onConflict('id')
    .ignore()
    .execute('run');
  return stored;
}

/**
 * Runs `work` after every earlier call with the same key has settled (in this process), so jobs of
 * one conversation are handled one at a time in the order they were started; other keys run
 * concurrently. A null key runs at once.
 */
export function keyedSerializer() {
  const tails = new Map<string, Promise<unknown>>();
  return function inOrder<T>(key: string | null, work: () => Promise<T>): Promise<T> {
    if (key === null) return work();
    const run = (tails.get(key) ?? Promise.resolve()).then(work, work);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };
}

const conversationOf = (e: EventJob) => (typeof e.data.conversationId === 'string' ? e.data.conversationId : null);

/**
 * The analytics sink the worker process runs. Close it with `closeQueueWorker` (ingress/queue.ts).
 * `afterStore` runs once the row is in (on a redelivered job too: it must be idempotent); if it
 * throws, the job is retried. A conversation's jobs are stored and fanned out one after another in
 * the order BullMQ hands them over, which is mostly but not always the order they were queued in
 * when several run at once: webhook chains follow the events' own `seq` (ARCHITECTURE.md,
 * "Outbound webhooks").
 */
export function startEventSink(opts: { connection: ConnectionOptions; orm: MikroORM; concurrency?: number; queue?: string; afterStore?: (event: StoredEvent) => Promise<void> }): Worker<EventJob> {
  const inOrder = keyedSerializer();
  return new Worker<EventJob>(
    opts.queue ?? EVENTS_QUEUE,
    (job) =>
      inOrder(conversationOf(job.data), async () => {
        const stored = await persistEvent(opts.orm, job);
        await opts.afterStore?.(stored);
      }),
    { connection: opts.connection, concurrency: opts.concurrency ?? 10 },
  );
}
