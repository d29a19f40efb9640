/**
 * /v1/menu on the real stack (API, worker, Temporal, PostgreSQL): a POS export imported twice
 * (idempotent) with its rejected rows, the matrix, recommendations, weekdays, trends and forecast
 * of the fixture menu against hand-worked figures, bad input naming the field, roles, another
 * tenant's objects out of reach, and the promotion → campaign draft path end to end — offline
 * (the template writer, said so) and with a model in the brand voice (the fake OpenAI server).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn } from '../console-api/support';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { FIRST_DAY, LAST_DAY, menuCsv } from './fixtures';

let stack: Stack;
let fake: FakeOpenAI;
let offline: { tenantId: string; apiKey: string };
let online: { tenantId: string; apiKey: string };
let other: { tenantId: string; apiKey: string };

const MODEL_COPY = {
  variants: [
    {
      sms: 'Trattoria: our Fish is $21 on Tuesdays, homemade as ever. Reply STOP to opt out',
      social: { instagram: 'Fish Tuesdays: $21. #homemade', facebook: 'Fish Tuesdays: $21, homemade.', google: 'Fish Tuesdays: $21.' },
    },
  ],
};

beforeAll(async () => {
  fake = await startFakeOpenAI({ model: 'gpt-menu', responder: () => ({ content: JSON.stringify(MODEL_COPY) }) });
  stack = await startStack(sharedServers());
  [offline, online, other] = await Promise.all([stack.createTenant(), stack.createTenant({ llm: { baseURL: `${fake.url}/v1`, model: 'gpt-menu' } }), stack.createTenant()]);
  const voice = await stack.request('POST', '/v1/brand-voices', { apiKey: online.apiKey, body: { name: 'Trattoria', tone: 'warm, homely', useWords: ['homemade'], emojiPolicy: 'none', language: 'en' } });
  expect(voice.status).toBe(201);
  for (const t of [offline, online]) {
    const res = await stack.request('POST', '/v1/menu/import', { apiKey: t.apiKey, body: { csv: menuCsv() } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
}, 180_000);

afterAll(async () => {
  await stack?.close();
  await fake?.close();
});

const call = (method: string, path: string, body?: unknown, apiKey = offline.apiKey) => stack.request(method, path, { apiKey, body });
const period = `from=${FIRST_DAY}&to=${LAST_DAY}`;

describe('import', () => {
  it('imports a POS export, and the same file again changes nothing', async () => {
    const t = await stack.createTenant();
    const first = await call('POST', '/v1/menu/import', { csv: menuCsv() }, t.apiKey);
    expect(first.body).toMatchObject({ rows: 112, items: { created: 4, updated: 0 }, sales: { days: 112, units: 472, from: FIRST_DAY, to: LAST_DAY }, rejectedCount: 0 });
    expect(first.body.columns).toEqual({ Date: 'date', 'Item Name': 'name', Category: 'category', Price: 'price', 'Unit Cost': 'foodCost', Qty: 'quantity' });
    const again = await call('POST', '/v1/menu/import', { csv: menuCsv() }, t.apiKey);
    expect(again.body).toMatchObject({ items: { created: 0, updated: 4 }, sales: { days: 112, units: 472 } });
    const weekdays = await call('GET', `/v1/menu/weekdays?${period}`, undefined, t.apiKey);
    expect(weekdays.body.days.map((d: any) => d.sold)).toEqual([72, 40, 72, 72, 72, 72, 72]);
  });

  it('lists each rejected row with the field and why, and imports the rest', async () => {
    const t = await stack.createTenant();
    const csv = [
      '\ufeffDay;Product;Group;Menu price;Plate cost;Items sold;Net sales',
      '03/11/2026;Soup;Starters;6,50;1,20;4;26,00',
      '03/11/2026;Soup;Starters;6,50;1,20;2;13,00',
      '31/11/2026;Soup;Starters;6,50;1,20;2;13,00',
      '04/11/2026;Salad;Starters;;;3;',
      '04/11/2026;Bread;Starters;3,00;4,00;1;3,00',
      '04/11/2026;;Starters;3,00;1,00;1;3,00',
      '05/11/2026;Soup;Starters;6,50;1,20;-1;-6,50',
      ';;;;;;',
    ].join('\n');
    const res = await call('POST', '/v1/menu/import', { csv, dateOrder: 'dmy', currency: 'EUR' }, t.apiKey);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ rows: 7, items: { created: 1 }, sales: { days: 1, units: 6, from: '2026-11-03', to: '2026-11-03' }, rejectedCount: 5 });
    expect(res.body.rejected.map((r: any) => [r.row, r.field])).toEqual([
      [4, 'date'],
      [6, 'foodCost'],
      [7, 'name'],
      [8, 'revenue'],
      [5, 'price'],
    ]);
    expect(res.body.rejected.find((r: any) => r.row === 5).message).toContain('Salad is a new item');
    expect(res.body.rejected.find((r: any) => r.row === 8).message).toContain('refund');
    const items = await call('GET', '/v1/menu/items', undefined, t.apiKey);
    expect(items.body.items).toEqual([expect.objectContaining({ name: 'Soup', category: 'Starters', priceCents: 650, foodCostCents: 120, currency: 'EUR', source: 'csv' })]);
    // A later sales-only file knows Soup by name: its category, price and cost stay.
    const later = await call('POST', '/v1/menu/import', { csv: 'Item,Date,Qty\nSoup,2026-11-06,5\n' }, t.apiKey);
    expect(later.body).toMatchObject({ items: { created: 0, updated: 1 }, sales: { days: 1, units: 5 } });
    expect((await call('GET', '/v1/menu/items', undefined, t.apiKey)).body.items[0]).toMatchObject({ category: 'Starters', priceCents: 650, foodCostCents: 120 });
  });

  it('takes a column mapping, and refuses files it cannot read with a 400 naming the field', async () => {
    const t = await stack.createTenant();
    const mapped = await call('POST', '/v1/menu/import', { csv: 'Plat,Prix,Coût\nCassoulet,19.50,7.25\n', mapping: { Plat: 'name', Prix: 'price', Coût: 'foodCost' } }, t.apiKey);
    expect(mapped.body).toMatchObject({ items: { created: 1 }, sales: { days: 0 } });
    const cases: [unknown, string][] = [
      [{ csv: '' }, 'csv'],
      [{ csv: 'Price,Qty\n1,2\n' }, 'csv'],
      [{ csv: 'a,b\n1,2\n', mapping: { Nope: 'name' } }, 'mapping'],
      [{ csv: 'a\n1\n', mapping: { a: 'colour' } }, 'mapping.a'],
      [{ csv: 'Item\n"unclosed\n' }, 'csv'],
      [{ csv: 'Item\nx\n', dateOrder: 'ymd' }, 'dateOrder'],
      [{ csv: 'Item\nx\n', currency: 'euro' }, 'currency'],
    ];
    for (const [body, field] of cases) {
      const res = await call('POST', '/v1/menu/import', body, t.apiKey);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.field, JSON.stringify(body)).toBe(field);
    }
  });
});

describe('analysis', () => {
  it('answers the matrix, recommendations and weekday sales of the period as worked by hand', async () => {
    const m = await call('GET', `/v1/menu/matrix?${period}`);
    expect(m.status).toBe(200);
    const mains = m.body.categories[0];
    expect(mains).toMatchObject({ category: 'Mains', itemCount: 4, totalSold: 472 });
    expect(mains.averageCmCents).toBeCloseTo(565_600 / 472, 6);
    expect(Object.fromEntries(mains.items.map((i: any) => [i.name, i.class]))).toEqual({ Steak: 'star', Pasta: 'plowhorse', Fish: 'puzzle', Tofu: 'dog' });
    const recs = await call('GET', `/v1/menu/recommendations?${period}`);
    expect(recs.body.items.map((r: any) => [r.name, r.action, r.impactCents])).toEqual([
      ['Fish', 'reposition', 100_500],
      ['Pasta', 'reprice', 36_400],
      ['Tofu', 'remove', 19_553],
      ['Steak', 'keep', 0],
    ]);
    const weekdays = await call('GET', `/v1/menu/weekdays?${period}`);
    expect(weekdays.body.days[1]).toEqual({ weekday: 1, name: 'Tuesday', sold: 40, revenueCents: 4 * (3 * 2800 + 5 * 1400 + 2400 + 1100), days: 4, averageSold: 10 });
    // With no period: the 28 days up to the last day with sales.
    expect((await call('GET', '/v1/menu/matrix')).body).toMatchObject({ from: FIRST_DAY, to: LAST_DAY, currency: 'USD' });
  });

  it('compares two periods and forecasts with a backtested MAPE', async () => {
    const trends = await call('GET', '/v1/menu/trends?from=2026-11-16&to=2026-11-29');
    expect(trends.body.before).toEqual({ from: '2026-11-02', to: '2026-11-15' });
    expect(trends.body.items.find((i: any) => i.name === 'Fish')).toMatchObject({ before: 'puzzle', after: 'puzzle', soldBefore: 14, soldAfter: 14, soldChange: 0 });
    const forecast = await call('GET', `/v1/menu/forecast?weeks=4&holdoutWeeks=1&days=7&to=${LAST_DAY}`);
    expect(forecast.status, JSON.stringify(forecast.body)).toBe(200);
    const total = forecast.body.total;
    // Every week is the same: Tuesday 10 units, the other days 18 → index 10/16.86 and 18/16.86, no trend, MAPE 0.
    expect(total.model.seasonalIndex[1]).toBeCloseTo(10 / (118 / 7), 9);
    expect(total.model.slopePerDay).toBeCloseTo(0, 9);
    expect(total.backtest).toMatchObject({ trainFrom: FIRST_DAY, trainTo: '2026-11-22', testFrom: '2026-11-23', testTo: LAST_DAY, scoredDays: 7 });
    expect(total.backtest.mape).toBeCloseTo(0, 9);
    expect(total.next.map((d: any) => Math.round(d.quantity))).toEqual([18, 10, 18, 18, 18, 18, 18]);
    expect(total.explanation.join(' ')).toContain('quietest Tuesday');
    expect(forecast.body.items.map((i: any) => i.name)).toEqual(['Pasta', 'Steak', 'Fish', 'Tofu']);
  });

  it('refuses bad input with a 400 naming the field', async () => {
    const items = (await call('GET', '/v1/menu/items')).body.items;
    const cases: [string, string, unknown, string][] = [
      ['GET', '/v1/menu/matrix?from=2026-11-31', undefined, 'from'],
      ['GET', '/v1/menu/matrix?from=2026-11-20&to=2026-11-01', undefined, 'from'],
      ['GET', '/v1/menu/forecast?weeks=3&holdoutWeeks=2', undefined, 'holdoutWeeks'],
      ['GET', '/v1/menu/weekdays?itemId=soup', undefined, 'itemId'],
      ['PATCH', `/v1/menu/items/${items[0].id}`, { foodCostCents: -1 }, 'foodCostCents'],
      ['PATCH', `/v1/menu/items/${items[0].id}`, { foodCostCents: 1_000_000 }, 'foodCostCents'],
      ['PATCH', `/v1/menu/items/${items[0].id}`, {}, 'name'],
      ['POST', '/v1/menu/items', { name: 'Pie', category: 'Desserts', priceCents: 500, foodCostCents: 600 }, 'foodCostCents'],
      ['POST', '/v1/menu/promotions/generate', { brandVoiceId: 'x' }, 'brandVoiceId'],
      ['PUT', '/v1/menu/square', { accessToken: 'short' }, 'accessToken'],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await call(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(400);
      expect(res.body.error.field, `${method} ${path}`).toBe(field);
    }
  });

  it('edits an item: a food cost places it, and a price moves it', async () => {
    const t = await stack.createTenant();
    const created = await call('POST', '/v1/menu/items', { name: 'Pie', category: 'Desserts', priceCents: 700 }, t.apiKey);
    expect(created.status).toBe(201);
    expect((await call('GET', '/v1/menu/matrix', undefined, t.apiKey)).body.excluded).toEqual([{ itemId: created.body.id, name: 'Pie', reason: expect.stringContaining('no food cost') }]);
    const patched = await call('PATCH', `/v1/menu/items/${created.body.id}`, { foodCostCents: 200, priceCents: 750 }, t.apiKey);
    expect(patched.body).toMatchObject({ priceCents: 750, foodCostCents: 200 });
    expect((await call('GET', '/v1/menu/matrix', undefined, t.apiKey)).body.categories[0].items[0]).toMatchObject({ name: 'Pie', unitCmCents: 550 });
    expect((await call('DELETE', `/v1/menu/items/${created.body.id}`, undefined, t.apiKey)).status).toBe(204);
    expect((await call('GET', '/v1/menu/items', undefined, t.apiKey)).body.items).toEqual([]);
  });
});

describe('tenancy and roles', () => {
  it("keeps another tenant's items and promotions out of reach", async () => {
    const theirs = (await call('GET', '/v1/menu/items', undefined, online.apiKey)).body.items[0].id;
    const promos = await call('POST', '/v1/menu/promotions/generate', {}, other.apiKey);
    expect(promos.body.items).toEqual([]);
    expect((await call('GET', '/v1/menu/items', undefined, other.apiKey)).body.items).toEqual([]);
    expect((await call('PATCH', `/v1/menu/items/${theirs}`, { name: 'Mine now' }, other.apiKey)).status).toBe(404);
    expect((await call('DELETE', `/v1/menu/items/${theirs}`, undefined, other.apiKey)).status).toBe(404);
    expect((await call('GET', `/v1/menu/forecast?itemId=${theirs}`, undefined, other.apiKey)).status).toBe(404);
    const generated = await call('POST', '/v1/menu/promotions/generate', { from: FIRST_DAY, to: LAST_DAY }, offline.apiKey);
    const promotion = generated.body.items[0].id;
    expect((await call('POST', `/v1/menu/promotions/${promotion}/accept`, {}, other.apiKey)).status).toBe(404);
    expect((await call('POST', `/v1/menu/promotions/${promotion}/dismiss`, undefined, other.apiKey)).status).toBe(404);
    expect((await call('GET', '/v1/menu/promotions', undefined, other.apiKey)).body.items).toEqual([]);
  });

  it('lets a viewer read and a marketer write, and keeps the Square token the admin’s', async () => {
    const [viewer, marketer] = await Promise.all([signedIn(stack, other.apiKey, 'viewer'), signedIn(stack, other.apiKey, 'marketer')]);
    expect((await viewer.request('GET', '/v1/menu/matrix')).status).toBe(200);
    expect((await viewer.request('POST', '/v1/menu/import', { body: { csv: 'Item,Price\nTea,3\n' } })).status).toBe(403);
    expect((await marketer.request('POST', '/v1/menu/import', { body: { csv: 'Item,Price\nTea,3\n' } })).status).toBe(200);
    expect((await marketer.request('PUT', '/v1/menu/square', { body: { accessToken: 'EAAA-not-theirs-to-set' } })).status).toBe(403);
  });
});

describe('promotions → campaign drafts', () => {
  it('offline: proposes with the template writer (and says so), and an accepted one becomes a draft with content', async () => {
    const generated = await call('POST', '/v1/menu/promotions/generate', { from: FIRST_DAY, to: LAST_DAY });
    expect(generated.status, JSON.stringify(generated.body)).toBe(200);
    expect(generated.body.items.map((p: any) => [p.kind, p.title, p.offer])).toEqual([
      ['puzzle', 'Fish on Tuesdays', 'Fish for $21.00 instead of $24.00'],
      ['slow_day', 'Tuesday special: Steak', 'Every Tuesday: Steak for $24.00 instead of $28.00'],
    ]);
    const fish = generated.body.items[0];
    expect(fish).toMatchObject({ status: 'proposed', copyBy: 'template-writer', weekday: 1, periodFrom: FIRST_DAY, periodTo: LAST_DAY });
    expect(fish.copyNotes.join(' ')).toContain('Written offline by the template-writer');
    expect(fish.copy.sms.text).toContain('Fish for $21.00 instead of $24.00');
    expect(fish.copy.social.instagram).toContain('every Tuesday');
    expect(fish.rationale.join(' ')).toContain('Fish is a puzzle');

    const accepted = await call('POST', `/v1/menu/promotions/${fish.id}/accept`, { channels: ['sms', 'email'], name: 'Fish Tuesdays' });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
    const { promotion, campaign } = accepted.body;
    expect(promotion).toMatchObject({ status: 'accepted', campaignId: campaign.id });
    expect(campaign).toMatchObject({ name: 'Fish Tuesdays', status: 'draft', channels: ['sms', 'email'], brief: { offer: 'Fish for $21.00 instead of $24.00', dates: 'every Tuesday', channels: ['sms', 'email'] } });
    expect(campaign.variants).toHaveLength(1);
    expect(campaign.variants[0].generatedBy).toBe('template-writer');
    expect(campaign.variants[0].content.sms.text).toContain('Fish for $21.00 instead of $24.00');
    expect(campaign.variants[0].content.email.subject).toBeTruthy();
    // The draft is an ordinary campaign: the campaigns API has it, and its run answers.
    expect((await call('GET', `/v1/campaigns/${campaign.id}`)).body).toMatchObject({ id: campaign.id, status: 'draft' });
    expect((await call('GET', `/v1/campaigns/${campaign.id}/progress`)).body).toMatchObject({ status: 'draft' });
    // Decided once.
    expect((await call('POST', `/v1/menu/promotions/${fish.id}/accept`, {})).status).toBe(409);
    expect((await call('POST', `/v1/menu/promotions/${fish.id}/dismiss`)).status).toBe(409);
    const dismissed = await call('POST', `/v1/menu/promotions/${generated.body.items[1].id}/dismiss`);
    expect(dismissed.body.status).toBe('dismissed');
    // A new generation replaces only open proposals.
    await call('POST', '/v1/menu/promotions/generate', { from: FIRST_DAY, to: LAST_DAY });
    const statuses = (await call('GET', '/v1/menu/promotions')).body.items.map((p: any) => p.status).sort();
    expect(statuses).toEqual(['accepted', 'dismissed', 'proposed', 'proposed']);
  });

  it('with a model: the copy and the draft are written in the brand voice', async () => {
    fake.reset();
    const generated = await call('POST', '/v1/menu/promotions/generate', { from: FIRST_DAY, to: LAST_DAY }, online.apiKey);
    expect(generated.status, JSON.stringify(generated.body)).toBe(200);
    const fish = generated.body.items[0];
    expect(fish.copyBy).toBe('model:gpt-menu');
    expect(fish.copyNotes.join(' ')).not.toContain('offline');
    expect(fish.copy.sms.text).toContain('homemade');
    const prompt = fake.chatRequests[0]!.body.messages[0].content as string;
    expect(prompt).toContain('Write in the brand voice "Trattoria".');
    const user = fake.chatRequests.map((r) => JSON.stringify(r.body.messages)).join(' ');
    expect(user).toContain('Fish for $21.00 instead of $24.00');

    const accepted = await call('POST', `/v1/menu/promotions/${fish.id}/accept`, {}, online.apiKey);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
    expect(accepted.body.campaign.variants[0]).toMatchObject({ generatedBy: 'model:gpt-menu', content: { sms: { text: expect.stringContaining('homemade') } } });
  });

  it('answers 503 when the model is down, and leaves the open proposals as they were', async () => {
    const before = (await call('GET', '/v1/menu/promotions?status=proposed', undefined, online.apiKey)).body.items.map((p: any) => p.id);
    fake.script(() => ({ status: 500, error: 'down' }));
    try {
      const res = await call('POST', '/v1/menu/promotions/generate', { from: FIRST_DAY, to: LAST_DAY }, online.apiKey);
      expect(res.status).toBe(503);
    } finally {
      fake.script(() => ({ content: JSON.stringify(MODEL_COPY) }));
    }
    expect((await call('GET', '/v1/menu/promotions?status=proposed', undefined, online.apiKey)).body.items.map((p: any) => p.id)).toEqual(before);
  });
});
