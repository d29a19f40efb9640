/** Scheduling rows → the API's shapes (core/api/scheduling.ts). Pure: the names come from the caller. */
import type { AppointmentDto, AvailabilityExceptionDto, LocationDto, ResourceDto, ServiceDto, StaffDto } from '../core/api/scheduling';
import type { Appointment, AvailabilityException, Location, Resource, Service, StaffMember } from '../db/entities';

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

export const locationDto = (l: Location): LocationDto => ({ id: l.id, name: l.name, timezone: l.timezone, address: l.address, createdAt: iso(l.createdAt)! });

export const serviceDto = (s: Service): ServiceDto => ({
  id: s.id,
  locationId: s.location,
  name: s.name,
  description: s.description,
  durationMinutes: s.durationMinutes,
  bufferBeforeMinutes: s.bufferBeforeMinutes,
  bufferAfterMinutes: s.bufferAfterMinutes,
  priceCents: s.priceCents ?? null,
  currency: s.currency,
  capacity: s.capacity,
  slotIntervalMinutes: s.slotIntervalMinutes,
  minNoticeMinutes: s.minNoticeMinutes,
  maxHorizonDays: s.maxHorizonDays,
  staffIds: s.staffIds,
  resourceIds: s.resourceIds,
  active: s.active,
  createdAt: iso(s.createdAt)!,
});

export const staffDto = (m: StaffMember): StaffDto => ({
  id: m.id,
  locationId: m.location,
  name: m.name,
  email: m.email ?? null,
  userId: m.userId ?? null,
  weeklyHours: m.weeklyHours as StaffDto['weeklyHours'],
  active: m.active,
  calendarConnected: m.caldav != null,
  createdAt: iso(m.createdAt)!,
});

export const resourceDto = (r: Resource): ResourceDto => ({
  id: r.id,
  locationId: r.location,
  name: r.name,
  kind: r.kind,
  weeklyHours: r.weeklyHours as ResourceDto['weeklyHours'],
  active: r.active,
  createdAt: iso(r.createdAt)!,
});

export const exceptionDto = (e: AvailabilityException): AvailabilityExceptionDto => ({
  id: e.id,
  locationId: e.location ?? null,
  staffId: e.staff ?? null,
  resourceId: e.resource ?? null,
  date: e.date,
  closed: e.closed,
  hours: e.hours,
  reason: e.reason,
});

/** Names the DTO shows next to the ids, looked up once per page of appointments. */
export interface AppointmentNames {
  services: Map<string, { name: string }>;
  staff: Map<string, { name: string }>;
  resources: Map<string, { name: string }>;
  timezones: Map<string, string>;
}

export const appointmentDto = (a: Appointment, n: AppointmentNames): AppointmentDto => ({
  id: a.id,
  serviceId: a.service,
  serviceName: n.services.get(a.service)?.name ?? '',
  locationId: a.location,
  timezone: n.timezones.get(a.location) ?? 'UTC',
  staffId: a.staff ?? null,
  staffName: a.staff ? (n.staff.get(a.staff)?.name ?? null) : null,
  resourceId: a.resource ?? null,
  resourceName: a.resource ? (n.resources.get(a.resource)?.name ?? null) : null,
  contactId: a.contact ?? null,
  conversationId: a.conversation ?? null,
  channel: a.channel ?? null,
  startsAt: iso(a.startsAt)!,
  endsAt: iso(a.endsAt)!,
  status: a.status,
  customerName: a.customerName,
  customerEmail: a.customerEmail ?? null,
  customerPhone: a.customerPhone ?? null,
  customerTimezone: a.customerTimezone ?? null,
  notes: a.notes,
  source: a.source,
  seriesId: a.seriesId ?? null,
  recurrenceRule: a.recurrenceRule ?? null,
  calendarEventUid: a.calendarEventUid ?? null,
  cancelledAt: iso(a.cancelledAt),
  cancelReason: a.cancelReason ?? null,
  cancelledBy: a.cancelledBy ?? null,
  createdAt: iso(a.createdAt)!,
  updatedAt: iso(a.updatedAt)!,
});
