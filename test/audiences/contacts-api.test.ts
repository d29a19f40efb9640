/**
 * The contacts and segments API on the real stack: CRUD with normalization, consent per channel,
 * the CSV import (mapping, bad rows reported, idempotent re-import, opt-outs kept), list filters,
 * segment counts, bad input naming the field, and another tenant's ids answering 404.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let a: { tenantId: string; apiKey: string };
let b: { tenantId: string; apiKey: string };

beforeAll(async () => {
  stack = await startStack({ ...sharedServers(), worker: false });
  [a, b] = await Promise.all([stack.createTenant(), stack.createTenant()]);
});
afterAll(async () => stack?.close());

const req = (tenant: { apiKey: string }, method: string, path: string, body?: unknown) => stack.request(method, path, { apiKey: tenant.apiKey, body });

async function upload(tenant: { apiKey: string }, csv: string, opts: { mapping?: Record<string, string>; query?: string; asText?: boolean } = {}) {
  const init: RequestInit = { method: 'POST', headers: { authorization: `Bearer ${tenant.apiKey}` } };
  if (opts.asText) {
    init.headers = { ...init.headers, 'content-type': 'text/csv' };
    init.body = csv;
  } else {
    const form = new FormData();
    if (opts.mapping) form.append('mapping', JSON.stringify(opts.mapping));
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'customers.csv');
    init.body = form;
  }
  const res = await fetch(`${stack.url}/v1/contacts/import${opts.query ?? ''}`, init);
  return { status: res.status, body: await res.json() };
}

describe('contacts', () => {
  it('creates with E.164 phones, lower-case emails and normalized tags, patches, sets consent, deletes', async () => {
    const created = await req(a, 'POST', '/v1/contacts', {
      firstName: 'Ana', lastName: 'Lima', email: 'Ana@Example.COM', phone: '+1 (415) 555-0101', tags: ['VIP', ' vip', 'Wine'],
      attributes: { visits: 3 }, timezone: 'America/Los_Angeles', locale: 'en-US', consent: { sms: 'opted_in' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: 'ana@example.com', phone: '+14155550101', tags: ['vip', 'wine'], channel: 'api', consent: { sms: { status: 'opted_in', method: 'api' } } });
    const id = created.body.id;

    const patched = await req(a, 'PATCH', `/v1/contacts/${id}`, { attributes: { visits: null, city: 'Lyon' }, consent: { email: 'opted_out' } });
    expect(patched.status).toBe(200);
    expect(patched.body.attributes).toEqual({ city: 'Lyon' });
    expect(patched.body.consent.email).toMatchObject({ status: 'opted_out', method: 'api' });

    const consent = await req(a, 'PUT', `/v1/contacts/${id}/consent/whatsapp`, { status: 'opted_in', method: 'form', source: 'booking page' });
    expect(consent.status).toBe(200);
    expect(consent.body.consent.whatsapp).toMatchObject({ status: 'opted_in', method: 'form', source: 'booking page' });

    expect((await req(a, 'GET', `/v1/contacts/${id}`)).body.firstName).toBe('Ana');
    expect((await req(a, 'DELETE', `/v1/contacts/${id}`)).status).toBe(204);
    expect((await req(a, 'GET', `/v1/contacts/${id}`)).status).toBe(404);
  });

  it('refuses bad input with a 400 naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ phone: '555-0101' }, 'phone'],
      [{ email: 'not an email' }, 'email'],
      [{ timezone: 'Mars/Olympus' }, 'timezone'],
      [{ locale: 'English please' }, 'locale'],
      [{ consent: { fax: 'opted_in' } }, 'consent'],
    ];
    for (const [body, field] of cases) {
      const res = await req(a, 'POST', '/v1/contacts', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.field, JSON.stringify(res.body)).toMatch(new RegExp(`^${field}`));
    }
    const contact = (await req(a, 'POST', '/v1/contacts', { name: 'Bo' })).body;
    const bad = await req(a, 'PUT', `/v1/contacts/${contact.id}/consent/sms`, { status: 'maybe' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('status');
    expect((await req(a, 'PUT', `/v1/contacts/${contact.id}/consent/fax`, { status: 'opted_in' })).body.error.field).toBe('channel');
  });

  it("answers 404 for another tenant's contacts and segments, and lists none of them", async () => {
    const mine = (await req(b, 'POST', '/v1/contacts', { name: 'Secret of B', phone: '+14155550199', tags: ['b-only'] })).body;
    const segment = (await req(b, 'POST', '/v1/segments', { name: 'B segment', filter: { match: 'all', conditions: [] } })).body;
    expect((await req(a, 'GET', `/v1/contacts/${mine.id}`)).status).toBe(404);
    expect((await req(a, 'PATCH', `/v1/contacts/${mine.id}`, { name: 'hijacked' })).status).toBe(404);
    expect((await req(a, 'PUT', `/v1/contacts/${mine.id}/consent/sms`, { status: 'opted_out' })).status).toBe(404);
    expect((await req(a, 'DELETE', `/v1/contacts/${mine.id}`)).status).toBe(404);
    expect((await req(a, 'GET', `/v1/segments/${segment.id}`)).status).toBe(404);
    expect((await req(a, 'PATCH', `/v1/segments/${segment.id}`, { name: 'hijacked' })).status).toBe(404);
    expect((await req(a, 'DELETE', `/v1/segments/${segment.id}`)).status).toBe(404);
    expect((await req(a, 'GET', `/v1/contacts?segmentId=${segment.id}`)).status).toBe(404);
    expect((await req(a, 'GET', '/v1/contacts?tag=b-only')).body.items).toEqual([]);
    expect((await req(a, 'GET', '/v1/segments')).body.items.map((s: { id: string }) => s.id)).not.toContain(segment.id);
    const own = await req(b, 'GET', `/v1/contacts/${mine.id}`);
    expect(own.body.name).toBe('Secret of B');
    expect(own.body.consent).toEqual({});
  });
});

describe('CSV import', () => {
  const csv = [
    'Customer ID,Given name,Surname,E-mail,Mobile,Groups,Zone,SMS opt-in,Visits',
    'c-1,Ana,Lima,ANA@example.com,06 12 34 56 78,VIP;wine,Europe/Paris,yes,12',
    'c-2,Bo,,bo@example,0612345679,,,yes,3',
    'c-3,Cy,,cy@example.com,not a phone,,,,1',
    'c-4,Dee,,dee@example.com,,wine,Mars/Base,,',
    ',,,,,,,,',
    ',Nobody,,,,,,,',
    'c-5,Eve,,eve@example.com,+33 6 12 34 56 80,,,maybe,',
  ].join('\n');
  const mapping = { 'Customer ID': 'id', 'Given name': 'firstName', Surname: 'lastName', 'E-mail': 'email', Mobile: 'phone', Groups: 'tags', Zone: 'timezone', 'SMS opt-in': 'consent.sms', Visits: 'attributes.visits' };

  it('imports mapped columns, reports each bad row with its field, and updates on re-import', async () => {
    const first = await upload(a, csv, { mapping, query: '?defaultCountry=FR' });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ imported: 1, updated: 0, rejectedCount: 5 });
    expect(first.body.rejected.map((r: { row: number; field: string }) => [r.row, r.field])).toEqual([
      [2, 'email'], [3, 'phone'], [4, 'timezone'], [6, 'phone'], [7, 'consent.sms'], // row 5 is empty: skipped
    ]);
    expect(first.body.rejected[0].message).toMatch(/not a valid email/);

    const [ana] = (await req(a, 'GET', '/v1/contacts?q=lima')).body.items;
    expect(ana).toMatchObject({ firstName: 'Ana', email: 'ana@example.com', phone: '+33612345678', tags: ['vip', 'wine'], timezone: 'Europe/Paris', attributes: { visits: '12' }, consent: { sms: { status: 'opted_in', method: 'import', source: 'csv:customers.csv' } } });

    // The contact opts out by STOP meanwhile: a re-import saying "yes" does not opt them back in.
    await req(a, 'PUT', `/v1/contacts/${ana.id}/consent/sms`, { status: 'opted_out', method: 'console' });
    const fixed = csv.replace('bo@example,', 'bo@example.com,').replace('Mars/Base', 'Europe/Berlin').replace('\n', '\n').replace('c-1,Ana,Lima,ANA@example.com', 'c-1,Ana,Lima-Souza,');
    const second = await upload(a, fixed, { mapping, query: '?defaultCountry=FR' });
    expect(second.body).toMatchObject({ imported: 2, updated: 1, rejectedCount: 3, optOutsKept: 1 });
    const again = (await req(a, 'GET', `/v1/contacts/${ana.id}`)).body;
    expect(again).toMatchObject({ lastName: 'Lima-Souza', email: 'ana@example.com', consent: { sms: { status: 'opted_out', method: 'console' } } });
    const third = await upload(a, fixed, { mapping, query: '?defaultCountry=FR' });
    expect(third.body).toMatchObject({ imported: 0, updated: 3 });
  });

  it('takes text/csv whose headers name the fields, and adopts a contact the tenant had by phone', async () => {
    const existing = (await req(a, 'POST', '/v1/contacts', { name: 'Wrote on SMS', phone: '+14155550177' })).body;
    const res = await upload(a, 'phone,first_name,tags,favourite dish,whatsapp consent\n+14155550177,Gil,regular,ramen,yes\n+14155550178,Hal,,,no\n', { asText: true });
    expect(res.body).toMatchObject({ imported: 1, updated: 1, rejectedCount: 0 });
    const gil = (await req(a, 'GET', `/v1/contacts/${existing.id}`)).body;
    expect(gil).toMatchObject({ name: 'Wrote on SMS', firstName: 'Gil', tags: ['regular'], attributes: { 'favourite dish': 'ramen' }, consent: { whatsapp: { status: 'opted_in' } } });
  });

  it('refuses a mapping naming missing columns or unknown fields, and an empty file', async () => {
    const missing = await upload(a, 'a,b\n1,2\n', { mapping: { c: 'email' } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.field).toBe('mapping');
    const unknown = await upload(a, 'a,b\n1,2\n', { mapping: { a: 'shoeSize' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ field: 'mapping' });
    const empty = await upload(a, '', { asText: true });
    expect(empty.status).toBe(400);
    expect(empty.body.error.field).toBe('file');
  });
});

describe('segments', () => {
  it('saves a filter, counts it live, and filters the contact list by it', async () => {
    const t = await stack.createTenant();
    for (const [name, phone, tag, consent] of [['P1', '+14155550201', 'pizza', 'opted_in'], ['P2', '+14155550202', 'pizza', 'opted_out'], ['P3', null, 'pizza', null], ['S1', '+14155550204', 'sushi', 'opted_in']] as const)
      await req(t, 'POST', '/v1/contacts', { name, ...(phone ? { phone } : {}), tags: [tag], ...(consent ? { consent: { sms: consent } } : {}) });
    const filter = { match: 'all', conditions: [{ field: 'tag', op: 'has', value: 'pizza' }] };
    const count = await req(t, 'POST', '/v1/segments/count', { filter });
    expect(count.body).toEqual({ total: 3, reachable: { sms: 1, whatsapp: 0, email: 0, messenger: 0 } });
    const bad = await req(t, 'POST', '/v1/segments/count', { filter: { conditions: [{ field: 'lastSeen', op: 'within_days', days: 0 }] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toMatch(/^filter\.conditions\.0/);

    const segment = await req(t, 'POST', '/v1/segments', { name: 'Pizza lovers', filter });
    expect(segment.status).toBe(201);
    expect((await req(t, 'GET', `/v1/contacts?segmentId=${segment.body.id}`)).body.items.map((c: { name: string }) => c.name).sort()).toEqual(['P1', 'P2', 'P3']);
    const renamed = await req(t, 'PATCH', `/v1/segments/${segment.body.id}`, { name: 'Pizza fans' });
    expect(renamed.body).toMatchObject({ name: 'Pizza fans', filter });
    expect((await req(t, 'GET', '/v1/segments')).body.items.map((s: { name: string }) => s.name)).toEqual(['Pizza fans']);
    expect((await req(t, 'POST', '/v1/segments', { name: '', filter })).body.error.field).toBe('name');
    expect((await req(t, 'DELETE', `/v1/segments/${segment.body.id}`)).status).toBe(204);
  });

  it('pages the contact list with a cursor', async () => {
    const t = await stack.createTenant();
    for (let i = 0; i < 5; i++) await req(t, 'POST', '/v1/contacts', { name: `N${i}` });
    const first = (await req(t, 'GET', '/v1/contacts?limit=2')).body;
    const second = (await req(t, 'GET', `/v1/contacts?limit=2&cursor=${first.nextCursor}`)).body;
    const third = (await req(t, 'GET', `/v1/contacts?limit=2&cursor=${second.nextCursor}`)).body;
    expect([...first.items, ...second.items, ...third.items].map((c: { name: string }) => c.name)).toEqual(['N4', 'N3', 'N2', 'N1', 'N0']);
    expect(third.nextCursor).toBeNull();
  });
});
