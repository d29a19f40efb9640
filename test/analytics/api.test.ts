/**
 * `GET /v1/analytics/overview|breakdown` (and their `.csv`): the hand-computed day of
 * test/analytics/fixtures.ts read back through the API — totals, hourly and daily series, days cut
 * in the tenant's timezone, channel and flow filters, CSV — only the caller's tenant, readable by
 * a viewer, the timezone set by an admin only, and bad input a 400 naming the field.
 */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemEm } from '../../db/orm';
import { rollupHours } from '../../db/repos/analytics-rollup';
import { ConsoleClient } from '../console-api/support';
import { createConsoleUser } from '../e2e/support/console';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { at, DAY, makeAnalyticsTenant, writeDay } from './fixtures';

let stack: Stack;
let a: { tenantId: string; apiKey: string; support: string; sales: string };
let b: { tenantId: string; apiKey: string; support: string; sales: string };

beforeAll(async () => {
  stack = await startStack({ ...sharedServers(), worker: false });
  const made = [];
  for (let i = 0; i < 2; i++) {
    const tenant = await stack.createTenant();
    const flows = await makeAnalyticsTenant(stack.orm, tenant.tenantId);
    await writeDay(stack.orm, flows);
    await rollupHours(systemEm(stack.orm), { from: at('00:00:00'), to: at('23:59:59'), tenantId: tenant.tenantId });
    made.push({ ...tenant, ...flows });
  }
  [a, b] = made;
  // B's days are cut at UTC+14: its 10:00 and 11:00 UTC are the next day's first hours.
  const set = await stack.request('PUT', '/v1/settings/timezone', { apiKey: b.apiKey, body: { timezone: 'Pacific/Kiritimati' } });
  expect(set).toEqual({ status: 200, body: { timezone: 'Pacific/Kiritimati' } });
});
afterAll(async () => {
  await stack?.close();
});

const get = (path: string, apiKey = a.apiKey) => stack.request('GET', path, { apiKey });

it("answers the day's totals and series as computed by hand", async () => {
  const res = await get(`/v1/analytics/overview?from=${DAY}&to=${DAY}`);
  expect(res.status).toBe(200);
  const totals = {
    conversations: 3,
    messagesIn: 3,
    messagesOut: 6,
    handoffs: 1,
    closed: 2,
    closedWithoutHuman: 1,
    handoffRate: 0.3333,
    resolutionRate: 0.5,
    // (30 s + 1,210 s + 5 s) / 3 replies; one handoff answered after 120 s.
    avgFirstResponseSeconds: 415,
    avgTimeToHumanSeconds: 120,
    promptTokens: 150,
    completionTokens: 30,
    costUsd: 0.0015,
    errors: 3,
    // Ratings 5, 1 (a thumbs down), 4 and 3: mean 13 / 4; two of four are 4 or more.
    csatResponses: 4,
    csatAverage: 3.25,
    csatSatisfiedRate: 0.5,
  };
  expect(res.body).toEqual({ from: DAY, to: DAY, granularity: 'day', timezone: 'UTC', totals, series: [{ bucket: DAY, ...totals }] });

  const hourly = await get(`/v1/analytics/overview?from=${DAY}&to=${DAY}&granularity=hour`);
  expect(hourly.body.series).toHaveLength(24);
  const [ten, eleven] = [hourly.body.series[10], hourly.body.series[11]];
  expect(ten).toMatchObject({ bucket: `${DAY}T10:00:00Z`, conversations: 2, messagesIn: 2, messagesOut: 2, closed: 1, closedWithoutHuman: 1, avgFirstResponseSeconds: 30 });
  expect(eleven).toMatchObject({ bucket: `${DAY}T11:00:00Z`, conversations: 1, messagesOut: 4, handoffs: 1, avgFirstResponseSeconds: 607.5, avgTimeToHumanSeconds: 120, errors: 3 });
  expect(hourly.body.series[9]).toMatchObject({ bucket: `${DAY}T09:00:00Z`, conversations: 0, avgFirstResponseSeconds: null, csatResponses: 0, csatAverage: null, csatSatisfiedRate: null });
  expect(ten).toMatchObject({ csatResponses: 1, csatAverage: 5, csatSatisfiedRate: 1 });
  expect(eleven).toMatchObject({ csatResponses: 3, csatAverage: 2.67, csatSatisfiedRate: 0.3333 });
});

it('filters by channel and flow, and breaks down per channel and per flow', async () => {
  const whatsapp = await get(`/v1/analytics/overview?from=${DAY}&to=${DAY}&channel=whatsapp`);
  expect(whatsapp.body.totals).toMatchObject({ conversations: 1, messagesIn: 1, messagesOut: 1, errors: 2, avgFirstResponseSeconds: 5, csatResponses: 2, csatAverage: 3.5, csatSatisfiedRate: 0.5 });
  const sales = await get(`/v1/analytics/overview?from=${DAY}&to=${DAY}&flowId=${a.sales}`);
  expect(sales.body.totals).toMatchObject({ conversations: 1, errors: 3 });

  const byChannel = await get(`/v1/analytics/breakdown?by=channel&from=${DAY}&to=${DAY}`);
  expect(byChannel.body.rows.map((r: { key: string; conversations: number; errors: number }) => [r.key, r.conversations, r.errors])).toEqual([
    ['webchat', 2, 0],
    ['whatsapp', 1, 2],
    ['api', 0, 1],
  ]);
  const byFlow = await get(`/v1/analytics/breakdown?from=${DAY}&to=${DAY}`);
  expect(byFlow.body.by).toBe('flow');
  expect(byFlow.body.rows.map((r: { key: string; label: string; conversations: number }) => [r.key, r.label, r.conversations])).toEqual([
    [a.support, 'Support', 2],
    [a.sales, 'Sales', 1],
  ]);
});

