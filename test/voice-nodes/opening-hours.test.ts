/**
 * The tenant's opening hours: the pure decision (zones, DST, holidays, special days), the settings
 * route (admins, zod errors naming the field, tenants apart) and the businessHours node in a real
 * flow run on Temporal, following `open`, `closed` and `holiday` as the saved hours say.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openingStatus, type OpeningHours } from '../../core/opening-hours';
import { validateGraph } from '../../core/graph/validate';
import { signedIn } from '../console-api/support';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { waitUntil } from '../support/wait';

const WEEK: OpeningHours = {
  weekly: { mon: [{ start: '09:00', end: '12:30' }, { start: '13:30', end: '17:00' }], sat: [{ start: '10:00', end: '24:00' }] },
  exceptions: [
    { date: '2026-12-25', closed: true, hours: [], reason: 'Christmas Day' },
    { date: '2026-12-24', closed: false, hours: [{ start: '09:00', end: '12:00' }], reason: 'Christmas Eve' },
  ],
};
const at = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toJSDate();

describe('openingStatus', () => {
  it('reads the week in the tenant’s zone: breaks, the end of the day, other zones', () => {
    // Monday 7 December 2026.
    expect(openingStatus(WEEK, 'Europe/Berlin', at('2026-12-07T09:00', 'Europe/Berlin'))).toMatchObject({ open: true, reason: 'hours', localTime: '2026-12-07T09:00' });
    expect(openingStatus(WEEK, 'Europe/Berlin', at('2026-12-07T12:45', 'Europe/Berlin'))).toMatchObject({ open: false, reason: 'closed' });
    expect(openingStatus(WEEK, 'Europe/Berlin', at('2026-12-07T17:00', 'Europe/Berlin'))).toMatchObject({ open: false, reason: 'closed' });
    expect(openingStatus(WEEK, 'Europe/Berlin', at('2026-12-12T23:59', 'Europe/Berlin'))).toMatchObject({ open: true, reason: 'hours' });
    // 08:30 UTC is 09:30 in Berlin (open) and 03:30 in New York (closed).
    const instant = new Date('2026-12-07T08:30:00Z');
    expect(openingStatus(WEEK, 'Europe/Berlin', instant).open).toBe(true);
    expect(openingStatus(WEEK, 'America/New_York', instant).open).toBe(false);
    // Tuesday: no hours at all.
    expect(openingStatus(WEEK, 'Europe/Berlin', at('2026-12-08T10:00', 'Europe/Berlin'))).toMatchObject({ open: false, reason: 'closed' });
  });

  it('follows the wall clock across a DST change', () => {
    // Monday 30 March 2026, the day after Berlin moves to summer time: 09:00 local is 07:00 UTC.
    expect(openingStatus(WEEK, 'Europe/Berlin', new Date('2026-03-30T07:00:00Z')).open).toBe(true);
    expect(openingStatus(WEEK, 'Europe/Berlin', new Date('2026-03-30T06:59:00Z')).open).toBe(false);
  });

  it('lets a dated exception win: a holiday closes, a special day has its own hours', () => {
    expect(openingStatus(WEEK, 'Europe/Berlin', at('2026-12-25T10:00', 'Europe/Berlin'))).toEqual({ open: false, reason: 'holiday', timezone: 'Europe/Berlin', localTime: '2026-12-25T10:00', exception: 'Christmas Day' });
    expect(openingStatus(WEEK, 'Europe/Berlin', at('2026-12-24T11:00', 'Europe/Berlin'))).toMatchObject({ open: true, reason: 'special', exception: 'Christmas Eve' });
    expect(openingStatus(WEEK, 'Europe/Berlin', at('2026-12-24T12:00', 'Europe/Berlin'))).toMatchObject({ open: false, reason: 'special' });
  });

  it('counts hours never set as open, and an unknown zone as UTC', () => {
    expect(openingStatus(undefined, 'Europe/Berlin', 0)).toMatchObject({ open: true, reason: 'unset' });
    expect(openingStatus(WEEK, 'Mars/Olympus', new Date('2026-12-07T09:30:00Z'))).toMatchObject({ open: true, timezone: 'UTC' });
  });
});

describe('the businessHours node in the catalogue', () => {
  const graph = (edges: { id: string; source: string; target: string; sourceHandle?: string }[]) => ({
    nodes: [
      { id: 'start', type: 'start', data: {} },
      { id: 'hours', type: 'businessHours', data: {} },
      { id: 'open', type: 'end', data: { message: 'open' } },
      { id: 'closed', type: 'end', data: { message: 'closed' } },
    ],
    edges: [{ id: 'e0', source: 'start', target: 'hours' }, ...edges],
  });
  it('needs open and closed connected; holiday may stay unconnected', () => {
    expect(validateGraph(graph([{ id: 'e1', source: 'hours', target: 'open', sourceHandle: 'open' }, { id: 'e2', source: 'hours', target: 'closed', sourceHandle: 'closed' }])).valid).toBe(true);
    const missing = validateGraph(graph([{ id: 'e1', source: 'hours', target: 'open', sourceHandle: 'open' }]));
    expect(missing.errors).toEqual(expect.arrayContaining([expect.objectContaining({ nodeId: 'hours', message: expect.stringContaining("'closed'") })]));
    const badVariable = validateGraph({ ...graph([]), nodes: [...graph([]).nodes.filter((n) => n.id !== 'hours'), { id: 'hours', type: 'businessHours', data: { variable: 'not a name' } }] });
    expect(badVariable.errors).toEqual(expect.arrayContaining([expect.objectContaining({ nodeId: 'hours', field: 'variable' })]));
  });
});

let stack: Stack;
let a: { tenantId: string; apiKey: string };
let b: { tenantId: string; apiKey: string };

beforeAll(async () => {
  stack = await startStack(sharedServers());
  a = await stack.createTenant();
  b = await stack.createTenant();
});
afterAll(async () => {
  await stack?.close();
});

const put = (apiKey: string, body: unknown) => stack.request('PUT', '/v1/settings/opening-hours', { apiKey, body });

describe('GET/PUT /v1/settings/opening-hours', () => {
  it('starts unset (always open), refuses bad input naming the field, saves and answers the current state', async () => {
    const fresh = await stack.request('GET', '/v1/settings/opening-hours', { apiKey: a.apiKey });
    expect(fresh.status).toBe(200);
    expect(fresh.body).toMatchObject({ timezone: 'UTC', weekly: null, exceptions: [], now: { open: true, reason: 'unset' } });

    const cases: [unknown, string][] = [
      [{ timezone: 'Europe/Nowhere', weekly: {} }, 'timezone'],
      [{ timezone: 'Europe/Berlin', weekly: { mon: [{ start: '17:00', end: '09:00' }] } }, 'weekly.mon.0.end'],
      [{ timezone: 'Europe/Berlin', weekly: { mon: [{ start: '09:00', end: '13:00' }, { start: '12:00', end: '17:00' }] } }, 'weekly.mon'],
      [{ timezone: 'Europe/Berlin', weekly: { monday: [] } }, 'weekly'],
      [{ timezone: 'Europe/Berlin', weekly: {}, exceptions: [{ date: '2026-02-30', closed: true }] }, 'exceptions.0.date'],
      [{ timezone: 'Europe/Berlin', weekly: {}, exceptions: [{ date: '2026-12-24', closed: false }] }, 'exceptions.0.hours'],
      [{ timezone: 'Europe/Berlin', weekly: {}, exceptions: [{ date: '2026-12-24' }, { date: '2026-12-24' }] }, 'exceptions'],
      [{ weekly: {} }, 'timezone'],
    ];
    for (const [body, field] of cases) {
      const res = await put(a.apiKey, body);
      expect({ status: res.status, field: res.body.error?.field }, JSON.stringify(body)).toEqual({ status: 400, field });
    }

    const saved = await put(a.apiKey, { timezone: 'Europe/Berlin', ...WEEK });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ timezone: 'Europe/Berlin', weekly: WEEK.weekly, exceptions: WEEK.exceptions });
    expect(saved.body.now).toEqual(openingStatus(WEEK, 'Europe/Berlin', Date.parse(`${saved.body.now.localTime}:00+00:00`) - DateTime.fromISO(saved.body.now.localTime, { zone: 'Europe/Berlin' }).offset * 60_000));
    expect((await stack.request('GET', '/v1/settings/timezone', { apiKey: a.apiKey })).body).toEqual({ timezone: 'Europe/Berlin' });
    expect((await stack.request('GET', '/v1/settings/opening-hours', { apiKey: a.apiKey })).body).toMatchObject({ timezone: 'Europe/Berlin', weekly: WEEK.weekly });
  });

  it('keeps tenants apart and is for admins only', async () => {
    await put(a.apiKey, { timezone: 'Asia/Tokyo', weekly: { tue: [{ start: '08:00', end: '09:00' }] } });
    await put(b.apiKey, { timezone: 'America/Lima', weekly: { wed: [{ start: '10:00', end: '11:00' }] } });
    expect((await stack.request('GET', '/v1/settings/opening-hours', { apiKey: a.apiKey })).body).toMatchObject({ timezone: 'Asia/Tokyo', weekly: { tue: [{ start: '08:00', end: '09:00' }] } });
    expect((await stack.request('GET', '/v1/settings/opening-hours', { apiKey: b.apiKey })).body).toMatchObject({ timezone: 'America/Lima', weekly: { wed: [{ start: '10:00', end: '11:00' }] } });

    const builder = await signedIn(stack, a.apiKey, 'builder');
    expect((await builder.request('GET', '/v1/settings/opening-hours')).status).toBe(403);
    expect((await builder.request('PUT', '/v1/settings/opening-hours', { body: { timezone: 'UTC', weekly: {} } })).status).toBe(403);
    const audit = await stack.request('GET', '/v1/audit-log?targetType=settings.opening-hours', { apiKey: a.apiKey });
    expect(audit.body.items.length).toBeGreaterThan(0);
  });
});

describe('businessHours in a flow run', () => {
  const flow = {
    nodes: [
      { id: 'start', type: 'start', data: {} },
      { id: 'hours', type: 'businessHours', data: { variable: 'state' } },
      { id: 'open', type: 'sendMessage', data: { text: 'We are open' } },
      { id: 'closed', type: 'sendMessage', data: { text: 'We are closed' } },
      { id: 'holiday', type: 'sendMessage', data: { text: 'Happy holidays' } },
      { id: 'end', type: 'end', data: {} },
    ],
    edges: [
      { id: 'e0', source: 'start', target: 'hours' },
      { id: 'e1', source: 'hours', sourceHandle: 'open', target: 'open' },
      { id: 'e2', source: 'hours', sourceHandle: 'closed', target: 'closed' },
      { id: 'e3', source: 'hours', sourceHandle: 'holiday', target: 'holiday' },
      { id: 'e4', source: 'open', target: 'end' },
      { id: 'e5', source: 'closed', target: 'end' },
      { id: 'e6', source: 'holiday', target: 'end' },
    ],
  };
  let flowId: string;
  const today = () => DateTime.utc().toISODate()!;
  const run = async () => {
    const started = await stack.request('POST', `/v1/flows/${flowId}/runs`, { apiKey: a.apiKey, body: { input: {} } });
    expect(started.status).toBe(202);
    const url = `/v1/runs/${started.body.runId}`;
    await waitUntil(async () => (await stack.request('GET', url, { apiKey: a.apiKey })).body.status === 'completed', 30_000, 'the flow run to complete');
    const done = (await stack.request('GET', url, { apiKey: a.apiKey })).body;
    return { text: done.output.messages.map((m: { text: string }) => m.text).join(' / '), state: done.output.variables.state };
  };

  beforeAll(async () => {
    const created = await stack.request('POST', '/v1/flows', { apiKey: a.apiKey, body: { name: 'Hours', graph: flow } });
    flowId = created.body.id;
    expect((await stack.request('POST', `/v1/flows/${flowId}/publish`, { apiKey: a.apiKey })).status).toBe(201);
  });

  it('follows open, closed and holiday by the hours saved at the time of the run', { timeout: 90_000 }, async () => {
    // Today (in UTC) open all day as a special day → open.
    await put(a.apiKey, { timezone: 'UTC', weekly: {}, exceptions: [{ date: today(), closed: false, hours: [{ start: '00:00', end: '24:00' }] }] });
    expect(await run()).toEqual({ text: 'We are open', state: 'open' });
    // No hours on any day → closed.
    await put(a.apiKey, { timezone: 'UTC', weekly: {}, exceptions: [] });
    expect(await run()).toEqual({ text: 'We are closed', state: 'closed' });
    // Today a holiday, although every weekday is open all day → holiday.
    const allDay = [{ start: '00:00', end: '24:00' }];
    await put(a.apiKey, { timezone: 'UTC', weekly: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay }, exceptions: [{ date: today(), closed: true, reason: 'Founders day' }] });
    expect(await run()).toEqual({ text: 'Happy holidays', state: 'holiday' });
  });
});
