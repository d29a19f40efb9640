/**
 * The assistant's tools over menu data, through the menu module's reads (menu/store.ts via
 * assistant/store.ts): an item's matrix class with the figures that place it, best and worst
 * sellers, and the slow weekdays. Menu periods default to the last 30 days (sales are daily).
 */
import { MENU_CLASS_LABELS, WEEKDAYS, type MatrixItem } from '../core/menu/types';
import { matrixItems } from '../core/menu/matrix';
import { pct } from './format';
import { menuCurrency, menuMatrix, rankedMenuItems, weekdaySales } from './store';
import { capital, failed, mentionedIn, periodOf, str, type Tool } from './tool-kit';

const money = (cents: number, currency: string | null) => `${(cents / 100).toFixed(2)}${currency ? ` ${currency}` : ''}`;
const RANKINGS = ['quantity', 'revenue', 'margin'] as const;
/** Items of the whole matrix given to the model, best sellers first. */
const MATRIX_ITEMS = 60;

function itemLine(i: MatrixItem, threshold: number, averageCm: number, currency: string | null): string {
  return (
    `${i.name} (${i.category}) is a ${MENU_CLASS_LABELS[i.class]}: ${i.sold} sold, ${pct(i.mixShare)} of its category against the ${pct(threshold)} popularity threshold (${i.popularity}), ` +
    `unit margin ${money(i.unitCmCents, currency)} against the category's average ${money(averageCm, currency)} (${i.margin})`
  );
}

const menuMatrixTool: Tool = async (deps, tenantId, args, now) => {
  const resolved = await periodOf(deps, tenantId, args, now, 'last_30_days');
  if ('error' in resolved) return failed(resolved.error);
  const { period } = resolved;
  const category = str(args, 'category');
  const { matrix, items, span } = await menuMatrix(deps.orm, tenantId, { from: period.from, to: period.to, ...(category ? { category } : {}) });
  if (!items.length) return failed('there is no menu yet: import a POS export or connect Square on the Menu page');
  const currency = items[0]!.currency;
  const placed = matrixItems(matrix);
  const wanted = str(args, 'item');
  const question = str(args, 'mentionedIn');
  const item = wanted ? placed.find((i) => i.name.toLowerCase().includes(wanted.toLowerCase())) : question ? mentionedIn(placed, question) : undefined;
  const spanNote = span ? ` Sales are recorded from ${span.first} to ${span.last}.` : ' No sales are recorded yet.';
  if (wanted && !item) {
    const known = items.find((i) => i.name.toLowerCase().includes(wanted.toLowerCase()));
    const why = known ? matrix.excluded.find((e) => e.itemId === known.id)?.reason ?? 'it sold nothing in the period' : 'no menu item has that name';
    return failed(`"${wanted}" is not in the matrix for ${period.label}: ${why}.${spanNote}`);
  }
  if (item) {
    const cat = matrix.categories.find((c) => c.category === item.category)!;
    const line = itemLine(item, cat.popularityThreshold, cat.averageCmCents, currency);
    return {
      content: JSON.stringify({ period, item, category: { category: cat.category, itemCount: cat.itemCount, totalSold: cat.totalSold, popularityThreshold: cat.popularityThreshold, averageCmCents: cat.averageCmCents } }),
      source: { document: `Menu matrix · ${item.name} · ${period.label}`, section: `${MENU_CLASS_LABELS[item.class]} · sold ${item.sold} · mix ${pct(item.mixShare)} (threshold ${pct(cat.popularityThreshold)}) · unit margin ${money(item.unitCmCents, currency)} (average ${money(cat.averageCmCents, currency)})` },
      summary: `${capital(period.label)}: ${line}.`,
    };
  }
  const byClass = (['star', 'plowhorse', 'puzzle', 'dog'] as const).map((k) => ({ class: k, items: placed.filter((i) => i.class === k).map((i) => i.name) }));
  const lines = byClass.map((c) => `${MENU_CLASS_LABELS[c.class]}s (${c.items.length}): ${c.items.join(', ') || '–'}`);
  return {
    content: JSON.stringify({
      period,
      currency,
      categories: matrix.categories.map(({ items: _items, ...c }) => c),
      // The best-selling items, compact: a long menu stays a short prompt (the rest are counted).
      items: [...placed].sort((x, y) => y.sold - x.sold).slice(0, MATRIX_ITEMS).map((i) => ({ name: i.name, category: i.category, class: i.class, sold: i.sold, mixShare: i.mixShare, unitCmCents: i.unitCmCents })),
      itemsLeftOut: Math.max(0, placed.length - MATRIX_ITEMS),
      excluded: matrix.excluded.slice(0, MATRIX_ITEMS).map(({ itemId: _id, ...e }) => e),
    }),
    source: { document: `Menu matrix · ${period.label}`, section: byClass.map((c) => `${MENU_CLASS_LABELS[c.class]}s ${c.items.length}`).join(' · ') },
    summary: `Menu engineering, ${period.label}:\n${lines.map((l) => `- ${l}`).join('\n')}${matrix.excluded.length ? `\nLeft out: ${matrix.excluded.map((e) => `${e.name} (${e.reason})`).join('; ')}.` : ''}${placed.length ? '' : spanNote}`,
  };
};