it('cuts days in the tenant’s timezone', async () => {
  const res = await get(`/v1/analytics/overview?from=${DAY}&to=2026-03-11`, b.apiKey);
  expect(res.body.timezone).toBe('Pacific/Kiritimati');
  expect(res.body.series.map((s: { bucket: string; conversations: number }) => [s.bucket, s.conversations])).toEqual([
    [DAY, 0],
    ['2026-03-11', 3],
  ]);
});

it('exports the series and the breakdown as CSV', async () => {
  const res = await fetch(`${stack.url}/v1/analytics/overview.csv?from=${DAY}&to=${DAY}`, { headers: { authorization: `Bearer ${a.apiKey}` } });
  expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
  expect(res.headers.get('content-disposition')).toBe(`attachment; filename="analytics-day-${DAY}-${DAY}.csv"`);
  const rows = parse(await res.text(), { columns: true }) as Record<string, string>[];
  expect(rows).toEqual([expect.objectContaining({ day: DAY, conversations: '3', handoffRate: '0.3333', avgFirstResponseSeconds: '415', costUsd: '0.0015', errors: '3', csatResponses: '4', csatAverage: '3.25', csatSatisfiedRate: '0.5' })]);
  // The CSAT figures are the last columns.
  expect(Object.keys(rows[0]).slice(-3)).toEqual(['csatResponses', 'csatAverage', 'csatSatisfiedRate']);

  const flows = await fetch(`${stack.url}/v1/analytics/breakdown.csv?by=flow&from=${DAY}&to=${DAY}`, { headers: { authorization: `Bearer ${a.apiKey}` } });
  const flowRows = parse(await flows.text(), { columns: true }) as Record<string, string>[];
  expect(flowRows.map((r) => [r.flow, r.label, r.conversations, r.avgTimeToHumanSeconds, r.csatResponses, r.csatAverage])).toEqual([
    [a.support, 'Support', '2', '120', '2', '3'],
    [a.sales, 'Sales', '1', '', '2', '3.5'],
  ]);
});

it("shows a tenant none of another's figures", async () => {
  // B asks with A's flow: only B's own rows are ever read, and B has none of that flow.
  const res = await get(`/v1/analytics/overview?from=${DAY}&to=${DAY}&flowId=${a.sales}`, b.apiKey);
  expect(res.status).toBe(200);
  expect(res.body.totals).toMatchObject({ conversations: 0, errors: 0 });
  const byFlow = await get(`/v1/analytics/breakdown?by=flow&from=${DAY}&to=2026-03-11`, b.apiKey);
  const keys = byFlow.body.rows.map((r: { key: string }) => r.key);
  expect(keys.sort()).toEqual([b.support, b.sales].sort());
  const csv = await (await fetch(`${stack.url}/v1/analytics/breakdown.csv?by=flow&from=${DAY}&to=2026-03-11`, { headers: { authorization: `Bearer ${b.apiKey}` } })).text();
  expect(csv).not.toContain(a.support);
});

it('is readable by a viewer and refuses bad input naming the field', async () => {
  const viewer = await createConsoleUser(stack, a.apiKey, 'viewer');
  const client = new ConsoleClient(stack.url);
  expect((await client.login(viewer.email, viewer.password)).status).toBe(200);
  const seen = await client.request('GET', `/v1/analytics/overview?from=${DAY}&to=${DAY}`);
  expect(seen.status).toBe(200);
  expect(seen.body.totals.conversations).toBe(3);
  // Without dates: the last seven days, today included.
  const recent = await get('/v1/analytics/overview');
  expect(recent.status).toBe(200);
  expect(recent.body.series).toHaveLength(7);

  for (const [query, field] of [
    ['granularity=week', 'granularity'],
    [`from=${DAY}&to=2026-03-01`, 'from'],
    ['from=2026-01-01&to=2026-03-01&granularity=hour', 'to'],
    ['from=yesterday', 'from'],
    ['channel=fax', 'channel'],
    ['flowId=nope', 'flowId'],
    ['from=2020-01-01', 'from'],
  ]) {
    const res = await get(`/v1/analytics/overview?${query}`);
    expect([query, res.status, res.body.error?.field]).toEqual([query, 400, field]);
  }
  for (const timezone of ['Mars/Olympus_Mons', 'EST5EDT-ish', '']) {
    const res = await stack.request('PUT', '/v1/settings/timezone', { apiKey: a.apiKey, body: { timezone } });
    expect([timezone, res.status, res.body.error.field]).toEqual([timezone, 400, 'timezone']);
  }
  expect((await get('/v1/settings/timezone')).body).toEqual({ timezone: 'UTC' });
  expect((await client.request('PUT', '/v1/settings/timezone', { body: { timezone: 'Europe/Berlin' } })).status).toBe(403);
  const badBy = await get('/v1/analytics/breakdown?by=campaign');
  expect([badBy.status, badBy.body.error.field]).toEqual([400, 'by']);
});
