/**
 * What menu engineering costs at a large restaurant's size, on a scratch PostgreSQL database: a
 * POS export of `--items` items × `--days` days (one line per item and day) imported, imported
 * again (the idempotent path), then the matrix of the last 28 days and the forecast of every item
 * over 12 weeks, each timed several times. Writes bench/results/menu.json.
 *
 *   npm run bench:menu [-- --items 120 --days 365]
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createOrm, systemEm, tenantEm } from '../db/orm';
import { ensureTenant } from '../db/repos';
import { importMenuCsv } from '../menu/csv-import';
import { forecastFor } from '../menu/insights';
import { menuMatrixFor } from '../menu/store';
import { createScratchDatabase, DEFAULT_ADMIN_URL } from '../test/support/database';
import { summarize, writeResult } from './stats';

const { values } = parseArgs({ options: { items: { type: 'string', default: '120' }, days: { type: 'string', default: '365' }, runs: { type: 'string', default: '5' } } });
const ITEMS = Number(values.items);
const DAYS = Number(values.days);
const RUNS = Number(values.runs);
const out = fileURLToPath(new URL('./results/menu.json', import.meta.url));

const start = Date.parse('2025-11-30T00:00:00Z');
const lastDay = new Date(start + (DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
const lines = ['Date,Item,Category,Price,Unit Cost,Qty'];
for (let d = 0; d < DAYS; d++) {
  const day = new Date(start + d * 86_400_000).toISOString().slice(0, 10);
  const weekday = new Date(start + d * 86_400_000).getUTCDay();
  for (let i = 0; i < ITEMS; i++) {
    const qty = Math.max(0, Math.round(((i % 17) + 3) * (weekday === 5 || weekday === 6 ? 1.6 : weekday === 2 ? 0.6 : 1) * (1 + d / 1000) + ((i * 7 + d * 13) % 5) - 2));
    lines.push(`${day},Dish ${i},Category ${i % 6},${(12 + (i % 20)).toFixed(2)},${(3 + (i % 9)).toFixed(2)},${qty}`);
  }
}
const csv = `${lines.join('\n')}\n`;

const db = await createScratchDatabase(process.env.BENCH_DATABASE_ADMIN_URL ?? DEFAULT_ADMIN_URL, 'switchboard_bench_menu');
const orm = await createOrm(db.url, { poolSize: 4 });
try {
  const tenantId = (await ensureTenant(systemEm(orm), `bench-menu-${Date.now()}`, 'Menu bench')).id;
  const em = tenantEm(orm, tenantId);
  const timed = async <T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> => {
    const started = performance.now();
    const value = await run();
    return { ms: performance.now() - started, value };
  };
  const first = await timed(() => importMenuCsv(em, tenantId, csv, { today: lastDay }));
  const again = await timed(() => importMenuCsv(em, tenantId, csv, { today: lastDay }));
  const matrixMs: number[] = [];
  const forecastMs: number[] = [];
  let meanMape = 0;
  for (let r = 0; r < RUNS; r++) {
    matrixMs.push((await timed(() => menuMatrixFor(em, tenantId, { from: new Date(start + (DAYS - 28) * 86_400_000).toISOString().slice(0, 10), to: lastDay }))).ms);
    const f = await timed(() => forecastFor(em, tenantId, { weeks: 12, holdoutWeeks: 2, days: 7, to: lastDay }));
    forecastMs.push(f.ms);
    const mapes = f.value.items.map((i) => i.backtest?.mape).filter((m): m is number => m !== null && m !== undefined);
    meanMape = mapes.reduce((s, m) => s + m, 0) / (mapes.length || 1);
  }
  const result = {
    at: new Date().toISOString(),
    items: ITEMS,
    days: DAYS,
    csvRows: ITEMS * DAYS,
    csvMB: Math.round((csv.length / 1024 / 1024) * 10) / 10,
    importMs: Math.round(first.ms),
    importRowsPerSecond: Math.round((ITEMS * DAYS) / (first.ms / 1000)),
    reimportMs: Math.round(again.ms),
    reimportChanged: { created: again.value.items.created, salesDays: again.value.sales.days },
    matrix28DaysMs: summarize(matrixMs),
    forecast12WeeksAllItemsMs: summarize(forecastMs),
    forecastedItems: Math.min(ITEMS, 50),
    meanItemMape: Math.round(meanMape * 1000) / 1000,
  };
  console.log(JSON.stringify(result, null, 2));
  writeResult(out, result);
} finally {
  await orm.close(true);
  await db.drop();
}
