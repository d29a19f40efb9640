/**
 * Keeps the analytics rollups (db/repos/analytics-rollup.ts) up to date, from the worker process:
 * two BullMQ job schedulers, one recomputing the last few hours every minute, one the last days
 * every hour. A scheduler is one Redis key however many workers upsert it, and each job is taken by
 * one worker, so the rollup runs once per tick across processes (and the rollup's advisory lock
 * serialises it with a backfill). Page views only read the rollups.
 */
import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../core/config';
import { systemEm } from '../db/orm';
import { rollupHours } from '../db/repos/analytics-rollup';
import { rollupNodeHours } from '../db/repos/analytics-nodes-rollup';

export interface RollupJob {
  /** Hours before now to recompute (the current hour included). */
  hours: number;
}

type AnalyticsConfig = Pick<Config, 'ANALYTICS_REFRESH_SECONDS' | 'ANALYTICS_RECENT_HOURS' | 'ANALYTICS_SETTLE_HOURS' | 'ANALYTICS_QUEUE_NAME'>;

/** Recomputes the `hours` before now; what the job runs. */
export async function refreshRecentHours(orm: MikroORM, hours: number, now = new Date()) {
  const range = { from: new Date(now.getTime() - hours * 3_600_000), to: new Date(now.getTime() + 1) };
  const result = await rollupHours(systemEm(orm), range);
  await rollupNodeHours(systemEm(orm), range);
  return result;
}

export async function startAnalyticsRollups(opts: { connection: ConnectionOptions; orm: MikroORM; config: AnalyticsConfig; log?: (msg: string, fields?: Record<string, unknown>) => void }) {
  const { config } = opts;
  const log = opts.log ?? ((msg, fields) => console.warn(JSON.stringify({ msg, ...fields })));
  const queue = new Queue<RollupJob>(config.ANALYTICS_QUEUE_NAME, { connection: opts.connection });
  const finished = { removeOnComplete: { count: 10 }, removeOnFail: { count: 50 } };
  await queue.upsertJobScheduler('analytics-recent', { every: config.ANALYTICS_REFRESH_SECONDS * 1000 }, { name: 'recent', data: { hours: config.ANALYTICS_RECENT_HOURS }, opts: finished });
  await queue.upsertJobScheduler('analytics-settle', { every: 3_600_000 }, { name: 'settle', data: { hours: config.ANALYTICS_SETTLE_HOURS }, opts: finished });
  const worker = new Worker<RollupJob>(
    config.ANALYTICS_QUEUE_NAME,
    async (job) => {
      const result = await refreshRecentHours(opts.orm, job.data.hours);
      return { rows: result.rows, from: result.from.toISOString() };
    },
    // One at a time per process; the advisory lock orders them across processes.
    { connection: opts.connection, concurrency: 1 },
  );
  worker.on('failed', (job, err) => log('analytics rollup failed', { job: job?.name, error: err.message }));
  return {
    queue,
    worker,
    async close(closeWorker: (w: Worker) => Promise<void>) {
      await closeWorker(worker);
      await queue.close();
    },
  };
}