const menuTopItemsTool: Tool = async (deps, tenantId, args, now) => {
  const resolved = await periodOf(deps, tenantId, args, now, 'last_30_days');
  if ('error' in resolved) return failed(resolved.error);
  const { period } = resolved;
  const by = str(args, 'by') ?? 'quantity';
  if (!(RANKINGS as readonly string[]).includes(by)) return failed(`by must be one of ${RANKINGS.join(', ')}`);
  const order = str(args, 'order') === 'bottom' ? 'bottom' : 'top';
  const limit = typeof args.limit === 'number' && Number.isInteger(args.limit) ? Math.min(Math.max(args.limit, 1), 20) : 5;
  const category = str(args, 'category');
  const [items, currency] = await Promise.all([
    rankedMenuItems(deps.orm, tenantId, { from: period.from, to: period.to, by: by as (typeof RANKINGS)[number], order, limit, ...(category ? { category } : {}) }),
    menuCurrency(deps.orm, tenantId),
  ]);
  if (!items.length) return failed('there is no menu yet: import a POS export or connect Square on the Menu page');
  const value = (i: (typeof items)[number]) => (by === 'quantity' ? `${i.sold} sold` : by === 'revenue' ? `${money(i.revenueCents, currency)} revenue` : `${money(i.marginCents ?? 0, currency)} margin`);
  const title = `${order === 'top' ? 'Best' : 'Worst'} sellers by ${by}`;
  return {
    content: JSON.stringify({ period, by, order, currency, items: items.map(({ itemId: _id, ...rest }) => rest) }),
    source: { document: `Menu · ${title.toLowerCase()} · ${period.label}`, section: items.map((i) => `${i.name} ${value(i)}`).join(' · ') },
    summary: `${title}, ${period.label}:\n${items.map((i, n) => `${n + 1}. ${i.name} (${i.category}): ${value(i)}`).join('\n')}`,
  };
};

const menuSlowDaysTool: Tool = async (deps, tenantId, args, now) => {
  const resolved = await periodOf(deps, tenantId, args, now, 'last_30_days');
  if ('error' in resolved) return failed(resolved.error);
  const { period } = resolved;
  const days = (await weekdaySales(deps.orm, tenantId, { from: period.from, to: period.to })).filter((d) => d.days > 0);
  if (!days.some((d) => d.sold > 0)) return failed(`no menu sales are recorded for ${period.label}`);
  const slowest = [...days].sort((a, b) => a.averageSold - b.averageSold || a.weekday - b.weekday);
  const overall = days.reduce((s, d) => s + d.sold, 0) / days.reduce((s, d) => s + d.days, 0);
  const line = (d: (typeof days)[number]) => `${WEEKDAYS[d.weekday]} ${d.averageSold.toFixed(1)} a day (${d.days} day${d.days > 1 ? 's' : ''}, ${d.sold} sold)`;
  return {
    content: JSON.stringify({ period, averagePerDay: Math.round(overall * 10) / 10, weekdays: slowest.map((d) => ({ ...d, name: WEEKDAYS[d.weekday], averageSold: Math.round(d.averageSold * 10) / 10 })) }),
    source: { document: `Menu sales by weekday · ${period.label}`, section: slowest.map((d) => `${WEEKDAYS[d.weekday].slice(0, 3)} ${d.averageSold.toFixed(1)}`).join(' · ') },
    summary: `Items sold per weekday, ${period.label}, slowest first (average ${overall.toFixed(1)} a day):\n${slowest.map((d) => `- ${line(d)}`).join('\n')}`,
  };
};

export const MENU_TOOL_RUNNERS: Record<string, Tool> = {
  menu_matrix: menuMatrixTool,
  menu_top_items: menuTopItemsTool,
  menu_slow_days: menuSlowDaysTool,
};
