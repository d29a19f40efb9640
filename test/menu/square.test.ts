/**
 * The Square adapter against the local fake (Bearer auth, Square-Version, cursor pagination,
 * Square's error shape), then the connection and sync through /v1/menu on the real stack: the
 * token checked and stored encrypted, the catalog's priced variations as items, completed orders
 * as daily sales on the location's own calendar day, a sync run twice changing nothing.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { AppError } from '../../core/errors';
import { configPolicy } from '../../net/address-policy';
import { listCatalog, listLocations, localDay, menuItemsFromCatalog, searchCompletedOrders, SQUARE_VERSION, SquareApiError, type SquareEndpoint } from '../../menu/square';
import { squareAppError } from '../../menu/square-sync';
import { testConfig } from '../db/fixtures';
import { startFakeSquare, type FakeSquare } from '../fakes/square-server';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';

let square: FakeSquare;
let stack: Stack;
let db: pg.Client;
let endpoint: SquareEndpoint;
const ids: Record<string, string> = {};

beforeAll(async () => {
  square = await startFakeSquare();
  const mains = square.addCategory('Mains');
  const drinks = square.addCategory('Drinks');
  [ids.burger] = square.addItem('Burger', mains, { Regular: 1500 });
  [ids.latteSmall, ids.latteLarge] = square.addItem('Latte', drinks, { Small: 400, Large: 550 });
  [ids.special] = square.addItem('Market special', mains, { Regular: null });
  [ids.salad] = square.addItem('Salad', null, { Regular: 1100 });
  // New York: 02:30 UTC on the 3rd is 21:30 on the 2nd there.
  square.addOrder({ locationId: 'L1MAIN', closedAt: '2026-11-03T02:30:00Z', lines: [{ catalogObjectId: ids.burger, quantity: 2, unitCents: 1500 }, { quantity: 1, unitCents: 700, name: 'Custom amount' }] });
  square.addOrder({ locationId: 'L1MAIN', closedAt: '2026-11-03T17:00:00Z', lines: [{ catalogObjectId: ids.burger, quantity: 1, unitCents: 1500 }, { catalogObjectId: ids.latteLarge, quantity: 3, unitCents: 550 }] });
  square.addOrder({ locationId: 'L1MAIN', closedAt: '2026-11-04T16:00:00Z', lines: [{ catalogObjectId: ids.salad, quantity: '1.5', unitCents: 1100 }] });
  square.addOrder({ locationId: 'L1MAIN', closedAt: '2026-11-04T16:30:00Z', state: 'CANCELED', lines: [{ catalogObjectId: ids.burger, quantity: 9, unitCents: 1500 }] });
  square.addOrder({ locationId: 'L1MAIN', closedAt: '2026-12-20T16:30:00Z', lines: [{ catalogObjectId: ids.burger, quantity: 5, unitCents: 1500 }] });
  endpoint = { baseURL: square.url, accessToken: square.token, policy: configPolicy(testConfig()) };
  stack = await startStack({ ...sharedServers(), env: { SQUARE_API_URL: square.url } });
  db = new pg.Client({ connectionString: inject('databaseUrl') });
  await db.connect();
}, 180_000);

afterAll(async () => {
  await stack?.close();
  await db?.end();
  await square?.close();
});

describe('the Square adapter', () => {
  it('pages through the catalog with the cursor, sending the token and the version every time', async () => {
    square.catalogPageSize = 2;
    square.requests.length = 0;
    try {
      const objects = await listCatalog(endpoint);
      expect(objects.map((o) => o.type).sort()).toEqual(['CATEGORY', 'CATEGORY', 'ITEM', 'ITEM', 'ITEM', 'ITEM']);
      expect(square.requests).toHaveLength(3);
      expect(square.requests.every((r) => r.authorized && r.version === SQUARE_VERSION && r.query.get('types') === 'ITEM,CATEGORY')).toBe(true);
      expect(square.requests[0]!.query.get('cursor')).toBeNull();
      expect(square.requests[1]!.query.get('cursor')).toBeTruthy();
      const { items, unpriced } = menuItemsFromCatalog(objects, 'Uncategorized');
      expect(unpriced).toBe(1);
      expect(items.map((i) => [i.name, i.category, i.priceCents]).sort()).toEqual([
        ['Burger', 'Mains', 1500],
        ['Latte (Large)', 'Drinks', 550],
        ['Latte (Small)', 'Drinks', 400],
        ['Salad', 'Uncategorized', 1100],
      ]);
    } finally {
      square.catalogPageSize = 100;
    }
  });

  it('searches completed orders closed in a window, page by page, oldest first', async () => {
    square.ordersPageSize = 1;
    square.requests.length = 0;
    try {
      const orders = await searchCompletedOrders(endpoint, ['L1MAIN'], '2026-11-01T00:00:00Z', '2026-11-30T00:00:00Z');
      expect(orders.map((o) => o.closed_at)).toEqual(['2026-11-03T02:30:00Z', '2026-11-03T17:00:00Z', '2026-11-04T16:00:00Z']);
      expect(square.requests).toHaveLength(3);
      const body = square.requests[0]!.body;
      expect(body).toMatchObject({ location_ids: ['L1MAIN'], limit: 500, query: { filter: { state_filter: { states: ['COMPLETED'] } }, sort: { sort_field: 'CLOSED_AT', sort_order: 'ASC' } } });
      expect(square.requests[2]!.body.cursor).toBeTruthy();
    } finally {
      square.ordersPageSize = 1000;
    }
  });

  it("reads Square's errors: a bad token, a rate limit, an outage, a bad cursor", async () => {
    const refused = await listLocations({ ...endpoint, accessToken: 'EAAAwrong' }).catch((e) => e);
    expect(refused).toBeInstanceOf(SquareApiError);
    expect(refused).toMatchObject({ status: 401, errors: [{ category: 'AUTHENTICATION_ERROR', code: 'UNAUTHORIZED' }] });
    expect(refused.message).not.toContain('EAAAwrong');
    expect(squareAppError(refused)).toMatchObject({ code: 'validation_failed', field: 'accessToken' });

    square.failNext(429, 'RATE_LIMIT_ERROR', 'RATE_LIMITED');
    const limited = await listCatalog(endpoint).catch((e) => e);
    expect(limited).toMatchObject({ status: 429, errors: [{ code: 'RATE_LIMITED' }] });
    expect(squareAppError(limited)).toBeInstanceOf(AppError);
    expect((squareAppError(limited) as AppError).status).toBe(429);

    square.failNext(500, 'API_ERROR', 'INTERNAL_SERVER_ERROR');
    expect((squareAppError(await listLocations(endpoint).catch((e) => e)) as AppError).status).toBe(503);

    const badCursor = await fetch(`${square.url}/v2/catalog/list?types=ITEM&cursor=forged`, { headers: { authorization: `Bearer ${square.token}`, 'square-version': SQUARE_VERSION } });
    expect(badCursor.status).toBe(400);
    expect(await badCursor.json()).toEqual({ errors: [{ category: 'INVALID_REQUEST_ERROR', code: 'INVALID_CURSOR', detail: expect.any(String), field: 'cursor' }] });
  });

  it('places an instant on the calendar day of the location', () => {
    expect(localDay('2026-11-03T02:30:00Z', 'America/New_York')).toBe('2026-11-02');
    expect(localDay('2026-11-03T02:30:00Z', 'Europe/Paris')).toBe('2026-11-03');
  });
});

describe('Square through /v1/menu', () => {
  it('connects with a checked token stored encrypted, and syncs items and daily sales idempotently', async () => {
    const t = await stack.createTenant();
    const call = (method: string, path: string, body?: unknown) => stack.request(method, path, { apiKey: t.apiKey, body });
    const wrong = await call('PUT', '/v1/menu/square', { accessToken: 'EAAAnot-the-token' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ field: 'accessToken', message: expect.stringContaining('UNAUTHORIZED') });
    expect((await call('PUT', '/v1/menu/square', { accessToken: square.token, locationIds: ['ELSEWHERE'] })).body.error.field).toBe('locationIds');
    expect((await call('POST', '/v1/menu/square/sync', {})).status).toBe(404);

    const connected = await call('PUT', '/v1/menu/square', { accessToken: square.token });
    expect(connected.body).toEqual({ locations: [{ id: 'L1MAIN', name: 'Main street', timezone: 'America/New_York', currency: 'USD' }] });
    const stored = await db.query(`select access_token_encrypted from menu_pos_connections where tenant_id = $1`, [t.tenantId]);
    expect(stored.rows[0].access_token_encrypted).not.toContain(square.token);
    expect(stored.rows[0].access_token_encrypted).toMatch(/^v\d+:/);
    const status = await call('GET', '/v1/menu/square');
    expect(status.body).toMatchObject({ connected: true, locationIds: ['L1MAIN'], lastSyncedAt: null });
    expect(JSON.stringify(status.body)).not.toContain(square.token);

    const sync = await call('POST', '/v1/menu/square/sync', { from: '2026-11-01', to: '2026-11-30' });
    expect(sync.status, JSON.stringify(sync.body)).toBe(200);
    expect(sync.body).toEqual({ from: '2026-11-01', to: '2026-11-30', items: { created: 4, updated: 0, unpriced: 1 }, orders: 3, lineItems: 5, unmatchedLineItems: 1, days: 4, units: 7.5 });
    const items = (await call('GET', '/v1/menu/items')).body.items;
    const byName = Object.fromEntries(items.map((i: any) => [i.name, i]));
    expect(byName.Burger).toMatchObject({ category: 'Mains', priceCents: 1500, foodCostCents: null, source: 'square' });
    const weekdays = await call('GET', '/v1/menu/weekdays?from=2026-11-01&to=2026-11-30');
    // Burger ×2 on Monday the 2nd (New York), burger + 3 lattes on Tuesday the 3rd, 1.5 salads on Wednesday the 4th.
    expect(weekdays.body.days.slice(0, 3).map((d: any) => d.sold)).toEqual([2, 4, 1.5]);

    // Food costs set here survive the next sync; the same window synced again changes nothing.
    await call('PATCH', `/v1/menu/items/${byName.Burger.id}`, { foodCostCents: 500 });
    const again = await call('POST', '/v1/menu/square/sync', { from: '2026-11-01', to: '2026-11-30' });
    expect(again.body).toMatchObject({ items: { created: 0, updated: 4 }, days: 4, units: 7.5 });
    expect((await call('GET', `/v1/menu/weekdays?from=2026-11-01&to=2026-11-30`)).body.days.slice(0, 3).map((d: any) => d.sold)).toEqual([2, 4, 1.5]);
    expect((await call('GET', '/v1/menu/items')).body.items.find((i: any) => i.name === 'Burger').foodCostCents).toBe(500);
    const matrix = await call('GET', '/v1/menu/matrix?from=2026-11-01&to=2026-11-30');
    expect(matrix.body.categories.map((c: any) => c.category)).toEqual(['Mains']);
    expect(matrix.body.excluded.map((e: any) => e.name).sort()).toEqual(['Latte (Large)', 'Latte (Small)', 'Salad']);
    expect((await call('GET', '/v1/menu/square')).body).toMatchObject({ lastSync: { orders: 3, units: 7.5 }, lastSyncedAt: expect.any(String) });

    // Square down during a sync: a 503, and what was stored stays.
    square.failNext(503, 'API_ERROR', 'SERVICE_UNAVAILABLE');
    expect((await call('POST', '/v1/menu/square/sync', { from: '2026-11-01', to: '2026-11-30' })).status).toBe(503);
    expect((await call('GET', `/v1/menu/weekdays?from=2026-11-01&to=2026-11-30`)).body.days[1].sold).toBe(4);

    expect((await call('DELETE', '/v1/menu/square')).status).toBe(204);
    expect((await call('GET', '/v1/menu/square')).body.connected).toBe(false);
    expect((await db.query(`select count(*)::int as n from menu_pos_connections where tenant_id = $1`, [t.tenantId])).rows[0].n).toBe(0);
  });
});
