/**
 * The menu module's one database file: items, sales per item and day, promotions and the POS
 * connection. Raw SQL is not covered by the tenant filter, so every statement names `tenant_id`.
 * The functions the rest of the platform reads menu data through (the console's API, the
 * marketing assistant's tools) are `menuMatrixFor`, `topItems`, `salesByWeekday`, `listMenuItems`
 * and `dailySales`; they take an EntityManager and the tenant id.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../core/config';
import { buildMatrix } from '../core/menu/matrix';
import { secretBoxFromConfig } from '../db/secrets';
import type { DailySale, MenuItem, MenuMatrix, MenuSource, PromotionKind, PromotionProposal, PromotionStatus } from '../core/menu/types';

type Row = Record<string, unknown>;
const num = (v: unknown) => Number(v ?? 0);
const dayOf = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10));

const ITEM_COLUMNS = `id, name, category, price_cents, food_cost_cents, currency, source, external_id, active`;
const toItem = (r: Row): MenuItem => ({
  id: String(r.id),
  name: String(r.name),
  category: String(r.category),
  priceCents: num(r.price_cents),
  foodCostCents: r.food_cost_cents === null ? null : num(r.food_cost_cents),
  currency: String(r.currency),
  source: r.source as MenuSource,
  externalId: (r.external_id as string | null) ?? null,
  active: Boolean(r.active),
});

/** Every item of the tenant, by category then name. */
export async function listMenuItems(em: EntityManager, tenantId: string): Promise<MenuItem[]> {
  const rows: Row[] = await em.getConnection().execute(`select ${ITEM_COLUMNS} from menu_items where tenant_id = ? order by category, name`, [tenantId]);
  return rows.map(toItem);
}

export async function getMenuItem(em: EntityManager, tenantId: string, id: string): Promise<MenuItem | null> {
  const rows: Row[] = await em.getConnection().execute(`select ${ITEM_COLUMNS} from menu_items where tenant_id = ? and id = ?`, [tenantId, id]);
  return rows[0] ? toItem(rows[0]) : null;
}

/** An item as an import or a POS sync knows it; a null food cost keeps what is stored (a POS knows none, a CSV without the column erases nothing). */
export type ItemUpsert = Omit<MenuItem, 'id' | 'active'> & {
  /** How the item is known again: `sku:…`, `square:<variation id>`, `name:<category>/<name>`. */
  key: string;
};

/** Inserts or updates items by key; answers each key's id and how many were new. */
export async function upsertMenuItems(em: EntityManager, tenantId: string, items: readonly ItemUpsert[]): Promise<{ ids: Map<string, string>; created: number; updated: number }> {
  const ids = new Map<string, string>();
  if (!items.length) return { ids, created: 0, updated: 0 };
  const rows: Row[] = await em.getConnection().execute(
    `insert into menu_items (tenant_id, item_key, name, category, price_cents, food_cost_cents, currency, source, external_id)
     select ?, r.key, r.name, r.category, r.price_cents, r.food_cost_cents, r.currency, r.source, r.external_id
       from jsonb_to_recordset(?::jsonb) as r(key text, name text, category text, price_cents int, food_cost_cents int, currency text, source text, external_id text)
     on conflict (tenant_id, item_key) do update set
       name = excluded.name, category = excluded.category, price_cents = excluded.price_cents,
       food_cost_cents = coalesce(excluded.food_cost_cents, menu_items.food_cost_cents),
       currency = excluded.currency, external_id = coalesce(excluded.external_id, menu_items.external_id), active = true, updated_at = now()
     returning id, item_key, (xmax = 0) as inserted`,
    [
      tenantId,
      JSON.stringify(items.map((i) => ({ key: i.key, name: i.name, category: i.category, price_cents: i.priceCents, food_cost_cents: i.foodCostCents, currency: i.currency, source: i.source, external_id: i.externalId }))),
    ],
  );
  let created = 0;
  for (const r of rows) {
    ids.set(String(r.item_key), String(r.id));
    if (r.inserted) created++;
  }
  return { ids, created, updated: rows.length - created };
}

