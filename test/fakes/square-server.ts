/**
 * A local Square API for tests, speaking its REST wire format:
 * - `Authorization: Bearer <token>` on every request (else 401 `AUTHENTICATION_ERROR`
 *   `UNAUTHORIZED`), and a `Square-Version` header (YYYY-MM-DD; a malformed one is 400
 *   `INVALID_REQUEST_ERROR` `INVALID_SQUARE_VERSION_FORMAT`).
 * - `GET /v2/locations` → `{locations: [{id, name, timezone, currency, status}]}`.
 * - `GET /v2/catalog/list?types=ITEM,CATEGORY&cursor=` → `{objects, cursor?}`: ITEMs with their
 *   ITEM_VARIATIONs (`item_variation_data.price_money {amount, currency}`), CATEGORYs.
 * - `POST /v2/orders/search` with `location_ids` (1–10), `query.filter.state_filter.states`,
 *   `query.filter.date_time_filter.closed_at {start_at, end_at}`, `query.sort` (`sort_field` must be
 *   CLOSED_AT when filtering on closed_at, as Square requires), `limit` (1–1000, default 500),
 *   `cursor` → `{orders, cursor?}`.
 * Errors have Square's shape `{errors: [{category, code, detail, field?}]}`. Cursors are opaque
 * and tied to the query they came from. `failNext` makes the next request answer an error
 * (a 429 `RATE_LIMITED`, a 500 `INTERNAL_SERVER_ERROR`…).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requestBody } from './request-body';

export interface FakeSquareOrderLine {
  catalogObjectId?: string;
  name?: string;
  quantity: number | string;
  /** Unit price in cents; gross = unit × quantity. */
  unitCents: number;
}

export interface FakeSquare {
  url: string;
  token: string;
  locations: { id: string; name: string; timezone: string; currency: string; status: 'ACTIVE' | 'INACTIVE' }[];
  catalog: any[];
  orders: any[];
  /** Every request: method, path, query, body, the Square-Version sent, whether the token was right. */
  requests: { method: string; path: string; query: URLSearchParams; body: any; version: string | undefined; authorized: boolean }[];
  /** Page sizes: ListCatalog's page (Square's is 100 objects; smaller here to exercise the cursor). */
  catalogPageSize: number;
  /** SearchOrders answers at most this many per page, whatever the limit (Square may answer fewer than asked). */
  ordersPageSize: number;
  addCategory(name: string): string;
  /** An item with one variation per price: `{Regular: 1250}`; answers the variation ids in order. */
  addItem(name: string, categoryId: string | null, variations: Record<string, number | null>): string[];
  addOrder(order: { locationId: string; closedAt: string; state?: string; lines: FakeSquareOrderLine[] }): void;
  failNext(status: number, category: string, code: string, detail?: string): void;
  close(): Promise<void>;
}

const error = (res: ServerResponse, status: number, category: string, code: string, detail: string, field?: string) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ errors: [{ category, code, detail, ...(field ? { field } : {}) }] }));
};
const ok = (res: ServerResponse, body: unknown) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

