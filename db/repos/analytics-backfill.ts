/**
 * The backfill behind `npm run analytics:backfill`: recomputes the rollups from a date (or the first
 * activity) to now, a week per transaction, so a long history neither holds one huge transaction
 * nor the job's advisory lock for long; the recent-window job keeps running in between.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { rollupNodeHours } from './analytics-nodes-rollup';
import { firstActivity, rollupHours } from './analytics-rollup';

const CHUNK_MS = 7 * 24 * 3_600_000;

export async function backfillAnalytics(em: EntityManager, opts: { tenantId?: string; from?: Date; now?: Date }, progress?: (line: string) => void) {
  const from = opts.from ?? (await firstActivity(em, opts.tenantId));
  if (!from) return null;
  const end = opts.now ?? new Date();
  let rows = 0;
  let start = new Date(Math.floor(from.getTime() / 3_600_000) * 3_600_000);
  const first = start;
  while (start < end) {
    const to = new Date(Math.min(start.getTime() + CHUNK_MS, end.getTime() + 1));
    const done = await rollupHours(em.fork(), { from: start, to, tenantId: opts.tenantId });
    await rollupNodeHours(em.fork(), { from: start, to, tenantId: opts.tenantId });
    rows += done.rows;
    progress?.(`${done.from.toISOString()} .. ${done.to.toISOString()}: ${done.rows} row(s)`);
    start = done.to;
  }
  return { from: first, hours: Math.round((start.getTime() - first.getTime()) / 3_600_000), rows };
}
