/**
 * The `inbound` BullMQ queue between the webhook route (producer) and the worker (consumer), and
 * the sweeper that re-queues rows still pending after `staleMs`. Job ids are the row ids, so a
 * row is queued at most once at a time however often the sweeper sees it.
 */
import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { Config } from '../core/config';
import { systemEm } from '../db/orm';
import { stalePendingInbound } from '../db/repos/channels-inbound';
import { InboundProcessor } from './dispatcher';

export interface InboundJob {
  id: string;
}

/** One queue per task queue, so test stacks sharing a Redis never take each other's jobs. */
export const inboundQueueName = (config: Pick<Config, 'TEMPORAL_TASK_QUEUE'>) =>
  config.TEMPORAL_TASK_QUEUE === 'switchboard' ? 'inbound' : `inbound-${config.TEMPORAL_TASK_QUEUE}`;

export const createInboundQueue = (connection: ConnectionOptions, config: Pick<Config, 'TEMPORAL_TASK_QUEUE'>) =>
  new Queue<InboundJob>(inboundQueueName(config), { connection });

const JOB_OPTIONS = {
  attempts: 40,
  backoff: { type: 'custom' },
  // Finished jobs go at once: a row's id becomes reusable as a job id for the sweeper.
  removeOnComplete: true,
  removeOnFail: true,
} as const;

/**
 * BullMQ's graceful close can wait forever when Redis restarted a moment before and the worker's
 * blocking client is caught mid-reconnect (seen under load). Past `ms` the connections are dropped
 * instead: a job cut short is a row still pending, which the sweeper queues again.
 */
export async function closeQueueWorker(worker: Worker, ms = 5_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((done) => (timer = setTimeout(() => done(false), ms)));
  const closed = await Promise.race([worker.close().then(() => true), deadline]).finally(() => clearTimeout(timer));
  // Dropping may itself wait on that client: give it a moment, not forever.
  if (!closed) await Promise.race([worker.disconnect().catch(() => undefined), new Promise((done) => setTimeout(done, 1_000).unref())]);
}

/** 0.5 s, 1 s, 2 s … capped at 30 s: a Temporal outage of minutes is ridden out without hammering it. */
export const inboundBackoff = (attemptsMade: number) => Math.min(30_000, 500 * 2 ** Math.max(0, attemptsMade - 1));

export async function enqueueInbound(queue: Queue<InboundJob>, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await queue.addBulk(ids.map((id) => ({ name: 'dispatch', data: { id }, opts: { jobId: id, ...JOB_OPTIONS } })));
}

export interface InboundProcessingOptions {
  orm: MikroORM;
  config: Config;
  temporal: Client;
  concurrency?: number;
  sweepEveryMs?: number;
  /** A pending row untouched this long is queued again. */
  staleMs?: number;
}

export interface InboundProcessing {
  processor: InboundProcessor;
  /** Runs one sweep now (tests, and the first tick at start-up). */
  sweep(): Promise<number>;
  close(): Promise<void>;
}

export function startInboundProcessing(opts: InboundProcessingOptions): InboundProcessing {
  const connection = new Redis(opts.config.REDIS_URL, { maxRetriesPerRequest: null });
  const processor = new InboundProcessor({ orm: opts.orm, config: opts.config, temporal: opts.temporal, redis: connection });
  const queue = createInboundQueue(connection, opts.config);
  const worker = new Worker<InboundJob>(inboundQueueName(opts.config), (job) => processor.process(job.data.id), {
    connection,
    concurrency: opts.concurrency ?? 32,
    settings: { backoffStrategy: inboundBackoff },
  });
  worker.on('error', () => undefined);
  const staleMs = opts.staleMs ?? 60_000;

  let sweeping: Promise<number> | null = null;
  const sweep = () =>
    (sweeping ??= (async () => {
      try {
        const ids = await stalePendingInbound(systemEm(opts.orm), staleMs);
        await enqueueInbound(queue, ids);
        return ids.length;
      } finally {
        sweeping = null;
      }
    })());
  const timer = setInterval(() => void sweep().catch(() => undefined), opts.sweepEveryMs ?? 10_000);
  timer.unref();

  return {
    processor,
    sweep,
    async close() {
      clearInterval(timer);
      await closeQueueWorker(worker);
      await queue.close();
      // quit() waits for a reply a dropped connection never gives.
      if (connection.status === 'ready') await connection.quit();
      else connection.disconnect();
    },
  };
}
