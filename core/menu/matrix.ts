/**
 * The menu engineering matrix (Kasavana & Smith, 1982), per category:
 * - popularity: an item's share of the category's units sold against 70 % of the fair share
 *   (0.7 × 1/n for n items); at or above it the item is popular;
 * - contribution margin: price − food cost per unit, against the category's weighted average
 *   (Σ unit CM × units / Σ units); at or above it the margin is high.
 * Star = popular and high margin, Plowhorse = popular and low margin, Puzzle = unpopular and high
 * margin, Dog = neither. Items without a food cost are left out (and listed), as are items not on
 * sale in the period when `includeUnsold` is false.
 */
import type { CategoryMatrix, DailySale, ItemTrend, MatrixItem, MenuClass, MenuItem, MenuMatrix } from './types';

export const POPULARITY_FACTOR = 0.7;

const classOf = (popular: boolean, highMargin: boolean): MenuClass => (popular ? (highMargin ? 'star' : 'plowhorse') : highMargin ? 'puzzle' : 'dog');

export interface MatrixOptions {
  from: string;
  to: string;
  /** Only this category. */
  category?: string;
}

/** Sums sales per item over [from, to] (days inclusive). */
export function salesByItem(sales: readonly DailySale[], from: string, to: string): Map<string, { sold: number; revenueCents: number }> {
  const out = new Map<string, { sold: number; revenueCents: number }>();
  for (const s of sales) {
    if (s.day < from || s.day > to) continue;
    const t = out.get(s.itemId) ?? { sold: 0, revenueCents: 0 };
    t.sold += s.quantity;
    t.revenueCents += s.revenueCents;
    out.set(s.itemId, t);
  }
  return out;
}

/** The matrix of the items that are active (or sold something) in the period. */
export function buildMatrix(items: readonly MenuItem[], sales: readonly DailySale[], opts: MatrixOptions): MenuMatrix {
  const totals = salesByItem(sales, opts.from, opts.to);
  const excluded: MenuMatrix['excluded'] = [];
  const byCategory = new Map<string, MenuItem[]>();
  for (const item of items) {
    if (opts.category && item.category !== opts.category) continue;
    if (!item.active && !totals.has(item.id)) continue;
    if (item.foodCostCents === null) {
      excluded.push({ itemId: item.id, name: item.name, reason: 'no food cost: its contribution margin is unknown' });
      continue;
    }
    byCategory.set(item.category, [...(byCategory.get(item.category) ?? []), item]);
  }
  const categories = [...byCategory.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([category, list]) => categoryMatrix(category, list, totals));
  return { from: opts.from, to: opts.to, categories, excluded };
}

function categoryMatrix(category: string, items: MenuItem[], totals: Map<string, { sold: number; revenueCents: number }>): CategoryMatrix {
  const n = items.length;
  const rows = items.map((item) => {
    const t = totals.get(item.id) ?? { sold: 0, revenueCents: 0 };
    const unitCmCents = item.priceCents - item.foodCostCents!;
    return { item, sold: t.sold, revenueCents: t.revenueCents, unitCmCents, totalCmCents: unitCmCents * t.sold };
  });
  const totalSold = rows.reduce((s, r) => s + r.sold, 0);
  const totalCm = rows.reduce((s, r) => s + r.totalCmCents, 0);
  const popularityThreshold = POPULARITY_FACTOR / n;
  // With nothing sold the weighted average is undefined; the plain average of unit CMs stands in.
  const averageCmCents = totalSold > 0 ? totalCm / totalSold : rows.reduce((s, r) => s + r.unitCmCents, 0) / n;
  const matrixItems: MatrixItem[] = rows.map((r) => {
    const mixShare = totalSold > 0 ? r.sold / totalSold : 0;
    const popular = totalSold > 0 && mixShare >= popularityThreshold - 1e-12;
    const highMargin = r.unitCmCents >= averageCmCents - 1e-9;
    return {
      itemId: r.item.id,
      name: r.item.name,
      category,
      priceCents: r.item.priceCents,
      foodCostCents: r.item.foodCostCents!,
      unitCmCents: r.unitCmCents,
      sold: r.sold,
      revenueCents: r.revenueCents,
      totalCmCents: r.totalCmCents,
      mixShare,
      popularity: popular ? 'high' : 'low',
      margin: highMargin ? 'high' : 'low',
      class: classOf(popular, highMargin),
    };
  });
  matrixItems.sort((a, b) => b.totalCmCents - a.totalCmCents || a.name.localeCompare(b.name));
  return { category, itemCount: n, totalSold, popularityThreshold, averageCmCents, items: matrixItems };
}

/** Each item's class and volume in two matrices (the earlier period first). */
export function matrixTrends(before: MenuMatrix, after: MenuMatrix): ItemTrend[] {
  const flat = (m: MenuMatrix) => new Map(m.categories.flatMap((c) => c.items.map((i) => [i.itemId, i] as const)));
  const a = flat(before);
  const b = flat(after);
  const ids = [...new Set([...a.keys(), ...b.keys()])];
  return ids
    .map((id): ItemTrend => {
      const x = a.get(id);
      const y = b.get(id);
      const soldBefore = x?.sold ?? 0;
      const soldAfter = y?.sold ?? 0;
      return {
        itemId: id,
        name: (y ?? x)!.name,
        category: (y ?? x)!.category,
        before: x?.class ?? null,
        after: y?.class ?? null,
        soldBefore,
        soldAfter,
        soldChange: soldBefore > 0 ? (soldAfter - soldBefore) / soldBefore : null,
        unitCmBeforeCents: x?.unitCmCents ?? null,
        unitCmAfterCents: y?.unitCmCents ?? null,
      };
    })
    .sort((p, q) => p.category.localeCompare(q.category) || p.name.localeCompare(q.name));
}

/** Every matrix item, flat. */
export const matrixItems = (m: MenuMatrix): MatrixItem[] => m.categories.flatMap((c) => c.items);
