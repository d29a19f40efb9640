/**
 * The hourly rollup against figures computed by hand (test/analytics/fixtures.ts): every metric of
 * every row, test conversations and other tenants left out, a second run changing nothing, the
 * backfill (as a function and as the npm command) giving the same rows, and a late row changing
 * only its own hour.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { systemEm, type Orm } from '../../db/orm';
import { backfillAnalytics } from '../../db/repos/analytics-backfill';
import { rollupHours } from '../../db/repos/analytics-rollup';
import { testOrm } from '../db/fixtures';
import { addMessage, at, DAY, expectedRows, makeAnalyticsTenant, rollupRows, writeDay } from './fixtures';

let orm: Orm;
let t: Awaited<ReturnType<typeof makeAnalyticsTenant>>;
let other: Awaited<ReturnType<typeof makeAnalyticsTenant>>;
let ids: Awaited<ReturnType<typeof writeDay>>;
const day = { from: at('00:00:00'), to: new Date(`${DAY}T23:59:59Z`) };
const byKey = (r: { hour: string; channel: unknown; flow_id: unknown }) => `${r.hour} ${String(r.channel)} ${String(r.flow_id)}`;
const sorted = <T extends { hour: string; channel: unknown; flow_id: unknown }>(rows: T[]) => [...rows].sort((a, b) => byKey(a).localeCompare(byKey(b)));

beforeAll(async () => {
  orm = await testOrm();
  t = await makeAnalyticsTenant(orm);
  other = await makeAnalyticsTenant(orm);
  ids = await writeDay(orm, t);
  await writeDay(orm, other);
});
afterAll(async () => {
  await orm.close(true);
});

describe('analytics rollup', () => {
  it('computes every metric of every hour, channel and flow as by hand', async () => {
    const result = await rollupHours(systemEm(orm), { ...day, tenantId: t.tenantId });
    expect(result.rows).toBe(4);
    expect(sorted(await rollupRows(orm, t.tenantId))).toEqual(sorted(expectedRows(t)));
    // Only the tenant asked for: the other one, with the same day, has no rows yet.
    expect(await rollupRows(orm, other.tenantId)).toEqual([]);
  });

  it('is idempotent: a second run, and one over every tenant, change nothing of the tenant', async () => {
    const before = await rollupRows(orm, t.tenantId);
    await rollupHours(systemEm(orm), { ...day, tenantId: t.tenantId });
    expect(await rollupRows(orm, t.tenantId)).toEqual(before);
    await rollupHours(systemEm(orm), day);
    expect(await rollupRows(orm, t.tenantId)).toEqual(before);
    expect(sorted(await rollupRows(orm, other.tenantId))).toEqual(sorted(expectedRows(other)));
  });

  it('takes a late row into its own hour only, on the next run over that hour', async () => {
    await addMessage((sql, params) => systemEm(orm).getConnection().execute(sql, params, 'run'), {
      tenantId: t.tenantId,
      conversationId: ids.c1,
      direction: 'in',
      author: 'contact',
      at: at('10:30:00'),
      promptTokens: 0,
    });
    await rollupHours(systemEm(orm), { from: at('10:00:00'), to: at('11:00:00'), tenantId: t.tenantId });
    const rows = await rollupRows(orm, t.tenantId);
    const ten = rows.find((r) => r.hour === at('10:00:00').toISOString());
    expect(ten).toMatchObject({ messages_in: 3, first_response_count: 1, first_response_ms_sum: 30_000 });
    // The 11:00 rows were not in the range and are as they were.
    expect(sorted(rows.filter((r) => r.hour !== at('10:00:00').toISOString()))).toEqual(sorted(expectedRows(t).filter((r) => r.hour !== at('10:00:00').toISOString())));
  });

  it('backfills from a date, a week per step, to the same rows', async () => {
    const em = systemEm(orm);
    await em.getConnection().execute(`delete from analytics_hourly where tenant_id = ?`, [other.tenantId], 'run');
    const result = await backfillAnalytics(em, { tenantId: other.tenantId, from: new Date(`${DAY}T00:00:00Z`), now: new Date('2026-03-20T00:00:00Z') });
    // Ten days of hours, and the hour `now` starts.
    expect(result).toMatchObject({ rows: 4, hours: 241 });
    expect(sorted(await rollupRows(orm, other.tenantId))).toEqual(sorted(expectedRows(other)));
    // From the tenant's first activity when no date is given.
    const fromStart = await backfillAnalytics(em, { tenantId: other.tenantId, now: new Date('2026-03-11T00:00:00Z') });
    expect(fromStart?.from.toISOString()).toBe(at('10:00:00').toISOString());
  });

  it('runs as a command: npm run analytics:backfill -- --tenant id --from date', async () => {
    const em = systemEm(orm);
    await em.getConnection().execute(`delete from analytics_hourly where tenant_id = ?`, [other.tenantId], 'run');
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'db/cli.ts', 'analytics:backfill', '--tenant', other.tenantId, '--from', DAY], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: inject('databaseUrl') },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/rolled up \d+ hour\(s\) from 2026-03-10T00:00:00.000Z: 4 row\(s\)/);
    expect(sorted(await rollupRows(orm, other.tenantId))).toEqual(sorted(expectedRows(other)));
    const bad = spawnSync(process.execPath, ['--import', 'tsx', 'db/cli.ts', 'analytics:backfill', '--since', DAY], { cwd: root, env: { ...process.env, DATABASE_URL: inject('databaseUrl') }, encoding: 'utf8' });
    expect([bad.status, bad.stderr.trim()]).toEqual([1, 'unknown or incomplete option --since: expected --tenant <id> or --from <date>']);
  }, 90_000);
});
