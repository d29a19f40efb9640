/**
 * The pure models against examples worked by hand: the matrix of the fixture menu, the
 * recommendations' arithmetic, the promotion rules, the forecast (weekday index, trend, backtest
 * MAPE), and the CSV row reader with the money and date formats POS exports use.
 */
import { describe, expect, it } from 'vitest';
import { importMenuRow, parseDay } from '../../core/menu/csv';
import { backtest, denseSeries, fitDemand, mape, predict } from '../../core/menu/forecast';
import { buildMatrix, matrixTrends } from '../../core/menu/matrix';
import { parseMoney } from '../../core/menu/money';
import { proposePromotions, slowDays } from '../../core/menu/promotions';
import { recommendations } from '../../core/menu/recommendations';
import type { DailySale, MenuItem } from '../../core/menu/types';

const item = (id: string, name: string, price: number, cost: number | null, category = 'Mains'): MenuItem => ({ id, name, category, priceCents: price, foodCostCents: cost, currency: 'USD', source: 'csv', externalId: null, active: true });
const ITEMS = [item('s', 'Steak', 2800, 1200), item('p', 'Pasta', 1400, 400), item('f', 'Fish', 2400, 900), item('t', 'Tofu', 1100, 600)];
/** The fixture's four weeks in one day each (the matrix only sums): Steak 156, Pasta 260, Fish 28, Tofu 28. */
const SALES: DailySale[] = [
  { itemId: 's', day: '2026-11-10', quantity: 156, revenueCents: 156 * 2800 },
  { itemId: 'p', day: '2026-11-10', quantity: 260, revenueCents: 260 * 1400 },
  { itemId: 'f', day: '2026-11-10', quantity: 28, revenueCents: 28 * 2400 },
  { itemId: 't', day: '2026-11-10', quantity: 28, revenueCents: 28 * 1100 },
];

