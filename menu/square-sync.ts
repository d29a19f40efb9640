/**
 * A tenant's Square connection: connecting checks the token against ListLocations and stores it
 * encrypted with the chosen locations; a sync upserts the catalog's priced variations as menu items
 * (`square:<variation id>`; food costs set in Switchboard are kept) and replaces the window's
 * Square sales with the COMPLETED orders' line items, per item and local day of the location.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../core/config';
import { AppError } from '../core/errors';
import type { AddressPolicy } from '../net/address-policy';
import { listCatalog, listLocations, localDay, menuItemsFromCatalog, searchCompletedOrders, SquareApiError, type SquareEndpoint } from './square';
import { clearSales, decryptPosToken, encryptPosToken, getPosConnection, recordPosSync, replaceSales, savePosConnection, upsertMenuItems } from './store';
import { UNCATEGORIZED } from './csv-import';

const MAX_LOCATIONS = 10;
const policies = new WeakMap<Config, AddressPolicy>();

/** The operator configured SQUARE_API_URL, so its host is reachable even when private (a gateway, a test fake). */
function squarePolicy(config: Config): AddressPolicy {
  let policy = policies.get(config);
  if (!policy) policies.set(config, (policy = { allowedPrivate: [...config.OUTBOUND_ALLOWED_PRIVATE, new URL(config.SQUARE_API_URL).hostname] }));
  return policy;
}

export const squareEndpoint = (config: Config, accessToken: string): SquareEndpoint => ({ baseURL: config.SQUARE_API_URL, accessToken, policy: squarePolicy(config) });

/** Square's refusal as the API answers it: a bad token is the caller's (400 on the field), a rate limit a 429, the rest a 503. */
export function squareAppError(err: unknown, field = 'accessToken'): unknown {
  if (!(err instanceof SquareApiError)) return err;
  const first = err.errors[0];
  const what = `${first?.code ?? 'ERROR'}${first?.detail ? `: ${first.detail}` : ''}`;
  if (err.status === 401 || first?.category === 'AUTHENTICATION_ERROR') return new AppError('validation_failed', `Square refused the access token (${what})`, { field });
  if (err.status === 403) return new AppError('validation_failed', `the access token may not read this (${what}): it needs ITEMS_READ, ORDERS_READ and MERCHANT_PROFILE_READ`, { field });
  if (err.status === 429) return new AppError('rate_limited', `Square is rate limiting this account (${what}): try again in a minute`);
  if (err.status === 400 || err.status === 404) return new AppError('validation_failed', `Square refused the request (${what})`, { field: first?.field ?? 'locationIds' });
  return new AppError('upstream_unavailable', `Square could not be reached (${what})`);
}

export interface ConnectedSquare {
  locations: { id: string; name: string; timezone: string; currency: string | null }[];
}

export async function connectSquare(em: EntityManager, tenantId: string, config: Config, accessToken: string, locationIds?: string[]): Promise<ConnectedSquare> {
  let all;
  try {
    all = await listLocations(squareEndpoint(config, accessToken));
  } catch (err) {
    throw squareAppError(err);
  }
  const unknown = (locationIds ?? []).filter((id) => !all.some((l) => l.id === id));
  if (unknown.length) throw new AppError('validation_failed', `the account has no location ${unknown.join(', ')}`, { field: 'locationIds' });
  const chosen = (locationIds?.length ? all.filter((l) => locationIds.includes(l.id)) : all.filter((l) => (l.status ?? 'ACTIVE') === 'ACTIVE')).slice(0, MAX_LOCATIONS);
  if (!chosen.length) throw new AppError('validation_failed', 'the Square account has no active location', { field: 'locationIds' });
  await savePosConnection(em, tenantId, { accessTokenEncrypted: encryptPosToken(config, accessToken), locationIds: chosen.map((l) => l.id), currency: chosen[0]!.currency ?? null });
  return { locations: chosen.map((l) => ({ id: l.id, name: l.name ?? l.id, timezone: l.timezone ?? 'UTC', currency: l.currency ?? null })) };
}

export interface SquareSyncSummary {
  from: string;
  to: string;
  items: { created: number; updated: number; unpriced: number };
  orders: number;
  lineItems: number;
  /** Line items with no catalog item (custom amounts) or one not priced in the catalog. */
  unmatchedLineItems: number;
  days: number;
  units: number;
}

const shiftDay = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString();

export async function syncSquare(em: EntityManager, tenantId: string, config: Config, period: { from: string; to: string }): Promise<SquareSyncSummary> {
  const connection = await getPosConnection(em, tenantId);
  if (!connection) throw new AppError('not_found', 'Square is not connected: connect it with an access token first', { field: 'square' });
  const endpoint = squareEndpoint(config, decryptPosToken(config, connection.accessTokenEncrypted));
  try {
    const [locations, catalog] = await Promise.all([listLocations(endpoint), listCatalog(endpoint)]);
    const zones = new Map(locations.map((l) => [l.id, l.timezone ?? 'UTC']));
    const { items, unpriced } = menuItemsFromCatalog(catalog, UNCATEGORIZED);
    const upserted = await upsertMenuItems(
      em,
      tenantId,
      items.map((i) => ({ key: `square:${i.variationId}`, name: i.name, category: i.category, priceCents: i.priceCents, foodCostCents: null, currency: i.currency, source: 'square' as const, externalId: i.sku ?? i.variationId })),
    );
    // The window is widened by a day each side in UTC; each order is then placed on its location's own calendar day.
    const orders = await searchCompletedOrders(endpoint, connection.locationIds, shiftDay(period.from, -1), shiftDay(period.to, 2));
    const totals = new Map<string, { itemId: string; day: string; quantity: number; revenueCents: number }>();
    let lineItems = 0;
    let unmatched = 0;
    for (const order of orders) {
      if (!order.closed_at) continue;
      const day = localDay(order.closed_at, zones.get(order.location_id) ?? 'UTC');
      if (day < period.from || day > period.to) continue;
      for (const line of order.line_items ?? []) {
        lineItems++;
        const itemId = line.catalog_object_id ? upserted.ids.get(`square:${line.catalog_object_id}`) : undefined;
        const quantity = Number(line.quantity);
        if (!itemId || !Number.isFinite(quantity) || quantity <= 0) {
          unmatched++;
          continue;
        }
        const key = `${itemId}:${day}`;
        const t = totals.get(key) ?? { itemId, day, quantity: 0, revenueCents: 0 };
        t.quantity += quantity;
        t.revenueCents += line.gross_sales_money?.amount ?? Math.round((line.base_price_money?.amount ?? 0) * quantity);
        totals.set(key, t);
      }
    }
    await clearSales(em, tenantId, period, 'square');
    const sales = [...totals.values()];
    const days = await replaceSales(em, tenantId, sales, 'square');
    const summary: SquareSyncSummary = {
      from: period.from,
      to: period.to,
      items: { created: upserted.created, updated: upserted.updated, unpriced },
      orders: orders.length,
      lineItems,
      unmatchedLineItems: unmatched,
      days,
      units: sales.reduce((s, d) => s + d.quantity, 0),
    };
    await recordPosSync(em, tenantId, { ...summary });
    return summary;
  } catch (err) {
    throw squareAppError(err, 'square');
  }
}
