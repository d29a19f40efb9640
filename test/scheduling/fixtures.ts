/** A tenant with a location, staff and services to book against, on the test database. */
import { DateTime } from 'luxon';
import type { WeeklyHours } from '../../core/scheduling/types';
import { Location, Resource, Service, StaffMember } from '../../db/entities';
import { tenantEm, type Orm } from '../../db/orm';
import { bookAppointment } from '../../scheduling/service';
import type { Stack } from '../support/stack';
import { createCatalogRow } from '../../db/repos';
import { makeTenant } from '../db/fixtures';

export const ALL_WEEK: WeeklyHours = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [{ start: '09:00', end: '17:00' }]]));

export async function makeSchedulingTenant(orm: Orm, opts: { timezone?: string; staff?: number; capacity?: number; resources?: number } = {}) {
  const { tenantId } = await makeTenant(orm);
  const em = tenantEm(orm, tenantId);
  const location = await createCatalogRow(em, Location, tenantId, { name: 'Main street', timezone: opts.timezone ?? 'Europe/Berlin', address: '' });
  const staff: StaffMember[] = [];
  for (let i = 0; i < (opts.staff ?? 1); i++) staff.push(await createCatalogRow(em, StaffMember, tenantId, { location: location.id, name: `Staff ${i + 1}`, weeklyHours: ALL_WEEK }));
  const resources: Resource[] = [];
  for (let i = 0; i < (opts.resources ?? 0); i++) resources.push(await createCatalogRow(em, Resource, tenantId, { location: location.id, name: `Room ${i + 1}`, kind: 'room', weeklyHours: ALL_WEEK }));
  const service = await createCatalogRow(em, Service, tenantId, {
    location: location.id,
    name: 'Consultation',
    durationMinutes: 30,
    capacity: opts.capacity ?? 1,
    slotIntervalMinutes: 30,
    staffIds: staff.map((s) => s.id),
    resourceIds: resources.map((r) => r.id),
  });
  return { tenantId, em, location, staff, resources, service };
}

/** `HH:mm` local on the Monday after next in `zone`, as an ISO instant. */
export const nextMondayAt = (time: string, zone = 'Europe/Berlin') => {
  const [hour, minute] = time.split(':').map(Number);
  return DateTime.now().setZone(zone).plus({ weeks: 1 }).startOf('week').plus({ weeks: 1 }).set({ hour, minute }).toUTC().toISO()!;
};

export const customer = (n: number) => ({ name: `Customer ${n}`, email: `c${n}@example.test` });

/** One of each scheduling object of a tenant, made through the API (and a booking through the service), for the route sweep. */
export async function schedulingObjects(stack: Stack, tenant: { tenantId: string; apiKey: string }) {
  const ok = async (path: string, body: unknown) => {
    const res = await stack.request('POST', path, { apiKey: tenant.apiKey, body });
    if (res.status !== 201) throw new Error(`POST ${path} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  };
  const location = await ok('/v1/locations', { name: 'Sweep studio', timezone: 'Europe/Berlin' });
  const staff = await ok('/v1/staff', { locationId: location, name: 'Sweep staff', weeklyHours: ALL_WEEK });
  const resource = await ok('/v1/resources', { locationId: location, name: 'Sweep room', kind: 'room', weeklyHours: ALL_WEEK });
  const service = await ok('/v1/services', { locationId: location, name: 'Sweep service', durationMinutes: 30, staffIds: [staff], resourceIds: [resource] });
  const exception = await ok('/v1/availability-exceptions', { staffId: staff, date: '2027-01-01', closed: true, reason: 'Day off' });
  const appointment = (await bookAppointment(tenantEm(stack.orm, tenant.tenantId), tenant.tenantId, { serviceId: service, startsAt: nextMondayAt('10:00'), customer: customer(1), source: 'api' })).id;
  return { location, staff, resource, service, exception, appointment };
}