export async function startFakeSquare(opts: { token?: string; currency?: string } = {}): Promise<FakeSquare> {
  const currency = opts.currency ?? 'USD';
  const cursors = new Map<string, { key: string; offset: number }>();
  let failure: { status: number; category: string; code: string; detail: string } | null = null;
  const id = () => randomBytes(12).toString('base64url').toUpperCase().replace(/[^A-Z0-9]/g, 'X');

  const fake: FakeSquare = {
    url: '',
    token: opts.token ?? `EAAA${randomBytes(24).toString('hex')}`,
    locations: [{ id: 'L1MAIN', name: 'Main street', timezone: 'America/New_York', currency, status: 'ACTIVE' }],
    catalog: [],
    orders: [],
    requests: [],
    catalogPageSize: 100,
    ordersPageSize: 1000,
    addCategory(name) {
      const categoryId = id();
      fake.catalog.push({ type: 'CATEGORY', id: categoryId, updated_at: new Date().toISOString(), version: 1, is_deleted: false, present_at_all_locations: true, category_data: { name } });
      return categoryId;
    },
    addItem(name, categoryId, variations) {
      const itemId = id();
      const vars = Object.entries(variations).map(([vname, cents], ordinal) => ({
        type: 'ITEM_VARIATION',
        id: id(),
        updated_at: new Date().toISOString(),
        version: 1,
        is_deleted: false,
        present_at_all_locations: true,
        item_variation_data: {
          item_id: itemId,
          name: vname,
          ordinal,
          ...(cents === null ? { pricing_type: 'VARIABLE_PRICING' } : { pricing_type: 'FIXED_PRICING', price_money: { amount: cents, currency } }),
        },
      }));
      fake.catalog.push({
        type: 'ITEM',
        id: itemId,
        updated_at: new Date().toISOString(),
        version: 1,
        is_deleted: false,
        present_at_all_locations: true,
        item_data: { name, ...(categoryId ? { categories: [{ id: categoryId, ordinal: 0 }], reporting_category: { id: categoryId } } : {}), variations: vars, product_type: 'FOOD_AND_BEV' },
      });
      return vars.map((v) => v.id);
    },
    addOrder(order) {
      fake.orders.push({
        id: id(),
        location_id: order.locationId,
        state: order.state ?? 'COMPLETED',
        created_at: order.closedAt,
        updated_at: order.closedAt,
        closed_at: order.closedAt,
        version: 4,
        line_items: order.lines.map((l) => ({
          uid: id(),
          name: l.name ?? 'Item',
          quantity: String(l.quantity),
          ...(l.catalogObjectId ? { catalog_object_id: l.catalogObjectId, item_type: 'ITEM' } : { item_type: 'CUSTOM_AMOUNT' }),
          base_price_money: { amount: l.unitCents, currency },
          gross_sales_money: { amount: Math.round(l.unitCents * Number(l.quantity)), currency },
          total_money: { amount: Math.round(l.unitCents * Number(l.quantity)), currency },
        })),
        total_money: { amount: order.lines.reduce((s, l) => s + Math.round(l.unitCents * Number(l.quantity)), 0), currency },
      });
    },
    failNext(status, category, code, detail = code) {
      failure = { status, category, code, detail };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  /** One page of `list` from the cursor (or the start), with the next cursor tied to `key`. */
  const page = <T>(res: ServerResponse, list: T[], size: number, cursor: string | undefined, key: string, wrap: (items: T[]) => object) => {
    let offset = 0;
    if (cursor) {
      const known = cursors.get(cursor);
      if (!known || known.key !== key) return error(res, 400, 'INVALID_REQUEST_ERROR', 'INVALID_CURSOR', 'The cursor is invalid or does not match the query.', 'cursor');
      offset = known.offset;
    }
    const items = list.slice(offset, offset + size);
    let next: string | undefined;
    if (offset + size < list.length) {
      next = randomBytes(16).toString('base64url');
      cursors.set(next, { key, offset: offset + size });
    }
    ok(res, { ...wrap(items), ...(next ? { cursor: next } : {}) });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://square.local');
    const raw = (await requestBody(req)).toString('utf8');
    let body: any = null;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        return error(res, 400, 'INVALID_REQUEST_ERROR', 'INVALID_JSON', 'The request body is not valid JSON.');
      }
    }
    const version = req.headers['square-version'] as string | undefined;
    const authorized = req.headers.authorization === `Bearer ${fake.token}`;
    fake.requests.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, body, version, authorized });
    if (!req.headers.authorization?.startsWith('Bearer ')) return error(res, 401, 'AUTHENTICATION_ERROR', 'UNAUTHORIZED', 'This request could not be authorized.');
    if (!authorized) return error(res, 401, 'AUTHENTICATION_ERROR', 'UNAUTHORIZED', 'The `Authorization` http header of your request was malformed or the access token is not valid.');
    if (version !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(version)) return error(res, 400, 'INVALID_REQUEST_ERROR', 'INVALID_SQUARE_VERSION_FORMAT', `Invalid Square-Version format "${version}". Should be YYYY-MM-DD.`);
    if (failure) {
      const f = failure;
      failure = null;
      return error(res, f.status, f.category, f.code, f.detail);
    }

    if (req.method === 'GET' && url.pathname === '/v2/locations') return ok(res, { locations: fake.locations });

    if (req.method === 'GET' && url.pathname === '/v2/catalog/list') {
      const types = (url.searchParams.get('types') ?? '').split(',').filter(Boolean).map((t) => t.toUpperCase());
      const list = fake.catalog.filter((o) => !types.length || types.includes(o.type));
      return page(res, list, fake.catalogPageSize, url.searchParams.get('cursor') ?? undefined, `catalog:${types.join(',')}`, (objects) => (objects.length ? { objects } : {}));
    }

    if (req.method === 'POST' && url.pathname === '/v2/orders/search') {
      const b = body ?? {};
      const ids: unknown = b.location_ids;
      if (!Array.isArray(ids) || ids.length < 1) return error(res, 400, 'INVALID_REQUEST_ERROR', 'MISSING_REQUIRED_PARAMETER', 'Field must be set', 'location_ids');
      if (ids.length > 10) return error(res, 400, 'INVALID_REQUEST_ERROR', 'TOO_MANY_ITEMS', 'Must have at most 10 location_ids', 'location_ids');
      for (const l of ids) if (!fake.locations.some((x) => x.id === l)) return error(res, 403, 'AUTHENTICATION_ERROR', 'FORBIDDEN', `Merchant does not have access to location ${String(l)}`, 'location_ids');
      const limit = b.limit ?? 500;
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return error(res, 400, 'INVALID_REQUEST_ERROR', 'INVALID_VALUE', 'Limit must be between 1 and 1000', 'limit');
      const filter = b.query?.filter ?? {};
      const closed = filter.date_time_filter?.closed_at;
      if (closed && b.query?.sort?.sort_field !== 'CLOSED_AT') return error(res, 400, 'INVALID_REQUEST_ERROR', 'INVALID_SORT_FIELD', 'Sort field must match the date time filter field (closed_at)', 'query.sort.sort_field');
      const states: string[] | undefined = filter.state_filter?.states;
      const start = closed?.start_at ? Date.parse(closed.start_at) : -Infinity;
      const end = closed?.end_at ? Date.parse(closed.end_at) : Infinity;
      if (Number.isNaN(start) || Number.isNaN(end)) return error(res, 400, 'INVALID_REQUEST_ERROR', 'INVALID_TIME', 'start_at and end_at must be RFC 3339 timestamps', 'query.filter.date_time_filter.closed_at');
      const asc = (b.query?.sort?.sort_order ?? 'DESC') === 'ASC';
      const list = fake.orders
        .filter((o) => ids.includes(o.location_id) && (!states || states.includes(o.state)))
        .filter((o) => !closed || (o.closed_at && Date.parse(o.closed_at) >= start && Date.parse(o.closed_at) <= end))
        .sort((x, y) => (asc ? 1 : -1) * (Date.parse(x.closed_at ?? x.created_at) - Date.parse(y.closed_at ?? y.created_at)));
      const { cursor: _c, limit: _l, ...rest } = b;
      return page(res, list, Math.min(limit, fake.ordersPageSize), b.cursor, `orders:${JSON.stringify(rest)}`, (orders) => ({ orders }));
    }

    error(res, 404, 'INVALID_REQUEST_ERROR', 'NOT_FOUND', `Resource not found: ${req.method} ${url.pathname}`);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => error(res, 500, 'API_ERROR', 'INTERNAL_SERVER_ERROR', String(err)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