/** The items already known by these keys. */
export async function itemsByKey(em: EntityManager, tenantId: string, keys: readonly string[]): Promise<Map<string, MenuItem>> {
  if (!keys.length) return new Map();
  const rows: Row[] = await em.getConnection().execute(`select item_key, ${ITEM_COLUMNS} from menu_items where tenant_id = ? and item_key = any(array(select jsonb_array_elements_text(?::jsonb)))`, [tenantId, JSON.stringify(keys)]);
  return new Map(rows.map((r) => [String(r.item_key), toItem(r)]));
}

export interface ItemPatch {
  name?: string;
  category?: string;
  priceCents?: number;
  foodCostCents?: number | null;
  active?: boolean;
}

export async function updateMenuItem(em: EntityManager, tenantId: string, id: string, patch: ItemPatch): Promise<MenuItem | null> {
  const sets: string[] = [];
  const args: unknown[] = [];
  const set = (column: string, value: unknown) => {
    sets.push(`${column} = ?`);
    args.push(value);
  };
  if (patch.name !== undefined) set('name', patch.name);
  if (patch.category !== undefined) set('category', patch.category);
  if (patch.priceCents !== undefined) set('price_cents', patch.priceCents);
  if (patch.foodCostCents !== undefined) set('food_cost_cents', patch.foodCostCents);
  if (patch.active !== undefined) set('active', patch.active);
  if (sets.length) await em.getConnection().execute(`update menu_items set ${sets.join(', ')}, updated_at = now() where tenant_id = ? and id = ?`, [...args, tenantId, id]);
  return getMenuItem(em, tenantId, id);
}

export async function deleteMenuItem(em: EntityManager, tenantId: string, id: string): Promise<boolean> {
  const res = await em.getConnection().execute(`delete from menu_items where tenant_id = ? and id = ?`, [tenantId, id], 'run');
  return num((res as { affectedRows?: number }).affectedRows) > 0;
}

/** Sets each (item, day)'s units and revenue: an import of the same day again replaces, never adds. */
export async function replaceSales(em: EntityManager, tenantId: string, sales: readonly DailySale[], source: MenuSource): Promise<number> {
  if (!sales.length) return 0;
  const res = await em.getConnection().execute<{ affectedRows: number }>(
    `insert into menu_sales (tenant_id, item_id, day, quantity, revenue_cents, source)
     select ?, r.item_id, r.day, r.quantity, r.revenue_cents, ?
       from jsonb_to_recordset(?::jsonb) as r(item_id uuid, day date, quantity numeric, revenue_cents bigint)
       join menu_items i on i.id = r.item_id and i.tenant_id = ?
     on conflict (item_id, day) do update set quantity = excluded.quantity, revenue_cents = excluded.revenue_cents, source = excluded.source, updated_at = now()`,
    [tenantId, source, JSON.stringify(sales.map((s) => ({ item_id: s.itemId, day: s.day, quantity: s.quantity, revenue_cents: Math.round(s.revenueCents) }))), tenantId],
    'run',
  );
  return res.affectedRows;
}

export interface PeriodQuery {
  /** YYYY-MM-DD, inclusive. */
  from: string;
  to: string;
}

/** Units and revenue per item and day in the period (optionally of some items). */
export async function dailySales(em: EntityManager, tenantId: string, period: PeriodQuery & { itemIds?: string[] }): Promise<DailySale[]> {
  const byItem = period.itemIds ? ` and item_id = any(array(select jsonb_array_elements_text(?::jsonb)::uuid))` : '';
  const rows: Row[] = await em.getConnection().execute(
    `select item_id, day, quantity, revenue_cents from menu_sales where tenant_id = ? and day between ? and ?${byItem} order by day, item_id`,
    [tenantId, period.from, period.to, ...(period.itemIds ? [JSON.stringify(period.itemIds)] : [])],
  );
  return rows.map((r) => ({ itemId: String(r.item_id), day: dayOf(r.day), quantity: num(r.quantity), revenueCents: num(r.revenue_cents) }));
}

/** The first and last day with sales, or null when there are none. */
export async function salesSpan(em: EntityManager, tenantId: string): Promise<{ first: string; last: string } | null> {
  const rows: Row[] = await em.getConnection().execute(`select min(day) as first, max(day) as last from menu_sales where tenant_id = ?`, [tenantId]);
  return rows[0]?.first ? { first: dayOf(rows[0].first), last: dayOf(rows[0].last) } : null;
}

