/** The scheduling API: catalog CRUD with field-naming 4xx, availability in the caller's timezone, appointment reads, roles and tenant isolation. */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantEm } from '../../db/orm';
import { bookAppointment } from '../../scheduling/service';
import { signedIn } from '../console-api/support';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { ALL_WEEK, customer, nextMondayAt } from './fixtures';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ ...sharedServers(), worker: false });
}, 120_000);
afterAll(() => stack?.close());

/** A tenant with a location, one staff member and a service, made through the API. */
async function catalog() {
  const { tenantId, apiKey } = await stack.createTenant();
  const call = (method: string, path: string, body?: unknown) => stack.request(method, path, { apiKey, body });
  const location = await call('POST', '/v1/locations', { name: 'Studio', timezone: 'Europe/Berlin' });
  expect(location.status).toBe(201);
  const staff = await call('POST', '/v1/staff', { locationId: location.body.id, name: 'Ada', weeklyHours: ALL_WEEK });
  expect(staff.status).toBe(201);
  const service = await call('POST', '/v1/services', { locationId: location.body.id, name: 'Haircut', durationMinutes: 30, staffIds: [staff.body.id] });
  expect(service.status).toBe(201);
  return { tenantId, apiKey, call, locationId: location.body.id as string, staffId: staff.body.id as string, serviceId: service.body.id as string };
}

describe('catalog', () => {
  it('creates, changes and deletes, answering 4xx that name the field', async () => {
    const t = await catalog();
    expect(await t.call('POST', '/v1/locations', { name: 'Nowhere', timezone: 'Mars/Olympus' })).toMatchObject({ status: 400, body: { error: { field: 'timezone' } } });
    expect(await t.call('POST', '/v1/staff', { locationId: '0b7e8c4e-6a55-4a8e-9a39-3c0e8f1d2a77', name: 'Ghost' })).toMatchObject({ status: 404, body: { error: { field: 'locationId' } } });
    expect(await t.call('POST', '/v1/staff', { locationId: t.locationId, name: 'Late', weeklyHours: { mon: [{ start: '18:00', end: '09:00' }] } })).toMatchObject({ status: 400 });
    expect((await t.call('POST', '/v1/staff', { locationId: t.locationId, name: 'Late', weeklyHours: { mon: [{ start: '18:00', end: '09:00' }] } })).body.error.field).toMatch(/^weeklyHours/);
    expect(await t.call('POST', '/v1/services', { locationId: t.locationId, name: 'X', durationMinutes: 30, staffIds: ['0b7e8c4e-6a55-4a8e-9a39-3c0e8f1d2a77'] })).toMatchObject({ status: 404, body: { error: { field: 'staffIds' } } });
    expect(await t.call('POST', '/v1/availability-exceptions', { date: '2027-01-01', closed: true })).toMatchObject({ status: 400, body: { error: { field: 'locationId' } } });

    // A PATCH changes only what it names.
    const patched = await t.call('PATCH', `/v1/services/${t.serviceId}`, { durationMinutes: 45 });
    expect(patched.body).toMatchObject({ durationMinutes: 45, staffIds: [t.staffId], name: 'Haircut' });
    expect((await t.call('GET', '/v1/services')).body.items.map((s: { id: string }) => s.id)).toEqual([t.serviceId]);

    // A staff member with appointments is kept (deactivate instead); one without is removed from services too.
    const other = await t.call('POST', '/v1/staff', { locationId: t.locationId, name: 'Bo', weeklyHours: ALL_WEEK });
    await t.call('PATCH', `/v1/services/${t.serviceId}`, { staffIds: [t.staffId, other.body.id] });
    expect((await t.call('DELETE', `/v1/staff/${other.body.id}`)).status).toBe(204);
    expect((await t.call('GET', `/v1/services/${t.serviceId}`)).body.staffIds).toEqual([t.staffId]);
    await bookAppointment(tenantEm(stack.orm, t.tenantId), t.tenantId, { serviceId: t.serviceId, startsAt: nextMondayAt('10:00'), customer: customer(1), source: 'api' });
    expect(await t.call('DELETE', `/v1/staff/${t.staffId}`)).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
  });
});