describe('the matrix', () => {
  const m = buildMatrix(ITEMS, SALES, { from: '2026-11-01', to: '2026-11-30' });
  const mains = m.categories[0]!;

  it('classifies by 70 % of fair share and the weighted average margin', () => {
    // 472 units; Σ CM = 156×1600 + 260×1000 + 28×1500 + 28×500 = 565,600 → 1198.305… per unit.
    expect(mains.totalSold).toBe(472);
    expect(mains.averageCmCents).toBeCloseTo(565_600 / 472, 9);
    expect(mains.popularityThreshold).toBeCloseTo(0.175, 12);
    const by = Object.fromEntries(mains.items.map((i) => [i.name, i]));
    expect(by.Steak).toMatchObject({ class: 'star', unitCmCents: 1600, totalCmCents: 249_600 });
    expect(by.Steak!.mixShare).toBeCloseTo(156 / 472, 12);
    expect(by.Pasta).toMatchObject({ class: 'plowhorse', popularity: 'high', margin: 'low' });
    expect(by.Fish).toMatchObject({ class: 'puzzle', popularity: 'low', margin: 'high' });
    expect(by.Tofu).toMatchObject({ class: 'dog' });
  });

  it('leaves out items without a food cost and keeps categories apart', () => {
    const withDrinks = buildMatrix([...ITEMS, item('c', 'Cola', 300, 50, 'Drinks'), item('w', 'Wine', 900, null, 'Drinks')], SALES, { from: '2026-11-01', to: '2026-11-30' });
    expect(withDrinks.categories.map((c) => c.category)).toEqual(['Drinks', 'Mains']);
    expect(withDrinks.excluded).toEqual([{ itemId: 'w', name: 'Wine', reason: expect.stringContaining('no food cost') }]);
    // A category of one unsold item: fair share 100 %, nothing sold, so not popular; its own average margin.
    expect(withDrinks.categories[0]).toMatchObject({ itemCount: 1, totalSold: 0, averageCmCents: 250 });
    expect(withDrinks.categories[0]!.items[0]!.class).toBe('puzzle');
  });

  it('follows an item from one period to the next', () => {
    const later = buildMatrix(ITEMS, [...SALES.filter((s) => s.itemId !== 'f'), { itemId: 'f', day: '2026-12-10', quantity: 200, revenueCents: 0 }].map((s) => ({ ...s, day: '2026-12-10' })), { from: '2026-12-01', to: '2026-12-31' });
    const fish = matrixTrends(m, later).find((t) => t.name === 'Fish')!;
    // 200 of 644 = 31 % ≥ 17.5 %: the puzzle became a star.
    expect(fish).toMatchObject({ before: 'puzzle', after: 'star', soldBefore: 28, soldAfter: 200 });
    expect(fish.soldChange).toBeCloseTo(172 / 28, 12);
  });

  it('recommends per quadrant with the arithmetic', () => {
    const recs = Object.fromEntries(recommendations(m).map((r) => [r.name, r]));
    // Fish: needs x ≥ 0.175 × 444 / 0.825 = 94.18 → 95 sold, 67 more × $15.00 = $1,005.00.
    expect(recs.Fish).toMatchObject({ action: 'reposition', impactCents: 100_500 });
    expect(recs.Fish!.arithmetic.join('\n')).toContain('it needs 95 sold');
    // Pasta: gap $11.98 − $10.00 = $1.98, capped at 10 % of $14.00 = $1.40; × 260 = $364.00.
    expect(recs.Pasta).toMatchObject({ action: 'reprice', impactCents: 36_400 });
    expect(recs.Pasta!.summary).toContain('$15.40');
    // Tofu: 5.9 % < 8.75 % → remove; (1198.31 − 500) × 28 = 19,552.5 → $195.53.
    expect(recs.Tofu).toMatchObject({ action: 'remove', impactCents: 19_553 });
    expect(recs.Steak).toMatchObject({ action: 'keep', impactCents: 0 });
    expect(recommendations(m).map((r) => r.name)).toEqual(['Fish', 'Pasta', 'Tofu', 'Steak']);
  });

  it('proposes promotions for the puzzle and the slow day, discounting no further than the average margin', () => {
    // Tuesdays sell 10 units, the other days 18: the average open day is 118 / 7 = 16.86; 10 / 16.86 = 59 %.
    const week = [18, 10, 18, 18, 18, 18, 18].map((averageSold, weekday) => ({ weekday, averageSold, days: 4 }));
    expect(slowDays(week).days.map((d) => d.weekday)).toEqual([1]);
    const proposals = proposePromotions(m, week);
    expect(proposals.map((p) => [p.kind, p.title, p.weekday])).toEqual([
      ['puzzle', 'Fish on Tuesdays', 1],
      ['slow_day', 'Tuesday special: Steak', 1],
    ]);
    // Fish: room $15.00 − $11.98 = $3.01, under 15 % of $24.00 ($3.60), in 50-cent steps: $3.00.
    expect(proposals[0]!.offer).toBe('Fish for $21.00 instead of $24.00');
    // Steak: room $4.01, cap $4.20 → $4.00.
    expect(proposals[1]!.offer).toBe('Every Tuesday: Steak for $24.00 instead of $28.00');
    expect(proposals[0]!.rationale.join(' ')).toContain('Tuesday is the slowest day');
    // No day under 85 %: no slow-day promotion, and the puzzle gets no day.
    const even = proposePromotions(m, week.map((w) => ({ ...w, averageSold: 18 })));
    expect(even.map((p) => [p.kind, p.weekday])).toEqual([['puzzle', null]]);
  });
});

describe('the forecast', () => {
  it('learns the weekday index and scores the held-out week (MAPE by hand)', () => {
    // Two weeks of Mon…Sun 10, 5, 10, 10, 10, 20, 5: mean 10, index 1, .5, 1, 1, 1, 2, .5; level 10, no trend.
    const week = [10, 5, 10, 10, 10, 20, 5];
    const held = [12, 5, 8, 10, 10, 16, 5];
    const series = { from: '2026-11-02', values: [...week, ...week, ...held] };
    const bt = backtest(series, 1)!;
    expect(bt).toMatchObject({ trainFrom: '2026-11-02', trainTo: '2026-11-15', testFrom: '2026-11-16', testTo: '2026-11-22', scoredDays: 7, zeroDays: 0 });
    expect(bt.days.map((d) => Number(d.forecast.toFixed(9)))).toEqual(week);
    // |12−10|/12 + |8−10|/8 + |16−20|/16 = 1/6 + 1/4 + 1/4 = 2/3, over 7 days = 2/21.
    expect(bt.mape).toBeCloseTo(2 / 21, 12);
    const model = fitDemand({ from: series.from, values: [...week, ...week] });
    expect(model.seasonalIndex.map((x) => Number(x.toFixed(12)))).toEqual([1, 0.5, 1, 1, 1, 2, 0.5]);
    expect(model.level).toBeCloseTo(10, 9);
    expect(model.slopePerDay).toBeCloseTo(0, 12);
  });

  it('keeps a trend out of the weekday index and extends it', () => {
    // 10 + 0.5 t, no weekday pattern: the centred weeks equal the days, the index is all 1, the line is exact.
    const values = Array.from({ length: 28 }, (_, t) => 10 + 0.5 * t);
    const model = fitDemand({ from: '2026-11-02', values: values.slice(0, 21) });
    for (const s of model.seasonalIndex) expect(s).toBeCloseTo(1, 12);
    expect(model.level).toBeCloseTo(10, 9);
    expect(model.slopePerDay).toBeCloseTo(0.5, 12);
    expect(predict(model, '2026-11-23')).toBeCloseTo(20.5, 9);
    expect(backtest({ from: '2026-11-02', values }, 1)!.mape).toBeCloseTo(0, 12);
  });

  it('fills missing days with zeros, leaves zero days out of MAPE, and needs two training weeks', () => {
    expect(denseSeries([{ day: '2026-11-03', quantity: 4 }, { day: '2026-11-03', quantity: 1 }], '2026-11-02', '2026-11-04').values).toEqual([0, 5, 0]);
    expect(mape([{ actual: 0, forecast: 3 }, { actual: 4, forecast: 3 }])).toBeCloseTo(0.25, 12);
    expect(mape([{ actual: 0, forecast: 3 }])).toBeNull();
    expect(backtest({ from: '2026-11-02', values: new Array(20).fill(1) }, 1)).toBeNull();
    const empty = fitDemand({ from: '2026-11-02', values: new Array(21).fill(0) });
    expect(empty).toMatchObject({ seasonalIndex: [1, 1, 1, 1, 1, 1, 1], level: 0, slopePerDay: 0 });
  });
});

