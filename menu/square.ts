/**
 * Square as a point of sale, over its REST API through the guarded HTTP client (net/): Locations
 * (ListLocations: ids, time zones, currency), Catalog (ListCatalog with `types=ITEM,CATEGORY`:
 * each ITEM_VARIATION with a fixed `price_money` is a menu item) and Orders (SearchOrders: the
 * COMPLETED orders closed in a window at the chosen locations, their line items by
 * `catalog_object_id`). Every request carries `Authorization: Bearer <token>` and `Square-Version`;
 * pages follow `cursor` until Square answers none. Square's errors (`{errors: [{category, code,
 * detail, field}]}`) become a SquareApiError with those, never the token.
 */
import type { AddressPolicy } from '../net/address-policy';
import { guardedFetch, OutboundTimeoutError, refusalIn } from '../net/guarded-fetch';

/** The API version the shapes below were written against. */
export const SQUARE_VERSION = '2025-10-16';
const MAX_PAGES = 200;
const MAX_BYTES = 20 * 1024 * 1024;

export interface SquareEndpoint {
  baseURL: string;
  accessToken: string;
  policy: AddressPolicy;
  timeoutMs?: number;
}

export interface SquareErrorDetail {
  category: string;
  code: string;
  detail?: string;
  field?: string;
}

export class SquareApiError extends Error {
  constructor(
    readonly status: number,
    readonly errors: SquareErrorDetail[],
  ) {
    super(`Square answered ${status}: ${errors.map((e) => `${e.code}${e.detail ? ` (${e.detail})` : ''}`).join('; ') || 'no detail'}`);
    this.name = 'SquareApiError';
  }
}

export async function squareRequest<T>(endpoint: SquareEndpoint, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await guardedFetch(
      new URL(path, endpoint.baseURL),
      {
        method,
        headers: {
          authorization: `Bearer ${endpoint.accessToken}`,
          'square-version': SQUARE_VERSION,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      },
      { policy: endpoint.policy, timeoutMs: endpoint.timeoutMs ?? 30_000, maxBytes: MAX_BYTES, maxRedirects: 0 },
    );
  } catch (err) {
    const refusal = refusalIn(err);
    if (refusal) throw new SquareApiError(0, [{ category: 'API_ERROR', code: 'REFUSED', detail: refusal.message }]);
    if (err instanceof OutboundTimeoutError) throw new SquareApiError(0, [{ category: 'API_ERROR', code: 'TIMEOUT', detail: err.message }]);
    throw new SquareApiError(0, [{ category: 'API_ERROR', code: 'UNREACHABLE', detail: (err as Error).message }]);
  }
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    json = null;
  }
  const errors = (json as { errors?: SquareErrorDetail[] } | null)?.errors;
  if (!res.ok || errors?.length) throw new SquareApiError(res.status, Array.isArray(errors) ? errors : [{ category: 'API_ERROR', code: `HTTP_${res.status}`, detail: text.slice(0, 200) }]);
  if (json === null) throw new SquareApiError(res.status, [{ category: 'API_ERROR', code: 'BAD_RESPONSE', detail: 'the answer is not JSON' }]);
  return json as T;
}

// ---- Square's shapes (the fields read) ----

export interface SquareMoney {
  amount: number;
  currency: string;
}
export interface SquareLocation {
  id: string;
  name?: string;
  timezone?: string;
  currency?: string;
  status?: string;
}
export interface SquareCatalogObject {
  type: string;
  id: string;
  is_deleted?: boolean;
  item_data?: {
    name?: string;
    category_id?: string;
    categories?: { id: string }[];
    reporting_category?: { id: string };
    variations?: SquareCatalogObject[];
  };
  item_variation_data?: { item_id?: string; name?: string; sku?: string; pricing_type?: string; price_money?: SquareMoney };
  category_data?: { name?: string };
}
export interface SquareLineItem {
  uid?: string;
  name?: string;
  quantity: string;
  catalog_object_id?: string;
  base_price_money?: SquareMoney;
  gross_sales_money?: SquareMoney;
}
export interface SquareOrder {
  id: string;
  location_id: string;
  state: string;
  closed_at?: string;
  line_items?: SquareLineItem[];
}