/** The Kasavana & Smith matrix of the period, per category (or of one category). */
export async function menuMatrixFor(em: EntityManager, tenantId: string, query: PeriodQuery & { category?: string }): Promise<MenuMatrix> {
  const [items, sales] = await Promise.all([listMenuItems(em, tenantId), dailySales(em, tenantId, query)]);
  return buildMatrix(items, sales, query);
}

export const RANKINGS = ['quantity', 'revenue', 'margin'] as const;
export type Ranking = (typeof RANKINGS)[number];

export interface RankedItem {
  itemId: string;
  name: string;
  category: string;
  sold: number;
  revenueCents: number;
  /** Units × (price − food cost); null without a food cost. */
  marginCents: number | null;
}

/**
 * The best (`order: 'top'`) or worst items of the period by units sold, revenue or total margin.
 * Active items that sold nothing count as zero (they are the bottom's first candidates); a margin
 * ranking leaves out items without a food cost.
 */
export async function topItems(em: EntityManager, tenantId: string, query: PeriodQuery & { by?: Ranking; order?: 'top' | 'bottom'; limit?: number; category?: string }): Promise<RankedItem[]> {
  const by = query.by ?? 'quantity';
  const rows: Row[] = await em.getConnection().execute(
    `select i.id, i.name, i.category, coalesce(sum(s.quantity), 0) as sold, coalesce(sum(s.revenue_cents), 0) as revenue,
            case when i.food_cost_cents is null then null else coalesce(sum(s.quantity), 0) * (i.price_cents - i.food_cost_cents) end as margin
       from menu_items i
       left join menu_sales s on s.item_id = i.id and s.tenant_id = i.tenant_id and s.day between ? and ?
      where i.tenant_id = ? and (i.active or s.item_id is not null)${query.category ? ' and i.category = ?' : ''}
      group by i.id`,
    [query.from, query.to, tenantId, ...(query.category ? [query.category] : [])],
  );
  const ranked = rows
    .map((r): RankedItem => ({ itemId: String(r.id), name: String(r.name), category: String(r.category), sold: num(r.sold), revenueCents: num(r.revenue), marginCents: r.margin === null ? null : num(r.margin) }))
    .filter((r) => by !== 'margin' || r.marginCents !== null);
  const value = (r: RankedItem) => (by === 'quantity' ? r.sold : by === 'revenue' ? r.revenueCents : r.marginCents!);
  const sign = query.order === 'bottom' ? 1 : -1;
  ranked.sort((a, b) => sign * (value(a) - value(b)) || a.name.localeCompare(b.name));
  return ranked.slice(0, query.limit ?? 5);
}

export interface WeekdaySales {
  /** 0 = Monday … 6 = Sunday. */
  weekday: number;
  sold: number;
  revenueCents: number;
  /** How many of this weekday the period holds. */
  days: number;
  /** sold / days. */
  averageSold: number;
}

/** Units and revenue per weekday over the period (all items, or one), with the average per such day. */
export async function salesByWeekday(em: EntityManager, tenantId: string, query: PeriodQuery & { itemId?: string }): Promise<WeekdaySales[]> {
  const rows: Row[] = await em.getConnection().execute(
    `select extract(isodow from day)::int - 1 as weekday, sum(quantity) as sold, sum(revenue_cents) as revenue
       from menu_sales where tenant_id = ? and day between ? and ?${query.itemId ? ' and item_id = ?' : ''}
      group by 1`,
    [tenantId, query.from, query.to, ...(query.itemId ? [query.itemId] : [])],
  );
  const days = weekdayCounts(query.from, query.to);
  return days.map((count, weekday) => {
    const r = rows.find((x) => num(x.weekday) === weekday);
    const sold = num(r?.sold);
    return { weekday, sold, revenueCents: num(r?.revenue), days: count, averageSold: count ? sold / count : 0 };
  });
}