describe('CSV rows and money', () => {
  const opts = { dateOrder: 'mdy' as const, today: '2026-12-05' };
  const fields = ['date', 'name', 'category', 'price', 'foodCost', 'quantity', 'revenue', 'sku'];

  it('reads amounts and dates as exports write them', () => {
    expect(['$12.50', '12,50', '1.250,00', '1,250.00', 'USD 7', '€ 3,5', ' 9 '].map(parseMoney)).toEqual([1250, 1250, 125_000, 125_000, 700, 350, 900]);
    expect(parseMoney('twelve')).toBeNull();
    expect(parseDay('2026-11-03T18:22:00Z', 'mdy')).toBe('2026-11-03');
    expect(parseDay('11/03/2026', 'mdy')).toBe('2026-11-03');
    expect(parseDay('03/11/2026', 'dmy')).toBe('2026-11-03');
    expect(parseDay('02/30/2026', 'mdy')).toBeNull();
    expect(parseDay('13/01/26', 'mdy')).toBeNull();
  });

  it('maps a sale row, deriving the price from the revenue', () => {
    expect(importMenuRow(['11/03/2026', 'Fish', 'Mains', '', '9', '2', '48', ''], fields, 2, opts)).toEqual({
      key: 'name:fish',
      name: 'Fish',
      category: 'Mains',
      priceCents: 2400,
      foodCostCents: 900,
      sku: null,
      sale: { day: '2026-11-03', quantity: 2, revenueCents: 4800 },
    });
    expect(importMenuRow(['', 'Fish', '', '24', '', '', '', 'F-1'], fields, 2, opts)).toMatchObject({ key: 'sku:F-1', sale: null, priceCents: 2400 });
  });

  it('rejects a bad row naming the field and why', () => {
    const cases: [string[], string, RegExp][] = [
      [['2026-11-03', '', 'Mains', '24', '', '1', '', ''], 'name', /no item name/],
      [['2026-13-03', 'Fish', '', '24', '', '1', '', ''], 'date', /not a date/],
      [['2026-12-24', 'Fish', '', '24', '', '1', '', ''], 'date', /in the future/],
      [['2026-11-03', 'Fish', '', '24', '', '-1', '', ''], 'quantity', /refund/],
      [['2026-11-03', 'Fish', '', '24', '', 'two', '', ''], 'quantity', /not a number/],
      [['', 'Fish', '', '24', '', '2', '', ''], 'date', /needs a date/],
      [['2026-11-03', 'Fish', '', '24', '', '', '', ''], 'quantity', /needs the quantity/],
      [['2026-11-03', 'Fish', '', 'cheap', '', '1', '', ''], 'price', /not an amount/],
      [['2026-11-03', 'Fish', '', '24', '30', '1', '', ''], 'foodCost', /more than the price/],
    ];
    for (const [cells, field, message] of cases) {
      const r = importMenuRow(cells, fields, 7, opts);
      expect(r, cells.join(',')).toMatchObject({ row: 7, field });
      expect((r as { message: string }).message).toMatch(message);
    }
  });
});
