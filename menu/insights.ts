/**
 * What the menu pages read, put together from the store and the pure models in core/menu: the
 * default period, trends between two periods, the demand forecast with its backtest, and the
 * recommendations.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { denseSeries, fromDayIndex, seriesForecast, toDayIndex, type SeriesForecast } from '../core/menu/forecast';
import { matrixTrends } from '../core/menu/matrix';
import { recommendations } from '../core/menu/recommendations';
import type { ItemTrend, MenuMatrix, Recommendation } from '../core/menu/types';
import { dailySales, listMenuItems, menuMatrixFor, salesSpan, type PeriodQuery } from './store';

export const DEFAULT_PERIOD_DAYS = 28;
/** Items forecast one by one in one answer (the busiest); the total covers them all. */
export const MAX_FORECAST_ITEMS = 50;

const shift = (day: string, days: number) => fromDayIndex(toDayIndex(day) + days);

/** The period asked for, or the 28 days up to the last day with sales (today when there are none). */
export async function resolvePeriod(em: EntityManager, tenantId: string, q: { from?: string; to?: string }): Promise<PeriodQuery> {
  const to = q.to ?? (q.from ? shift(q.from, DEFAULT_PERIOD_DAYS - 1) : ((await salesSpan(em, tenantId))?.last ?? new Date().toISOString().slice(0, 10)));
  return { from: q.from ?? shift(to, -(DEFAULT_PERIOD_DAYS - 1)), to };
}

/** The tenant's currency: the one its items are priced in (the first), else USD. */
export async function menuCurrency(em: EntityManager, tenantId: string): Promise<string> {
  return (await listMenuItems(em, tenantId))[0]?.currency ?? 'USD';
}

export async function matrixWithCurrency(em: EntityManager, tenantId: string, q: PeriodQuery & { category?: string }): Promise<MenuMatrix & { currency: string }> {
  const [matrix, currency] = await Promise.all([menuMatrixFor(em, tenantId, q), menuCurrency(em, tenantId)]);
  return { ...matrix, currency };
}

/** The period against the one before it (of the same length), or against the one given. */
export async function trendsFor(em: EntityManager, tenantId: string, after: PeriodQuery, previous: { from?: string; to?: string }): Promise<{ before: PeriodQuery; after: PeriodQuery; items: ItemTrend[] }> {
  const length = toDayIndex(after.to) - toDayIndex(after.from) + 1;
  const before = {
    from: previous.from ?? shift(previous.to ?? shift(after.from, -1), -(length - 1)),
    to: previous.to ?? (previous.from ? shift(previous.from, length - 1) : shift(after.from, -1)),
  };
  const [a, b] = await Promise.all([menuMatrixFor(em, tenantId, before), menuMatrixFor(em, tenantId, after)]);
  return { before, after, items: matrixTrends(a, b) };
}

export async function recommendationsFor(em: EntityManager, tenantId: string, period: PeriodQuery): Promise<Recommendation[]> {
  const m = await matrixWithCurrency(em, tenantId, period);
  return recommendations(m, m.currency);
}

export interface ForecastQuery {
  itemId?: string;
  weeks: number;
  holdoutWeeks: number;
  days: number;
  to?: string;
}

/** The total and each item's model over `weeks` whole weeks up to `to` (default: the last day with sales). */
export async function forecastFor(em: EntityManager, tenantId: string, q: ForecastQuery): Promise<{ from: string; to: string; holdoutWeeks: number; total: SeriesForecast; items: SeriesForecast[] }> {
  const to = q.to ?? (await salesSpan(em, tenantId))?.last ?? new Date().toISOString().slice(0, 10);
  const from = shift(to, -(q.weeks * 7 - 1));
  const [items, sales] = await Promise.all([listMenuItems(em, tenantId), dailySales(em, tenantId, { from, to, ...(q.itemId ? { itemIds: [q.itemId] } : {}) })]);
  const byItem = new Map<string, typeof sales>();
  for (const s of sales) byItem.set(s.itemId, [...(byItem.get(s.itemId) ?? []), s]);
  const volume = (id: string) => (byItem.get(id) ?? []).reduce((t, s) => t + s.quantity, 0);
  const chosen = items
    .filter((i) => (q.itemId ? i.id === q.itemId : byItem.has(i.id)))
    .sort((a, b) => volume(b.id) - volume(a.id))
    .slice(0, MAX_FORECAST_ITEMS);
  return {
    from,
    to,
    holdoutWeeks: q.holdoutWeeks,
    total: seriesForecast(null, q.itemId ? (chosen[0]?.name ?? 'Item') : 'All items', denseSeries(sales, from, to), q.holdoutWeeks, q.days),
    items: chosen.map((i) => seriesForecast(i.id, i.name, denseSeries(byItem.get(i.id) ?? [], from, to), q.holdoutWeeks, q.days)),
  };
}