export async function listLocations(endpoint: SquareEndpoint): Promise<SquareLocation[]> {
  const res = await squareRequest<{ locations?: SquareLocation[] }>(endpoint, 'GET', '/v2/locations');
  return res.locations ?? [];
}

/** Follows `cursor` until the last page. */
async function allPages<T>(fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; cursor?: string }>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await fetchPage(cursor);
    out.push(...res.items);
    if (!res.cursor) return out;
    cursor = res.cursor;
  }
  throw new SquareApiError(0, [{ category: 'API_ERROR', code: 'TOO_MANY_PAGES', detail: `more than ${MAX_PAGES} pages` }]);
}

/** Every ITEM and CATEGORY of the catalog (ListCatalog). */
export function listCatalog(endpoint: SquareEndpoint): Promise<SquareCatalogObject[]> {
  return allPages(async (cursor) => {
    const query = new URLSearchParams({ types: 'ITEM,CATEGORY', ...(cursor ? { cursor } : {}) });
    const res = await squareRequest<{ objects?: SquareCatalogObject[]; cursor?: string }>(endpoint, 'GET', `/v2/catalog/list?${query}`);
    return { items: res.objects ?? [], cursor: res.cursor };
  });
}

/** COMPLETED orders closed in [startAt, endAt] at these locations (at most 10, as Square allows), oldest first (SearchOrders). */
export function searchCompletedOrders(endpoint: SquareEndpoint, locationIds: string[], startAt: string, endAt: string): Promise<SquareOrder[]> {
  const query = {
    filter: { state_filter: { states: ['COMPLETED'] }, date_time_filter: { closed_at: { start_at: startAt, end_at: endAt } } },
    // A date filter on closed_at requires sorting by it.
    sort: { sort_field: 'CLOSED_AT', sort_order: 'ASC' },
  };
  return allPages(async (cursor) => {
    const res = await squareRequest<{ orders?: SquareOrder[]; cursor?: string }>(endpoint, 'POST', '/v2/orders/search', {
      location_ids: locationIds,
      query,
      limit: 500,
      return_entries: false,
      ...(cursor ? { cursor } : {}),
    });
    return { items: res.orders ?? [], cursor: res.cursor };
  });
}

export interface SquareMenuItem {
  variationId: string;
  name: string;
  category: string;
  priceCents: number;
  currency: string;
  sku: string | null;
}

/** Priced variations as menu items ("Latte (Large)" when an item has several variations); unpriced ones are counted, not guessed. */
export function menuItemsFromCatalog(objects: readonly SquareCatalogObject[], fallbackCategory: string): { items: SquareMenuItem[]; unpriced: number } {
  const categories = new Map(objects.filter((o) => o.type === 'CATEGORY' && o.category_data?.name).map((o) => [o.id, o.category_data!.name!]));
  const items: SquareMenuItem[] = [];
  let unpriced = 0;
  for (const o of objects) {
    if (o.type !== 'ITEM' || o.is_deleted || !o.item_data) continue;
    const data = o.item_data;
    const categoryId = data.categories?.[0]?.id ?? data.category_id ?? data.reporting_category?.id;
    const category = (categoryId && categories.get(categoryId)) || fallbackCategory;
    const variations = (data.variations ?? []).filter((v) => v.type === 'ITEM_VARIATION' && !v.is_deleted);
    for (const v of variations) {
      const vd = v.item_variation_data;
      const price = vd?.price_money;
      if (!vd || !price || vd.pricing_type === 'VARIABLE_PRICING' || !Number.isInteger(price.amount)) {
        unpriced++;
        continue;
      }
      const name = variations.length > 1 && vd.name ? `${data.name ?? 'Item'} (${vd.name})` : data.name ?? vd.name ?? 'Item';
      items.push({ variationId: v.id, name: name.slice(0, 200), category: category.slice(0, 100), priceCents: price.amount, currency: price.currency, sku: vd.sku ?? null });
    }
  }
  return { items, unpriced };
}

/** The calendar day of an instant in a time zone (YYYY-MM-DD). */
export function localDay(instant: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(instant));
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}
