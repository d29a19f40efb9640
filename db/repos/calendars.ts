/**
 * Staff calendars in the database: the CalendarStore a sync works through (busy blocks, bookings
 * and their calendar events), the CalDAV settings, and the private feed's rows. Everything goes
 * through the tenant-scoped EntityManager, except finding a feed's staff member by its token.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CalendarStore, IcsPlace, SyncAppointment } from '../../core/calendar-sync';
import { Appointment, CalendarBusyBlock, Location, Service, StaffMember, type CaldavSettings } from '../entities';

const ACTIVE = ['booked', 'confirmed'] as const;

/** Each booking with what its calendar event shows: service, staff, location and its time zone. */
export async function syncAppointments(em: EntityManager, rows: Appointment[]): Promise<SyncAppointment[]> {
  const ids = <T>(values: (T | null | undefined)[]) => [...new Set(values.filter((v): v is T => v != null))];
  const services = new Map((await em.find(Service, { id: { $in: ids(rows.map((r) => r.service)) } })).map((s) => [s.id, s]));
  const locations = new Map((await em.find(Location, { id: { $in: ids(rows.map((r) => r.location)) } })).map((l) => [l.id, l]));
  const staff = new Map((await em.find(StaffMember, { id: { $in: ids(rows.map((r) => r.staff)) } })).map((s) => [s.id, s]));
  return rows.map((r) => {
    const location = locations.get(r.location);
    return {
      view: {
        id: r.id,
        startsAt: r.startsAt.toISOString(),
        endsAt: r.endsAt.toISOString(),
        status: r.status,
        serviceName: services.get(r.service)?.name ?? 'Appointment',
        staffName: (r.staff && staff.get(r.staff)?.name) || null,
        customerName: r.customerName,
        customerEmail: r.customerEmail ?? null,
        notes: r.notes,
        timezone: location?.timezone ?? 'UTC',
        updatedAt: r.updatedAt.toISOString(),
      },
      location: location ? ({ name: location.name, address: location.address } satisfies IcsPlace) : null,
      event: { href: r.calendarEventHref ?? null, etag: r.calendarEventEtag ?? null },
    };
  });
}

export function calendarStore(em: EntityManager, tenantId: string): CalendarStore {
  return {
    async connection(staffId) {
      const staff = await em.findOne(StaffMember, { id: staffId });
      return staff?.active && staff.caldav ? staff.caldav : null;
    },
    async replaceBusyBlocks(staffId, busy) {
      // One row per occurrence: a server may list an event twice (an override and its series).
      const unique = new Map(busy.map((b) => [`${b.uid}\u0000${b.startsAt}`, b]));
      await em.transactional(async (tx) => {
        await tx.nativeDelete(CalendarBusyBlock, { staff: staffId });
        for (const b of unique.values()) tx.create(CalendarBusyBlock, { tenant: tenantId, staff: staffId, uid: b.uid, startsAt: new Date(b.startsAt), endsAt: new Date(b.endsAt), summary: b.summary });
      });
      return unique.size;
    },
    async activeBookings(staffId, from, to) {
      const rows = await em.find(Appointment, { staff: staffId, status: { $in: [...ACTIVE] }, startsAt: { $lt: to }, endsAt: { $gt: from } }, { orderBy: { startsAt: 'asc' } });
      return syncAppointments(em, rows);
    },
    async inactiveWithEvent(staffId) {
      const rows = await em.find(Appointment, { staff: staffId, status: { $nin: [...ACTIVE] }, calendarEventHref: { $ne: null } }, { fields: ['id', 'calendarEventHref'] });
      return rows.map((r) => ({ id: r.id, href: r.calendarEventHref! }));
    },
    async storeEvent(appointmentId, event) {
      await em.nativeUpdate(Appointment, { id: appointmentId }, { calendarEventUid: event.uid, calendarEventHref: event.href, calendarEventEtag: event.etag });
    },
  };
}

export async function requireStaff(em: EntityManager, staffId: string): Promise<StaffMember | null> {
  return em.findOne(StaffMember, { id: staffId });
}

export async function saveCaldav(em: EntityManager, staff: StaffMember, caldav: CaldavSettings | null): Promise<void> {
  staff.caldav = caldav;
  await em.flush();
  // Busy times read from a calendar that is no longer connected must not keep blocking slots.
  if (!caldav) await em.nativeDelete(CalendarBusyBlock, { staff: staff.id });
}

export async function rotateFeedToken(em: EntityManager, staff: StaffMember, token: string): Promise<void> {
  staff.icsFeedToken = token;
  await em.flush();
}

/** The one lookup without a tenant: the feed's token itself says whose feed it is. */
export async function staffByFeedToken(em: EntityManager, token: string): Promise<StaffMember | null> {
  return em.fork().findOne(StaffMember, { icsFeedToken: token }, { filters: false });
}

/** A staff member's bookings overlapping [from, to), for the feed, and the location's time zone. */
export async function feedRows(em: EntityManager, staff: StaffMember, from: Date, to: Date): Promise<{ bookings: SyncAppointment[]; timezone: string | null }> {
  const rows = await em.find(Appointment, { staff: staff.id, startsAt: { $lt: to }, endsAt: { $gt: from } }, { orderBy: { startsAt: 'asc' }, limit: 5000 });
  const location = await em.findOne(Location, { id: staff.location });
  return { bookings: await syncAppointments(em, rows), timezone: location?.timezone ?? null };
}