/** How many Mondays … Sundays lie in [from, to]. */
export function weekdayCounts(from: string, to: string): number[] {
  const counts = [0, 0, 0, 0, 0, 0, 0];
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = start; t <= end; t += 86_400_000) counts[(new Date(t).getUTCDay() + 6) % 7]!++;
  return counts;
}

// ---- promotions ----

/** A proposal as stored: its copy (the campaign content shape: SMS text and social captions), who wrote it, and what became of it. */
export interface StoredPromotion extends PromotionProposal {
  id: string;
  status: PromotionStatus;
  copy: Record<string, unknown>;
  /** `model:<id>` or `template-writer`. */
  copyBy: string;
  copyNotes: string[];
  periodFrom: string;
  periodTo: string;
  campaignId: string | null;
  createdAt: Date;
  decidedAt: Date | null;
}

const PROMOTION_COLUMNS = `id, kind, status, title, item_ids, weekday, offer, rationale, facts, copy, copy_by, copy_notes, period_from, period_to, campaign_id, created_at, decided_at`;
const toPromotion = (r: Row): StoredPromotion => ({
  id: String(r.id),
  kind: r.kind as PromotionKind,
  status: r.status as PromotionStatus,
  title: String(r.title),
  itemIds: r.item_ids as string[],
  weekday: r.weekday === null ? null : num(r.weekday),
  offer: String(r.offer),
  rationale: r.rationale as string[],
  facts: r.facts as string[],
  copy: r.copy as Record<string, unknown>,
  copyBy: String(r.copy_by),
  copyNotes: r.copy_notes as string[],
  periodFrom: dayOf(r.period_from),
  periodTo: dayOf(r.period_to),
  campaignId: (r.campaign_id as string | null) ?? null,
  createdAt: new Date(r.created_at as string),
  decidedAt: r.decided_at ? new Date(r.decided_at as string) : null,
});

export type NewPromotion = Omit<StoredPromotion, 'id' | 'status' | 'campaignId' | 'createdAt' | 'decidedAt'>;

export async function insertPromotion(em: EntityManager, tenantId: string, p: NewPromotion): Promise<StoredPromotion> {
  const rows: Row[] = await em.getConnection().execute(
    `insert into menu_promotions (tenant_id, kind, title, item_ids, weekday, offer, rationale, facts, copy, copy_by, copy_notes, period_from, period_to)
     values (?, ?, ?, ?::jsonb, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?::jsonb, ?, ?) returning ${PROMOTION_COLUMNS}`,
    [tenantId, p.kind, p.title, JSON.stringify(p.itemIds), p.weekday, p.offer, JSON.stringify(p.rationale), JSON.stringify(p.facts), JSON.stringify(p.copy), p.copyBy, JSON.stringify(p.copyNotes), p.periodFrom, p.periodTo],
  );
  return toPromotion(rows[0]!);
}

export async function listPromotions(em: EntityManager, tenantId: string, status?: PromotionStatus): Promise<StoredPromotion[]> {
  const rows: Row[] = await em.getConnection().execute(
    `select ${PROMOTION_COLUMNS} from menu_promotions where tenant_id = ?${status ? ' and status = ?' : ''} order by created_at desc, id limit 200`,
    [tenantId, ...(status ? [status] : [])],
  );
  return rows.map(toPromotion);
}

export async function getPromotion(em: EntityManager, tenantId: string, id: string): Promise<StoredPromotion | null> {
  const rows: Row[] = await em.getConnection().execute(`select ${PROMOTION_COLUMNS} from menu_promotions where tenant_id = ? and id = ?`, [tenantId, id]);
  return rows[0] ? toPromotion(rows[0]) : null;
}

/** Moves a proposed promotion to accepted or dismissed; false when it was no longer proposed (a race, or decided before). */
export async function decidePromotion(em: EntityManager, tenantId: string, id: string, status: Exclude<PromotionStatus, 'proposed'>, campaignId: string | null = null): Promise<boolean> {
  const rows: Row[] = await em.getConnection().execute(
    `update menu_promotions set status = ?, campaign_id = ?, decided_at = now() where tenant_id = ? and id = ? and status = 'proposed' returning id`,
    [status, campaignId, tenantId, id],
  );
  return rows.length === 1;
}