describe('availability and appointments', () => {
  it('lists free slots in the caller’s timezone, without the booked one and not on a holiday', async () => {
    const t = await catalog();
    const from = nextMondayAt('09:00');
    const to = nextMondayAt('11:00');
    await bookAppointment(tenantEm(stack.orm, t.tenantId), t.tenantId, { serviceId: t.serviceId, startsAt: nextMondayAt('09:30'), customer: customer(1), source: 'api' });
    const res = await t.call('GET', `/v1/availability?serviceId=${t.serviceId}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&timezone=America/New_York&locale=en-US`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ locationTimezone: 'Europe/Berlin', timezone: 'America/New_York' });
    const local = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Berlin' }).toFormat('HH:mm');
    expect(res.body.slots.map((s: { startsAt: string }) => local(s.startsAt))).toEqual(['09:00', '10:00', '10:30']);
    // 09:00 in Berlin is 03:00 in New York in January and 03:00 or 04:00 around March: labels follow the display zone.
    const first = res.body.slots[0];
    expect(first.localStartsAt).toBe(DateTime.fromISO(first.startsAt).setZone('America/New_York').toISO({ suppressMilliseconds: true }));
    expect(first.label).toMatch(/AM E[SD]T$/);

    const date = DateTime.fromISO(from, { zone: 'Europe/Berlin' }).toISODate();
    expect((await t.call('POST', '/v1/availability-exceptions', { locationId: t.locationId, date, closed: true, reason: 'Holiday' })).status).toBe(201);
    expect((await t.call('GET', `/v1/availability?serviceId=${t.serviceId}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)).body.slots).toEqual([]);

    expect(await t.call('GET', `/v1/availability?serviceId=${t.serviceId}&from=${encodeURIComponent(to)}&to=${encodeURIComponent(from)}`)).toMatchObject({ status: 400, body: { error: { field: 'to' } } });
    expect(await t.call('GET', `/v1/availability?serviceId=${t.serviceId}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&timezone=Nowhere/City`)).toMatchObject({ status: 400, body: { error: { field: 'timezone' } } });
    expect(await t.call('GET', `/v1/availability?serviceId=${t.serviceId}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&staffId=${t.serviceId}`)).toMatchObject({ status: 400, body: { error: { field: 'staffId' } } });
  });

  it('reads appointments with filters and cursor; viewers read, only admins write; another tenant sees nothing', async () => {
    const t = await catalog();
    const em = () => tenantEm(stack.orm, t.tenantId);
    const one = await bookAppointment(em(), t.tenantId, { serviceId: t.serviceId, startsAt: nextMondayAt('10:00'), customer: customer(1), source: 'api' });
    await bookAppointment(em(), t.tenantId, { serviceId: t.serviceId, startsAt: nextMondayAt('11:00'), customer: customer(2), source: 'api' });
    const page = await t.call('GET', `/v1/appointments?staffId=${t.staffId}&status=booked&limit=1`);
    expect(page.body.items.map((a: { id: string }) => a.id)).toEqual([one.id]);
    const next = await t.call('GET', `/v1/appointments?staffId=${t.staffId}&status=booked&limit=1&cursor=${page.body.nextCursor}`);
    expect(next.body).toMatchObject({ items: [{ customerName: 'Customer 2', staffName: 'Ada', serviceName: 'Haircut' }], nextCursor: null });
    expect((await t.call('GET', `/v1/appointments?from=${encodeURIComponent(nextMondayAt('10:45'))}`)).body.items).toHaveLength(1);
    expect(await t.call('GET', '/v1/appointments?status=lost')).toMatchObject({ status: 400, body: { error: { field: 'status' } } });

    const viewer = await signedIn(stack, t.apiKey, 'viewer');
    expect((await viewer.request('GET', `/v1/appointments/${one.id}`)).status).toBe(200);
    expect((await viewer.request('GET', `/v1/availability?serviceId=${t.serviceId}&from=${encodeURIComponent(nextMondayAt('09:00'))}&to=${encodeURIComponent(nextMondayAt('10:00'))}`)).status).toBe(200);
    expect((await viewer.request('POST', '/v1/locations', { body: { name: 'Mine', timezone: 'UTC' } })).status).toBe(403);
    expect((await viewer.request('PATCH', `/v1/services/${t.serviceId}`, { body: { name: 'Mine' } })).status).toBe(403);

    const other = await catalog();
    for (const path of [`/v1/appointments/${one.id}`, `/v1/services/${t.serviceId}`, `/v1/staff/${t.staffId}`, `/v1/locations/${t.locationId}`]) expect((await other.call('GET', path)).status).toBe(404);
    expect((await other.call('GET', `/v1/availability?serviceId=${t.serviceId}&from=${encodeURIComponent(nextMondayAt('09:00'))}&to=${encodeURIComponent(nextMondayAt('10:00'))}`)).status).toBe(404);
    expect((await other.call('PATCH', `/v1/services/${other.serviceId}`, { staffIds: [t.staffId] })).body.error).toMatchObject({ field: 'staffIds' });
    expect((await other.call('POST', '/v1/availability-exceptions', { staffId: t.staffId, date: '2027-01-01' })).body.error).toMatchObject({ field: 'staffId' });
    expect(JSON.stringify((await other.call('GET', '/v1/appointments')).body)).not.toContain(one.id);
    expect((await other.call('DELETE', `/v1/services/${t.serviceId}`)).status).toBe(404);
  });
});
