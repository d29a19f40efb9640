/**
 * The rules that choose promotions (the model only writes their copy):
 * - Slow days: a weekday whose average units are under 85 % of the average open day (a day with
 *   no sales at all is taken as closed) — the two slowest at most.
 * - Puzzles: the three puzzles with the best unit margin, each placed on the slowest day when
 *   there is one.
 * - The offer is a discount only as deep as keeps the item at or above its category's average
 *   margin (at most 15 %, in steps of 50 cents); below 5 % of the price it is a featured dish
 *   without a discount. A slow day features the star (else puzzle) with the best unit margin.
 */
import type { CampaignChannel } from '../campaigns/channels';
import type { CampaignBrief } from '../campaigns/content';
import { formatCents } from './money';
import { matrixItems } from './matrix';
import { WEEKDAYS, type CategoryMatrix, type MatrixItem, type MenuMatrix, type PromotionProposal } from './types';

export const SLOW_DAY_RATIO = 0.85;
export const MAX_DISCOUNT = 0.15;
export const MIN_DISCOUNT = 0.05;

export interface WeekdayVolume {
  weekday: number;
  averageSold: number;
  days: number;
}

export interface SlowDay {
  weekday: number;
  averageSold: number;
  /** averageSold / the average open day. */
  ratio: number;
}

/** The slowest open weekdays under the ratio, slowest first. */
export function slowDays(week: readonly WeekdayVolume[], max = 2): { days: SlowDay[]; openAverage: number } {
  const open = week.filter((w) => w.days > 0 && w.averageSold > 0);
  const openAverage = open.reduce((s, w) => s + w.averageSold, 0) / (open.length || 1);
  const days = open
    .map((w) => ({ weekday: w.weekday, averageSold: w.averageSold, ratio: openAverage > 0 ? w.averageSold / openAverage : 1 }))
    .filter((d) => d.ratio < SLOW_DAY_RATIO)
    .sort((a, b) => a.ratio - b.ratio)
    .slice(0, max);
  return { days, openAverage };
}

/** The discount (cents) the item can carry and still earn the category's average margin. */
export function affordableDiscount(item: MatrixItem, cat: CategoryMatrix): number {
  const room = Math.max(0, Math.floor(item.unitCmCents - cat.averageCmCents));
  const cap = Math.floor(item.priceCents * MAX_DISCOUNT);
  const cents = Math.floor(Math.min(room, cap) / 50) * 50;
  return cents >= item.priceCents * MIN_DISCOUNT ? cents : 0;
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

function offerFor(item: MatrixItem, cat: CategoryMatrix, currency: string): { offer: string; lines: string[] } {
  const money = (c: number) => formatCents(c, currency);
  const cents = affordableDiscount(item, cat);
  const room = Math.max(0, item.unitCmCents - cat.averageCmCents);
  const lines = [
    `${item.name}: ${money(item.priceCents)} − ${money(item.foodCostCents)} = ${money(item.unitCmCents)} margin, ${money(room)} above the ${cat.category} average of ${money(cat.averageCmCents)}.`,
  ];
  if (cents > 0) {
    lines.push(`Discount: the lesser of that room and 15 % of the price (${money(Math.floor(item.priceCents * MAX_DISCOUNT))}), in 50-cent steps: ${money(cents)}; the margin stays ${money(item.unitCmCents - cents)}.`);
    return { offer: `${item.name} for ${money(item.priceCents - cents)} instead of ${money(item.priceCents)}`, lines };
  }
  lines.push(`A discount under 5 % of the price would not be noticed, and more would take it below the average margin: featured without a discount.`);
  return { offer: `${item.name}, our featured dish (${money(item.priceCents)})`, lines };
}

const facts = (item: MatrixItem, currency: string) => [`${item.name} (${item.category}) is ${formatCents(item.priceCents, currency)} on the menu.`];

export function proposePromotions(matrix: MenuMatrix, week: readonly WeekdayVolume[], currency = 'USD'): PromotionProposal[] {
  const categoryOf = new Map(matrix.categories.map((c) => [c.category, c]));
  const items = matrixItems(matrix);
  const { days: slow, openAverage } = slowDays(week);
  const slowest = slow[0];
  const out: PromotionProposal[] = [];

  const puzzles = items.filter((i) => i.class === 'puzzle').sort((a, b) => b.unitCmCents - a.unitCmCents).slice(0, 3);
  for (const item of puzzles) {
    const cat = categoryOf.get(item.category)!;
    const { offer, lines } = offerFor(item, cat, currency);
    const day = slowest ? WEEKDAYS[slowest.weekday] : null;
    out.push({
      kind: 'puzzle',
      title: day ? `${item.name} on ${day}s` : `Feature ${item.name}`,
      itemIds: [item.itemId],
      weekday: slowest?.weekday ?? null,
      offer,
      rationale: [
        `${item.name} is a puzzle: ${(item.mixShare * 100).toFixed(1)} % of ${item.category} sold, under the ${(cat.popularityThreshold * 100).toFixed(1)} % threshold, with a high margin.`,
        ...lines,
        ...(slowest ? [`${WEEKDAYS[slowest.weekday]} is the slowest day: ${fmt(slowest.averageSold)} units against ${fmt(openAverage)} on an average open day (${(slowest.ratio * 100).toFixed(0)} %).`] : []),
      ],
      facts: facts(item, currency),
    });
  }

  const feature = [...items].sort((a, b) => (a.class === 'star' ? 0 : a.class === 'puzzle' ? 1 : 2) - (b.class === 'star' ? 0 : b.class === 'puzzle' ? 1 : 2) || b.unitCmCents - a.unitCmCents)[0];
  if (feature && (feature.class === 'star' || feature.class === 'puzzle')) {
    const cat = categoryOf.get(feature.category)!;
    for (const day of slow) {
      const { offer, lines } = offerFor(feature, cat, currency);
      out.push({
        kind: 'slow_day',
        title: `${WEEKDAYS[day.weekday]} special: ${feature.name}`,
        itemIds: [feature.itemId],
        weekday: day.weekday,
        offer: `Every ${WEEKDAYS[day.weekday]}: ${offer}`,
        rationale: [
          `${WEEKDAYS[day.weekday]} averages ${fmt(day.averageSold)} units against ${fmt(openAverage)} on an average open day (${(day.ratio * 100).toFixed(0)} %, under ${SLOW_DAY_RATIO * 100} %).`,
          `${feature.name} is the ${feature.class} with the best unit margin.`,
          ...lines,
        ],
        facts: facts(feature, currency),
      });
    }
  }
  return out;
}

/**
 * The campaign brief a promotion becomes: what the copy writer (the model in the brand voice, or
 * the offline template writer) and a campaign draft start from. The goal is written to guests.
 */
export function promotionBrief(p: PromotionProposal, channels: CampaignChannel[], brandVoiceId?: string): CampaignBrief {
  const day = p.weekday === null ? null : WEEKDAYS[p.weekday]!;
  const goal = p.kind === 'slow_day' ? `Join us this ${day}` : day ? `Try something new this ${day}` : 'Try something new on our menu';
  return {
    goal,
    offer: p.offer,
    ...(day ? { dates: `every ${day}` } : {}),
    facts: p.facts,
    channels,
    social: true,
    variants: 1,
    ...(brandVoiceId ? { brandVoiceId } : {}),
  };
}