/** The campaign draft an accepted promotion became. */
export async function linkPromotionCampaign(em: EntityManager, tenantId: string, id: string, campaignId: string): Promise<void> {
  await em.getConnection().execute(`update menu_promotions set campaign_id = ? where tenant_id = ? and id = ?`, [campaignId, tenantId, id], 'run');
}

/** An acceptance whose campaign could not be made: the promotion is open again. */
export async function reopenPromotion(em: EntityManager, tenantId: string, id: string): Promise<void> {
  await em.getConnection().execute(`update menu_promotions set status = 'proposed', decided_at = null, campaign_id = null where tenant_id = ? and id = ? and status = 'accepted'`, [tenantId, id], 'run');
}

/** Clears proposals the next generation replaces (decided ones stay as history). */
export async function clearProposed(em: EntityManager, tenantId: string): Promise<void> {
  await em.getConnection().execute(`delete from menu_promotions where tenant_id = ? and status = 'proposed'`, [tenantId], 'run');
}

// ---- the point-of-sale connection ----

export interface PosConnection {
  provider: 'square';
  /** Encrypted (db/secrets.ts); decrypted only by the adapter that calls Square. */
  accessTokenEncrypted: string;
  locationIds: string[];
  currency: string | null;
  lastSyncedAt: Date | null;
  lastSync: Record<string, unknown> | null;
}

export async function getPosConnection(em: EntityManager, tenantId: string): Promise<PosConnection | null> {
  const rows: Row[] = await em.getConnection().execute(
    `select provider, access_token_encrypted, location_ids, currency, last_synced_at, last_sync from menu_pos_connections where tenant_id = ? and provider = 'square'`,
    [tenantId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    provider: 'square',
    accessTokenEncrypted: String(r.access_token_encrypted),
    locationIds: r.location_ids as string[],
    currency: (r.currency as string | null) ?? null,
    lastSyncedAt: r.last_synced_at ? new Date(r.last_synced_at as string) : null,
    lastSync: (r.last_sync as Record<string, unknown> | null) ?? null,
  };
}

export async function savePosConnection(em: EntityManager, tenantId: string, c: { accessTokenEncrypted: string; locationIds: string[]; currency: string | null }): Promise<void> {
  await em.getConnection().execute(
    `insert into menu_pos_connections (tenant_id, provider, access_token_encrypted, location_ids, currency) values (?, 'square', ?, ?::jsonb, ?)
     on conflict (tenant_id, provider) do update set access_token_encrypted = excluded.access_token_encrypted, location_ids = excluded.location_ids, currency = excluded.currency, updated_at = now()`,
    [tenantId, c.accessTokenEncrypted, JSON.stringify(c.locationIds), c.currency],
    'run',
  );
}

export async function recordPosSync(em: EntityManager, tenantId: string, summary: Record<string, unknown>): Promise<void> {
  await em.getConnection().execute(`update menu_pos_connections set last_synced_at = now(), last_sync = ?::jsonb, updated_at = now() where tenant_id = ? and provider = 'square'`, [JSON.stringify(summary), tenantId], 'run');
}

export async function deletePosConnection(em: EntityManager, tenantId: string): Promise<boolean> {
  const res = await em.getConnection().execute(`delete from menu_pos_connections where tenant_id = ? and provider = 'square'`, [tenantId], 'run');
  return num((res as { affectedRows?: number }).affectedRows) > 0;
}

/** The platform's secret box (AES-256-GCM, db/secrets.ts) for the POS access token: encrypted before it is stored, decrypted only to call the POS. */
export const encryptPosToken = (config: Config, token: string) => secretBoxFromConfig(config).encrypt(token);
export const decryptPosToken = (config: Config, stored: string) => secretBoxFromConfig(config).decrypt(stored);

/** Removes one source's sales in [from, to] (a POS sync replaces its window whole: a day that sold nothing after all is cleared). */
export async function clearSales(em: EntityManager, tenantId: string, period: PeriodQuery, source: MenuSource): Promise<void> {
  await em.getConnection().execute(`delete from menu_sales where tenant_id = ? and source = ? and day between ? and ?`, [tenantId, source, period.from, period.to], 'run');
}
