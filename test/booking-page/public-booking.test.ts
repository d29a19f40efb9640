/**
 * The public booking routes without a browser: only a tenant whose admin turned the page on
 * answers; slots are the day of the visitor's timezone; bad input is a 400 naming the field; the
 * same idempotency key books once; a booking's .ics link opens that booking only, and not through
 * another tenant's page; booking is rate-limited per visitor; the setting is for admins.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConsoleClient } from '../console-api/support';
import { createConsoleUser } from '../e2e/support/console';
import { apiOk, catalogFixture, tenantSlug } from '../e2e/support/scheduling';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let a: { tenantId: string; apiKey: string; slug: string; serviceId: string };
let b: { tenantId: string; apiKey: string; slug: string; serviceId: string };

async function pageTenant() {
  const t = await stack.createTenant();
  const ids = await catalogFixture(stack, t.tenantId);
  await apiOk(stack, t.apiKey, 'PUT', '/v1/settings/booking-page', { enabled: true });
  return { ...t, slug: await tenantSlug(stack, t.tenantId), serviceId: ids.serviceId };
}

beforeAll(async () => {
  stack = await startStack({ ...sharedServers(), worker: false });
  a = await pageTenant();
  b = await pageTenant();
});

afterAll(async () => {
  await stack?.close();
});

const base = (slug: string) => `/v1/public/booking/${slug}`;
const tomorrow = (zone: string) => new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(new Date(Date.now() + 86_400_000));
const slots = async (t: typeof a, zone: string) => (await stack.request('GET', `${base(t.slug)}/slots?serviceId=${t.serviceId}&date=${tomorrow(zone)}&timezone=${encodeURIComponent(zone)}`)).body.slots;

it("lists the services and a day's slots in the visitor's timezone", async () => {
  const page = await stack.request('GET', base(a.slug));
  expect(page.status).toBe(200);
  expect(page.body).toMatchObject({ title: 'Book an appointment', services: [{ id: a.serviceId, name: 'Haircut', durationMinutes: 30, priceCents: 2500, currency: 'EUR', timezone: 'Europe/Amsterdam' }] });
  const amsterdam = await slots(a, 'Europe/Amsterdam');
  expect(amsterdam).toHaveLength(16);
  // Tokyo's tomorrow starts at 16:00 or 17:00 in Amsterdam of the day before: a different set of slots.
  const tokyo = await slots(a, 'Asia/Tokyo');
  expect(tokyo.length).toBeGreaterThan(0);
  const tokyoDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' });
  for (const s of tokyo) expect(tokyoDay.format(new Date(s.startsAt))).toBe(tomorrow('Asia/Tokyo'));
});

it('refuses bad input with a 400 naming the field, and answers 404 for a page that is off or unknown', async () => {
  const bad = (path: string) => stack.request('GET', `${base(a.slug)}${path}`);
  expect((await bad(`/slots?serviceId=${a.serviceId}&date=tomorrow&timezone=UTC`)).body.error.field).toBe('date');
  expect((await bad(`/slots?serviceId=${a.serviceId}&date=2027-01-01&timezone=Mars/Base`)).body.error.field).toBe('timezone');
  expect((await bad(`/slots?serviceId=nope&date=2027-01-01&timezone=UTC`)).body.error.field).toBe('serviceId');
  const noContact = await stack.request('POST', `${base(a.slug)}/appointments`, { body: { serviceId: a.serviceId, startsAt: new Date().toISOString(), name: 'Ann', idempotencyKey: 'k1' } });
  expect(noContact.status).toBe(400);
  expect(noContact.body.error.field).toBe('email');

  expect((await stack.request('GET', base('no-such-tenant'))).status).toBe(404);
  await apiOk(stack, b.apiKey, 'PUT', '/v1/settings/booking-page', { enabled: false });
  expect((await stack.request('GET', base(b.slug))).status).toBe(404);
  expect((await fetch(`${stack.url}/book/${b.slug}`)).status).toBe(404);
  await apiOk(stack, b.apiKey, 'PUT', '/v1/settings/booking-page', { enabled: true });
});

it('books once per idempotency key, and a taken slot is a 409 with the next free slots', async () => {
  const [slot] = await slots(a, 'Europe/Amsterdam');
  const body = { serviceId: a.serviceId, startsAt: slot.startsAt, name: 'Ann Visitor', email: 'ann@example.test', timezone: 'Europe/Amsterdam', idempotencyKey: 'page-ann-1' };
  const booked = await stack.request('POST', `${base(a.slug)}/appointments`, { body });
  expect(booked.status).toBe(201);
  expect(booked.body).toMatchObject({ serviceName: 'Haircut', staffName: 'Ada Lovelace', startsAt: new Date(slot.startsAt).toISOString(), status: 'booked' });
  const again = await stack.request('POST', `${base(a.slug)}/appointments`, { body });
  expect(again.body.id).toBe(booked.body.id);

  const taken = await stack.request('POST', `${base(a.slug)}/appointments`, { body: { ...body, name: 'Ben', email: 'ben@example.test', idempotencyKey: 'page-ben-1' } });
  expect(taken.status).toBe(409);
  expect(taken.body.error).toMatchObject({ code: 'slot_taken', field: 'startsAt' });
  expect(taken.body.error.details.nextSlots.length).toBeGreaterThan(0);
  expect(taken.body.error.details.nextSlots[0].startsAt).not.toBe(slot.startsAt);

  // The .ics opens by its signed link, and neither another booking's id nor another tenant's page opens it.
  const ics = await fetch(stack.url + booked.body.icsUrl);
  expect(ics.status).toBe(200);
  expect(await ics.text()).toContain('BEGIN:VCALENDAR');
  const token = new URL(booked.body.icsUrl, stack.url).searchParams.get('token');
  expect((await fetch(`${stack.url}${base(b.slug)}/appointments/${booked.body.id}/ics?token=${token}`)).status).toBe(404);
  const ben = await stack.request('POST', `${base(a.slug)}/appointments`, { body: { ...body, startsAt: taken.body.error.details.nextSlots[0].startsAt, name: 'Ben', email: 'ben@example.test', idempotencyKey: 'page-ben-2' } });
  expect(ben.status).toBe(201);
  expect((await fetch(`${stack.url}${base(a.slug)}/appointments/${ben.body.id}/ics?token=${token}`)).status).toBe(404);
  expect((await fetch(stack.url + ben.body.icsUrl)).status).toBe(200);

  // Another tenant's service cannot be booked through this page.
  const [bSlot] = await slots(b, 'Europe/Amsterdam');
  const cross = await stack.request('POST', `${base(a.slug)}/appointments`, { body: { ...body, serviceId: b.serviceId, startsAt: bSlot.startsAt, idempotencyKey: 'page-cross-1' } });
  expect(cross.status).toBe(404);
  expect((await stack.request('GET', `${base(a.slug)}/slots?serviceId=${b.serviceId}&date=${tomorrow('UTC')}&timezone=UTC`)).status).toBe(404);
});

it('limits booking attempts per visitor', async () => {
  let last = 0;
  for (let i = 0; i < 12; i++) {
    last = (await stack.request('POST', `${base(b.slug)}/appointments`, { body: { serviceId: b.serviceId, startsAt: '2020-01-01T10:00:00Z', name: 'Flood', email: 'f@example.test', idempotencyKey: `flood-${i}` } })).status;
  }
  expect(last).toBe(429);
});

it('keeps the setting for admins', async () => {
  const viewer = await createConsoleUser(stack, a.apiKey, 'viewer');
  const client = new ConsoleClient(stack.url);
  await client.login(viewer.email, viewer.password);
  expect((await client.request('GET', '/v1/settings/booking-page')).status).toBe(403);
  expect((await client.request('PUT', '/v1/settings/booking-page', { body: { enabled: false } })).status).toBe(403);
  const bad = await stack.request('PUT', '/v1/settings/booking-page', { apiKey: a.apiKey, body: { enabled: true, embedOrigins: ['https://shop.example.com/path'] } });
  expect(bad.status).toBe(400);
  expect(bad.body.error.field).toMatch(/^embedOrigins/);
});
