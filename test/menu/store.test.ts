/**
 * The menu store on real PostgreSQL: idempotent item upserts, sales replaced per (item, day), the
 * matrix of a period, top/bottom items and sales by weekday, each against figures worked by hand,
 * and tenant B's rows never in tenant A's answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantEm, type Orm } from '../../db/orm';
import { dailySales, listMenuItems, menuMatrixFor, replaceSales, salesByWeekday, topItems, upsertMenuItems, weekdayCounts } from '../../menu/store';
import { makeTenant, testOrm } from '../db/fixtures';

let orm: Orm;
let a: string;
let b: string;
beforeAll(async () => {
  orm = await testOrm();
  [a, b] = (await Promise.all([makeTenant(orm), makeTenant(orm)])).map((t) => t.tenantId) as [string, string];
});
afterAll(() => orm.close(true));

const item = (key: string, name: string, price: number, cost: number | null) => ({ key, name, category: 'Mains', priceCents: price, foodCostCents: cost, currency: 'USD', source: 'csv' as const, externalId: null });

describe('menu store', () => {
  it('upserts items by key without erasing a food cost it is not given', async () => {
    const em = tenantEm(orm, a);
    const first = await upsertMenuItems(em, a, [item('sku:1', 'Burger', 1500, 500), item('sku:2', 'Salad', 1200, 300)]);
    expect([first.created, first.updated]).toEqual([2, 0]);
    const again = await upsertMenuItems(em, a, [item('sku:1', 'Burger', 1600, null)]);
    expect([again.created, again.updated]).toEqual([0, 1]);
    expect(again.ids.get('sku:1')).toBe(first.ids.get('sku:1'));
    const items = await listMenuItems(em, a);
    expect(items.find((i) => i.name === 'Burger')).toMatchObject({ priceCents: 1600, foodCostCents: 500 });
    expect(await listMenuItems(tenantEm(orm, b), b)).toEqual([]);
  });

  it('replaces a day of sales instead of adding to it, and refuses another tenant’s item', async () => {
    const em = tenantEm(orm, a);
    const ids = (await upsertMenuItems(em, a, [item('sku:1', 'Burger', 1600, 500)])).ids;
    const burger = ids.get('sku:1')!;
    await replaceSales(em, a, [{ itemId: burger, day: '2026-11-02', quantity: 4, revenueCents: 6400 }], 'csv');
    await replaceSales(em, a, [{ itemId: burger, day: '2026-11-02', quantity: 5, revenueCents: 8000 }], 'csv');
    expect(await dailySales(em, a, { from: '2026-11-01', to: '2026-11-30' })).toEqual([{ itemId: burger, day: '2026-11-02', quantity: 5, revenueCents: 8000 }]);
    // Tenant B naming A's item id stores nothing.
    expect(await replaceSales(tenantEm(orm, b), b, [{ itemId: burger, day: '2026-11-03', quantity: 9, revenueCents: 1 }], 'csv')).toBe(0);
  });

  it('answers the matrix, top and bottom items and weekday sales of a period', async () => {
    const t = (await makeTenant(orm)).tenantId;
    const em = tenantEm(orm, t);
    // Four mains. Fair share 1/4 = 25 %, threshold 0.7 × 25 % = 17.5 %.
    const { ids } = await upsertMenuItems(em, t, [item('a', 'Steak', 2800, 1200), item('b', 'Pasta', 1400, 400), item('c', 'Fish', 2400, 900), item('d', 'Tofu', 1100, 600)]);
    const day = (d: string, key: string, q: number, price: number) => ({ itemId: ids.get(key)!, day: d, quantity: q, revenueCents: q * price });
    // 2026-11-02 is a Monday, 2026-11-06 a Friday.
    await replaceSales(em, t, [day('2026-11-02', 'a', 20, 2800), day('2026-11-02', 'b', 50, 1400), day('2026-11-06', 'c', 10, 2400), day('2026-11-06', 'd', 20, 1100)], 'csv');
    const m = await menuMatrixFor(em, t, { from: '2026-11-01', to: '2026-11-07' });
    const mains = m.categories[0]!;
    // Units 100; CMs 1600, 1000, 1500, 500 → total CM 20×1600 + 50×1000 + 10×1500 + 20×500 = 107,000; average 1070.
    expect(mains.totalSold).toBe(100);
    expect(mains.averageCmCents).toBeCloseTo(1070, 9);
    expect(mains.popularityThreshold).toBeCloseTo(0.175, 12);
    const cls = Object.fromEntries(mains.items.map((i) => [i.name, i.class]));
    // Steak 20 % ≥ 17.5 %, 1600 ≥ 1070: star. Pasta 50 %, 1000 < 1070: plowhorse. Fish 10 %, 1500: puzzle. Tofu 20 %, 500: plowhorse.
    expect(cls).toEqual({ Steak: 'star', Pasta: 'plowhorse', Fish: 'puzzle', Tofu: 'plowhorse' });

    expect((await topItems(em, t, { from: '2026-11-01', to: '2026-11-07', by: 'quantity', limit: 2 })).map((r) => r.name)).toEqual(['Pasta', 'Steak']);
    expect((await topItems(em, t, { from: '2026-11-01', to: '2026-11-07', by: 'margin', order: 'bottom', limit: 1 }))[0]).toMatchObject({ name: 'Tofu', marginCents: 10_000 });

    const weekdays = await salesByWeekday(em, t, { from: '2026-11-02', to: '2026-11-15' });
    expect(weekdays[0]).toMatchObject({ weekday: 0, sold: 70, days: 2, averageSold: 35 });
    expect(weekdays[4]).toMatchObject({ weekday: 4, sold: 30, days: 2, averageSold: 15 });
    expect(weekdays[6]).toMatchObject({ sold: 0, days: 2 });
    expect(weekdayCounts('2026-11-02', '2026-11-04')).toEqual([1, 1, 1, 0, 0, 0, 0]);
  });
});
