/**
 * Appointment fixtures for the browser and API tests: a location, staff with hours every day
 * (so "tomorrow" has slots whatever weekday the run falls on) and a service, written through the
 * catalogue repository; bookings through the service layer, as any channel makes them.
 */
import { DateTime } from 'luxon';
import { expect } from 'vitest';
import { Location, Service, StaffMember } from '../../../db/entities';
import { createCatalogRow, tenantById } from '../../../db/repos';
import { systemEm, tenantEm } from '../../../db/orm';
import { bookAppointment } from '../../../scheduling/service';
import type { Stack } from '../../support/stack';

export const ZONE = 'Europe/Amsterdam';
const ALL_WEEK = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ start: '09:00', end: '17:00' }]]));

export async function apiOk<T = any>(stack: Stack, apiKey: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await stack.request(method, path, { apiKey, body });
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body as T;
}

export async function catalogFixture(stack: Stack, tenantId: string, opts: { staff?: boolean } = {}) {
  const em = tenantEm(stack.orm, tenantId);
  const location = await createCatalogRow(em, Location, tenantId, { name: 'Main street', timezone: ZONE, address: '1 Main street' });
  const staff = opts.staff === false ? null : await createCatalogRow(em, StaffMember, tenantId, { location: location.id, name: 'Ada Lovelace', weeklyHours: ALL_WEEK });
  const service = staff
    ? await createCatalogRow(em, Service, tenantId, { location: location.id, name: 'Haircut', durationMinutes: 30, slotIntervalMinutes: 30, minNoticeMinutes: 0, staffIds: [staff.id], resourceIds: [], priceCents: 2500 })
    : null;
  return { locationId: location.id, staffId: staff?.id as string, serviceId: service?.id as string };
}

/** The date `days` from today in the location's timezone, and an instant on it at a local time. */
export const dayIn = (days: number, zone = ZONE) => DateTime.now().setZone(zone).plus({ days }).toISODate()!;
export const at = (date: string, time: string, zone = ZONE) => DateTime.fromISO(`${date}T${time}`, { zone }).toUTC().toISO()!;

export async function book(stack: Stack, tenantId: string, input: { serviceId: string; staffId: string; startsAt: string; name: string }) {
  return bookAppointment(tenantEm(stack.orm, tenantId), tenantId, {
    serviceId: input.serviceId,
    staffId: input.staffId,
    startsAt: input.startsAt,
    customer: { name: input.name, email: `${input.name.split(' ')[0].toLowerCase()}@example.test` },
    source: 'console',
  });
}

export async function tenantSlug(stack: Stack, tenantId: string): Promise<string> {
  return (await tenantById(systemEm(stack.orm), tenantId))!.slug;
}
