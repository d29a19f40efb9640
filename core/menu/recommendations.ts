/**
 * What to do with each item of the matrix, with the arithmetic written out (Kasavana & Smith's
 * usual advice per quadrant, made concrete with the period's figures):
 * - Star: keep it as it is (placement, portion, quality); the figure is what it earns.
 * - Plowhorse (popular, low margin): reprice — the price rise that brings its unit margin to the
 *   category's average, capped at 10 % of the price, and what that is worth at today's volume.
 * - Puzzle (high margin, unpopular): reposition — the extra units that would make it popular and
 *   the margin they bring.
 * - Dog: rework when it still sells at least half the popularity threshold (the food-cost cut that
 *   brings it to the average margin), otherwise remove — and what moving its guests to an average
 *   item of the category is worth.
 */
import { formatCents } from './money';
import type { CategoryMatrix, MatrixItem, MenuMatrix, Recommendation } from './types';

/** A price rise larger than this share of the price is not proposed in one step. */
export const MAX_PRICE_RISE = 0.1;

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const units = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(1));

function recommend(cat: CategoryMatrix, item: MatrixItem, currency: string): Recommendation {
  const money = (c: number) => formatCents(c, currency);
  const base = { itemId: item.itemId, name: item.name, category: item.category, class: item.class };
  const avg = cat.averageCmCents;
  const mixLine = `Menu mix: ${units(item.sold)} of ${units(cat.totalSold)} ${cat.category} sold = ${pct(item.mixShare)} (threshold 70 % × 1/${cat.itemCount} = ${pct(cat.popularityThreshold)}).`;
  const cmLine = `Contribution margin: ${money(item.priceCents)} − ${money(item.foodCostCents)} food cost = ${money(item.unitCmCents)} (category weighted average ${money(avg)}).`;

  if (item.class === 'star') {
    return {
      ...base,
      action: 'keep',
      summary: `Keep ${item.name} as it is: it sells and earns. Keep its place on the menu and its portion.`,
      arithmetic: [mixLine, cmLine, `It earned ${money(item.unitCmCents)} × ${units(item.sold)} = ${money(item.totalCmCents)} in the period.`],
      impactCents: 0,
    };
  }
  if (item.class === 'plowhorse') {
    const gap = Math.max(0, avg - item.unitCmCents);
    const cap = Math.round(item.priceCents * MAX_PRICE_RISE);
    const rise = Math.ceil(Math.min(gap, cap) / 10) * 10;
    const impact = rise * item.sold;
    return {
      ...base,
      action: 'reprice',
      summary: `Raise ${item.name} by ${money(rise)} to ${money(item.priceCents + rise)} (or cut its food cost by as much): guests already choose it.`,
      arithmetic: [
        mixLine,
        cmLine,
        `Gap to the average margin: ${money(avg)} − ${money(item.unitCmCents)} = ${money(gap)}; a rise is capped at 10 % of the price (${money(cap)}), rounded up to ten cents: ${money(rise)}.`,
        `At the same volume: ${money(rise)} × ${units(item.sold)} = ${money(impact)} more margin per period.`,
      ],
      impactCents: impact,
    };
  }
  if (item.class === 'puzzle') {
    const theta = cat.popularityThreshold;
    const others = cat.totalSold - item.sold;
    // share = x / (others + x) ≥ θ  ⇔  x ≥ θ × others / (1 − θ)
    const needed = theta < 1 ? Math.ceil((theta * others) / (1 - theta)) : item.sold;
    const extra = Math.max(0, needed - item.sold);
    const impact = extra * item.unitCmCents;
    return {
      ...base,
      action: 'reposition',
      summary: `Reposition ${item.name}: a better place on the menu, a server recommendation, a feature or a promotion — it earns well but few order it.`,
      arithmetic: [
        mixLine,
        cmLine,
        `To reach the threshold it needs ${units(needed)} sold (70 % × 1/${cat.itemCount} × (${units(others)} others + x) ≤ x), ${units(extra)} more than now.`,
        `${units(extra)} more × ${money(item.unitCmCents)} = ${money(impact)} more margin per period.`,
      ],
      impactCents: impact,
    };
  }
  const gap = Math.max(0, avg - item.unitCmCents);
  if (item.mixShare >= cat.popularityThreshold / 2) {
    const impact = Math.round(gap * item.sold);
    return {
      ...base,
      action: 'rework',
      summary: `Rework ${item.name}: cut its food cost by ${money(gap)} (recipe, portion, supplier) or rebuild it; it still sells.`,
      arithmetic: [
        mixLine,
        cmLine,
        `It sells at least half the threshold (${pct(item.mixShare)} ≥ ${pct(cat.popularityThreshold / 2)}), so it is worth reworking rather than removing.`,
        `Bringing its margin to the average: ${money(gap)} × ${units(item.sold)} = ${money(impact)} more per period.`,
      ],
      impactCents: impact,
    };
  }
  const impact = Math.round(gap * item.sold);
  return {
    ...base,
    action: 'remove',
    summary: `Remove ${item.name} (or replace it): it sells little and earns less than the category's average.`,
    arithmetic: [
      mixLine,
      cmLine,
      `Its share is under half the threshold (${pct(item.mixShare)} < ${pct(cat.popularityThreshold / 2)}); it earned ${money(item.totalCmCents)} in the period.`,
      `If its ${units(item.sold)} guests order an average ${cat.category} item instead: (${money(avg)} − ${money(item.unitCmCents)}) × ${units(item.sold)} = ${money(impact)} more per period.`,
    ],
    impactCents: impact,
  };
}

/** One recommendation per placed item, the most valuable first (stars last). */
export function recommendations(matrix: MenuMatrix, currency = 'USD'): Recommendation[] {
  return matrix.categories
    .flatMap((cat) => cat.items.map((item) => recommend(cat, item, currency)))
    .sort((a, b) => b.impactCents - a.impactCents || a.name.localeCompare(b.name));
}
