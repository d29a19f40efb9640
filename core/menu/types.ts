/**
 * The menu's vocabulary: items (category, price, food cost), their sales per day, the four classes
 * of the menu engineering matrix (Kasavana & Smith), and promotions. Money is in minor units
 * (cents) everywhere, so sums are exact; quantities may be fractional (a half portion, a weight).
 */

/** Where an item or a day's sales came from. */
export const MENU_SOURCES = ['csv', 'square', 'manual'] as const;
export type MenuSource = (typeof MENU_SOURCES)[number];

export interface MenuItem {
  id: string;
  name: string;
  category: string;
  /** Selling price in cents. */
  priceCents: number;
  /** Cost of the plate's ingredients in cents; null until someone says (the matrix leaves the item out). */
  foodCostCents: number | null;
  currency: string;
  source: MenuSource;
  /** The POS's id (a Square variation id, a CSV's SKU), or null. */
  externalId: string | null;
  active: boolean;
}

/** Units of one item sold on one day (the business's local calendar day). */
export interface DailySale {
  itemId: string;
  /** YYYY-MM-DD */
  day: string;
  quantity: number;
  revenueCents: number;
}

/** Kasavana & Smith: popularity (menu mix) high/low × contribution margin high/low. */
export const MENU_CLASSES = ['star', 'plowhorse', 'puzzle', 'dog'] as const;
export type MenuClass = (typeof MENU_CLASSES)[number];

export const MENU_CLASS_LABELS: Record<MenuClass, string> = { star: 'Star', plowhorse: 'Plowhorse', puzzle: 'Puzzle', dog: 'Dog' };

/** What the matrix says of one item in one category and period. */
export interface MatrixItem {
  itemId: string;
  name: string;
  category: string;
  priceCents: number;
  foodCostCents: number;
  /** price − food cost, per unit, in cents. */
  unitCmCents: number;
  sold: number;
  revenueCents: number;
  /** unitCm × sold. */
  totalCmCents: number;
  /** Share of the category's units sold (0–1). */
  mixShare: number;
  popularity: 'high' | 'low';
  margin: 'high' | 'low';
  class: MenuClass;
}

export interface CategoryMatrix {
  category: string;
  /** Items placed (with a food cost). */
  itemCount: number;
  totalSold: number;
  /** 0.7 × (1 / itemCount): an item at or above this share of the category's units is popular. */
  popularityThreshold: number;
  /** Σ(unit CM × sold) / Σ sold, in cents: an item at or above it has a high margin. */
  averageCmCents: number;
  items: MatrixItem[];
}

export interface MenuMatrix {
  from: string;
  to: string;
  categories: CategoryMatrix[];
  /** Items left out and why (no food cost, no price). */
  excluded: { itemId: string; name: string; reason: string }[];
}

/** An item's class in two periods. */
export interface ItemTrend {
  itemId: string;
  name: string;
  category: string;
  before: MenuClass | null;
  after: MenuClass | null;
  soldBefore: number;
  soldAfter: number;
  /** (after − before) / before, null when nothing was sold before. */
  soldChange: number | null;
  unitCmBeforeCents: number | null;
  unitCmAfterCents: number | null;
}

export const RECOMMENDATION_ACTIONS = ['keep', 'reprice', 'reposition', 'rework', 'remove'] as const;
export type RecommendationAction = (typeof RECOMMENDATION_ACTIONS)[number];

export interface Recommendation {
  itemId: string;
  name: string;
  category: string;
  class: MenuClass;
  action: RecommendationAction;
  /** One sentence: what to do. */
  summary: string;
  /** The arithmetic behind it, one line each, with the figures used. */
  arithmetic: string[];
  /** What the change is worth per period at the current volume, in cents (0 when not priced). */
  impactCents: number;
}

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

export const PROMOTION_KINDS = ['puzzle', 'slow_day'] as const;
export type PromotionKind = (typeof PROMOTION_KINDS)[number];
export const PROMOTION_STATUSES = ['proposed', 'accepted', 'dismissed'] as const;
export type PromotionStatus = (typeof PROMOTION_STATUSES)[number];

/** What the rules chose: which items, which day, what offer, and why. */
export interface PromotionProposal {
  kind: PromotionKind;
  title: string;
  itemIds: string[];
  /** 0 = Monday … 6 = Sunday, for a slow-day promotion (and a puzzle one placed on a slow day). */
  weekday: number | null;
  offer: string;
  /** The figures that chose it, one line each. */
  rationale: string[];
  /** Facts the copy may state (item names, prices). */
  facts: string[];
}
