/**
 * `GET /v1/appointments/analytics`: the figures of the caller's tenant only (tenant B's bookings
 * at the same hours are not counted), by local date and hour of the location, every role may
 * read them, and a bad range is a 400 naming the field.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tenantEm } from '../../db/orm';
import { cancelAppointment, setAppointmentStatus } from '../../scheduling/service';
import { ConsoleClient } from '../console-api/support';
import { createConsoleUser } from '../e2e/support/console';
import { at, book, catalogFixture, dayIn } from '../e2e/support/scheduling';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let a: { tenantId: string; apiKey: string };
let b: { tenantId: string; apiKey: string };

beforeAll(async () => {
  stack = await startStack({ ...sharedServers(), worker: false });
  a = await stack.createTenant();
  b = await stack.createTenant();
  for (const [tenant, names] of [
    [a, ['Ann', 'Ben', 'Cy', 'Dee']],
    [b, ['Xavier', 'Yara', 'Zed']],
  ] as const) {
    const ids = await catalogFixture(stack, tenant.tenantId);
    const em = () => tenantEm(stack.orm, tenant.tenantId);
    const made = [];
    for (const [i, name] of names.entries()) made.push(await book(stack, tenant.tenantId, { ...ids, startsAt: at(dayIn(1), `${String(9 + i).padStart(2, '0')}:00`), name }));
    if (tenant === a) {
      await cancelAppointment(em(), a.tenantId, made[0].id, { reason: 'moved away', by: 'customer' });
      await setAppointmentStatus(em(), a.tenantId, made[1].id, 'no_show');
      await setAppointmentStatus(em(), a.tenantId, made[2].id, 'completed');
    }
  }
});

afterAll(async () => {
  await stack?.close();
});

const query = (from: string, to: string) => `/v1/appointments/analytics?from=${from}&to=${to}`;

it("counts the caller's bookings only, by the location's local hour", async () => {
  const res = await stack.request('GET', query(dayIn(0), dayIn(2)), { apiKey: a.apiKey });
  expect(res.status).toBe(200);
  expect(res.body.totals).toMatchObject({ bookings: 4, cancellations: 1, noShows: 1, completed: 1, noShowRate: 0.5, cancellationRate: 0.25 });
  expect(res.body.totals.leadTimeHoursMedian).toBeGreaterThan(0);
  // 09:00 was cancelled: not a busy hour.
  expect(res.body.busiestHours.filter((h: { bookings: number }) => h.bookings > 0)).toEqual([
    { hour: 10, bookings: 1 },
    { hour: 11, bookings: 1 },
    { hour: 12, bookings: 1 },
  ]);
  expect(res.body.daily).toHaveLength(3);
  expect(res.body.daily.find((d: { date: string }) => d.date === dayIn(1))).toEqual({ date: dayIn(1), bookings: 4, cancellations: 1, noShows: 1 });
  expect(res.body.byService).toEqual([{ serviceId: expect.any(String), serviceName: 'Haircut', bookings: 4, cancellations: 1 }]);

  const other = await stack.request('GET', query(dayIn(0), dayIn(2)), { apiKey: b.apiKey });
  expect(other.body.totals).toMatchObject({ bookings: 3, cancellations: 0, noShows: 0 });
  expect(other.body.byService[0].serviceId).not.toBe(res.body.byService[0].serviceId);
});

it('is empty outside the range, readable by a viewer, and refuses a bad range naming the field', async () => {
  const later = await stack.request('GET', query(dayIn(3), dayIn(4)), { apiKey: a.apiKey });
  expect(later.body.totals.bookings).toBe(0);
  expect(later.body.totals.noShowRate).toBeNull();

  const viewer = await createConsoleUser(stack, a.apiKey, 'viewer');
  const client = new ConsoleClient(stack.url);
  expect((await client.login(viewer.email, viewer.password)).status).toBe(200);
  const seen = await client.request('GET', query(dayIn(0), dayIn(2)));
  expect(seen.status).toBe(200);
  expect(seen.body.totals.bookings).toBe(4);

  const reversed = await stack.request('GET', query(dayIn(2), dayIn(0)), { apiKey: a.apiKey });
  expect(reversed.status).toBe(400);
  expect(reversed.body.error.field).toBe('from');
  const malformed = await stack.request('GET', '/v1/appointments/analytics?from=yesterday&to=2027-01-01', { apiKey: a.apiKey });
  expect(malformed.status).toBe(400);
  expect(malformed.body.error.field).toBe('from');
  expect((await stack.request('GET', query('2026-01-01', '2027-06-01'), { apiKey: a.apiKey })).body.error.field).toBe('to');
});
