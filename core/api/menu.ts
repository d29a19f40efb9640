/**
 * The menu engineering API (`/v1/menu`): items, the CSV import with its rejected rows, the Square
 * connection and sync, the matrix, trends, weekday sales, the demand forecast with its backtest,
 * recommendations and promotions (accepting one makes a campaign draft). The console infers its
 * types from these.
 */
import { z } from 'zod';
import { CAMPAIGN_CHANNELS } from '../campaigns/channels';
import { DATE_ORDERS, MENU_IMPORT_FIELDS } from '../menu/csv';
import { MENU_CLASSES, MENU_SOURCES, PROMOTION_KINDS, PROMOTION_STATUSES, RECOMMENDATION_ACTIONS } from '../menu/types';
import { text } from './common';

export const MAX_MENU_CSV_CHARS = 5_000_000;

const day = (field: string) =>
  text()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${field} must be YYYY-MM-DD`)
    .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), { message: `${field} is not a calendar date` });
const cents = (field: string) => z.number({ message: `${field} must be a number of cents` }).int(`${field} must be whole cents`).min(0, `${field} must not be negative`).max(100_000_000, `${field} is too large`);

/** A period; absent, the 28 days up to the last day with sales. */
export const periodQuery = z
  .object({ from: day('from').optional(), to: day('to').optional() })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] })
  .refine((q) => !q.from || !q.to || Date.parse(q.to) - Date.parse(q.from) <= 731 * 86_400_000, { message: 'a period is at most two years', path: ['to'] });

export const menuItemSchema = z.object({
  id: z.string(),
  name: z.string(),
  category: z.string(),
  priceCents: z.number(),
  foodCostCents: z.number().nullable(),
  currency: z.string(),
  source: z.enum(MENU_SOURCES),
  externalId: z.string().nullable(),
  active: z.boolean(),
});
export type MenuItemDto = z.infer<typeof menuItemSchema>;
export const menuItemList = z.object({ items: z.array(menuItemSchema) });

export const menuItemBody = z
  .object({
    name: text().trim().min(1, 'name is required').max(200),
    category: text().trim().min(1, 'category is required').max(100),
    priceCents: cents('priceCents'),
    foodCostCents: cents('foodCostCents').nullable().default(null),
  })
  .strict()
  .refine((b) => b.foodCostCents === null || b.foodCostCents <= b.priceCents, { message: 'foodCostCents must not exceed priceCents', path: ['foodCostCents'] });

export const menuItemPatch = z
  .object({
    name: text().trim().min(1).max(200).optional(),
    category: text().trim().min(1).max(100).optional(),
    priceCents: cents('priceCents').optional(),
    foodCostCents: cents('foodCostCents').nullable().optional(),
    active: z.boolean().optional(),
  })
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'give at least one of name, category, priceCents, foodCostCents, active', path: ['name'] });

export const menuImportBody = z
  .object({
    csv: text().min(1, 'csv must not be empty').max(MAX_MENU_CSV_CHARS, `csv must be at most ${MAX_MENU_CSV_CHARS} characters`),
    /** column header → field; absent: the headers name the fields. */
    mapping: z.record(text().max(200), z.enum(MENU_IMPORT_FIELDS)).optional(),
    /** How dates like 03/04/2026 read: month first (mdy, default) or day first (dmy). ISO dates always read. */
    dateOrder: z.enum(DATE_ORDERS).default('mdy'),
    currency: text().regex(/^[A-Z]{3}$/, 'currency must be a three-letter ISO code').optional(),
  })
  .strict();

export const menuImportResult = z.object({
  rows: z.number(),
  items: z.object({ created: z.number(), updated: z.number() }),
  sales: z.object({ days: z.number(), units: z.number(), from: z.string().nullable(), to: z.string().nullable() }),
  rejected: z.array(z.object({ row: z.number(), field: z.string(), message: z.string() })),
  rejectedCount: z.number(),
  columns: z.record(z.string(), z.enum(MENU_IMPORT_FIELDS)),
});

const matrixItemSchema = z.object({
  itemId: z.string(),
  name: z.string(),
  category: z.string(),
  priceCents: z.number(),
  foodCostCents: z.number(),
  unitCmCents: z.number(),
  sold: z.number(),
  revenueCents: z.number(),
  totalCmCents: z.number(),
  mixShare: z.number(),
  popularity: z.enum(['high', 'low']),
  margin: z.enum(['high', 'low']),
  class: z.enum(MENU_CLASSES),
});
export const menuMatrixSchema = z.object({
  from: z.string(),
  to: z.string(),
  currency: z.string(),
  categories: z.array(
    z.object({ category: z.string(), itemCount: z.number(), totalSold: z.number(), popularityThreshold: z.number(), averageCmCents: z.number(), items: z.array(matrixItemSchema) }),
  ),
  excluded: z.array(z.object({ itemId: z.string(), name: z.string(), reason: z.string() })),
});
export type MenuMatrixDto = z.infer<typeof menuMatrixSchema>;
export const matrixQuery = periodQuery.and(z.object({ category: text().max(100).optional() }));

export const trendsQuery = periodQuery.and(z.object({ previousFrom: day('previousFrom').optional(), previousTo: day('previousTo').optional() }));
export const trendsSchema = z.object({
  before: z.object({ from: z.string(), to: z.string() }),
  after: z.object({ from: z.string(), to: z.string() }),
  items: z.array(
    z.object({
      itemId: z.string(),
      name: z.string(),
      category: z.string(),
      before: z.enum(MENU_CLASSES).nullable(),
      after: z.enum(MENU_CLASSES).nullable(),
      soldBefore: z.number(),
      soldAfter: z.number(),
      soldChange: z.number().nullable(),
      unitCmBeforeCents: z.number().nullable(),
      unitCmAfterCents: z.number().nullable(),
    }),
  ),
});
export type TrendsDto = z.infer<typeof trendsSchema>;

export const weekdayQuery = periodQuery.and(z.object({ itemId: z.uuid({ message: 'itemId must be a UUID' }).optional() }));
export const weekdaySchema = z.object({
  from: z.string(),
  to: z.string(),
  days: z.array(z.object({ weekday: z.number(), name: z.string(), sold: z.number(), revenueCents: z.number(), days: z.number(), averageSold: z.number() })),
});

export const forecastQuery = z
  .object({
    itemId: z.uuid({ message: 'itemId must be a UUID' }).optional(),
    /** Weeks of history the model learns from (the held-out weeks included). */
    weeks: z.coerce.number().int().min(3, 'weeks must be at least 3').max(104).default(12),
    holdoutWeeks: z.coerce.number().int().min(1, 'holdoutWeeks must be at least 1').max(8).default(2),
    days: z.coerce.number().int().min(1).max(28).default(7),
    to: day('to').optional(),
  })
  .refine((q) => q.weeks - q.holdoutWeeks >= 2, { message: 'weeks must leave at least two weeks to learn from after the held-out ones', path: ['holdoutWeeks'] });

const forecastSchema = z.object({
  itemId: z.string().nullable(),
  name: z.string(),
  model: z.object({ seasonalIndex: z.array(z.number()), level: z.number(), slopePerDay: z.number(), origin: z.string(), trainedDays: z.number() }),
  explanation: z.array(z.string()),
  backtest: z
    .object({
      trainFrom: z.string(),
      trainTo: z.string(),
      testFrom: z.string(),
      testTo: z.string(),
      mape: z.number().nullable(),
      scoredDays: z.number(),
      zeroDays: z.number(),
      days: z.array(z.object({ day: z.string(), actual: z.number(), forecast: z.number() })),
    })
    .nullable(),
  next: z.array(z.object({ day: z.string(), weekday: z.string(), quantity: z.number() })),
});
export const forecastResult = z.object({ from: z.string(), to: z.string(), holdoutWeeks: z.number(), total: forecastSchema, items: z.array(forecastSchema) });
export type ForecastDto = z.infer<typeof forecastResult>;

export const recommendationList = z.object({
  from: z.string(),
  to: z.string(),
  items: z.array(
    z.object({
      itemId: z.string(),
      name: z.string(),
      category: z.string(),
      class: z.enum(MENU_CLASSES),
      action: z.enum(RECOMMENDATION_ACTIONS),
      summary: z.string(),
      arithmetic: z.array(z.string()),
      impactCents: z.number(),
    }),
  ),
});

export const squareConnectBody = z
  .object({
    accessToken: text().trim().min(10, 'accessToken is too short').max(500),
    locationIds: z.array(text().min(1).max(64)).max(10, 'at most 10 locations').optional(),
  })
  .strict();
export const squareStatus = z.object({
  connected: z.boolean(),
  locationIds: z.array(z.string()),
  currency: z.string().nullable(),
  lastSyncedAt: z.string().nullable(),
  lastSync: z.record(z.string(), z.unknown()).nullable(),
});
export const squareConnected = z.object({ locations: z.array(z.object({ id: z.string(), name: z.string(), timezone: z.string(), currency: z.string().nullable() })) });
export const squareSyncBody = z
  .object({ from: day('from').optional(), to: day('to').optional() })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] });
export const squareSyncResult = z.object({
  from: z.string(),
  to: z.string(),
  items: z.object({ created: z.number(), updated: z.number(), unpriced: z.number() }),
  orders: z.number(),
  lineItems: z.number(),
  unmatchedLineItems: z.number(),
  days: z.number(),
  units: z.number(),
});

export const promotionSchema = z.object({
  id: z.string(),
  kind: z.enum(PROMOTION_KINDS),
  status: z.enum(PROMOTION_STATUSES),
  title: z.string(),
  itemIds: z.array(z.string()),
  weekday: z.number().nullable(),
  offer: z.string(),
  rationale: z.array(z.string()),
  facts: z.array(z.string()),
  copy: z.record(z.string(), z.unknown()),
  copyBy: z.string(),
  copyNotes: z.array(z.string()),
  periodFrom: z.string(),
  periodTo: z.string(),
  campaignId: z.string().nullable(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
});
export type PromotionDto = z.infer<typeof promotionSchema>;
export const promotionList = z.object({ items: z.array(promotionSchema) });
export const promotionQuery = z.object({ status: z.enum(PROMOTION_STATUSES).optional() });
export const generatePromotionsBody = z
  .object({ from: day('from').optional(), to: day('to').optional(), brandVoiceId: z.uuid({ message: 'brandVoiceId must be a UUID' }).optional() })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] });
export const acceptPromotionBody = z
  .object({
    name: text().trim().min(1).max(200).optional(),
    channels: z
      .array(z.enum(CAMPAIGN_CHANNELS))
      .min(1, 'choose at least one channel')
      .max(CAMPAIGN_CHANNELS.length)
      .refine((l) => new Set(l).size === l.length, { message: 'a channel may be listed once' })
      .default(['sms']),
    segmentId: z.uuid({ message: 'segmentId must be a UUID' }).optional(),
    brandVoiceId: z.uuid({ message: 'brandVoiceId must be a UUID' }).optional(),
  })
  .strict();
