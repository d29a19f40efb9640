/**
 * One sync of a staff member's CalDAV calendar with the database (the step of
 * workflows/calendarSync.ts), and the connection settings behind it. The booking in the database
 * is the source of truth for our events; the calendar is the source of truth for everything else
 * in it (busy blocks) and for one decision: a staff member who deletes one of our events there
 * cancels that booking.
 *
 * - Pull: the window's other events replace the staff member's calendar_busy_blocks (one
 *   transaction, so availability never sees a half-written window).
 * - Push: an active booking whose event is missing, points into another calendar, or differs (moved
 *   here, or edited or moved there: times or etag) is written; cancelled bookings, and our events
 *   for bookings no longer this staff member's, are removed.
 * - Deleted there: a booking whose stored event is gone from the listing, and whose href now answers
 *   404, is reported to the workflow (which cancels it through the appointment workflow).
 */
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { CalendarSyncResult } from '../core/calendar-sync';
import { appointmentWorkflowId } from '../core/ids';
import { Appointment, CalendarBusyBlock, Location, Service, StaffMember } from '../db/entities';
import { tenantEm } from '../db/orm';
import type { SecretBox } from '../db/secrets';
import type { AddressPolicy } from '../net/address-policy';
import { appointmentEventUid, CalDavCalendar, CalendarAccessError, type CalDavCredentials, type OwnEvent } from './caldav';
import { staffEventIcs, type IcsAppointment, type StaffIcsOptions } from './ics';

export interface CalendarSyncDeps {
  orm: MikroORM;
  box: SecretBox;
  policy: AddressPolicy;
}

const ACTIVE = ['booked', 'confirmed'] as const;
/** Bookings that started up to a day ago still count: an appointment in progress stays in the calendar. */
const LOOKBACK_MS = 86_400_000;

/** The stored settings of a connected staff member, password decrypted (for the sync and the connection test). */
export function credentialsOf(staff: StaffMember, box: SecretBox): (CalDavCredentials & { calendarUrl: string }) | null {
  if (!staff.caldav) return null;
  return { url: staff.caldav.url, username: staff.caldav.username, password: box.decrypt(staff.caldav.passwordEncrypted), calendarUrl: staff.caldav.calendarUrl };
}

/** What a calendar event shows of a booking: service, staff, location and its time zone. */
export async function icsViews(em: EntityManager, rows: Appointment[]): Promise<Map<string, { appointment: IcsAppointment; opts: StaffIcsOptions }>> {
  const services = new Map((await em.find(Service, { id: { $in: [...new Set(rows.map((r) => r.service))] } })).map((s) => [s.id, s]));
  const locations = new Map((await em.find(Location, { id: { $in: [...new Set(rows.map((r) => r.location))] } })).map((l) => [l.id, l]));
  const staffIds = [...new Set(rows.map((r) => r.staff).filter((s): s is string => !!s))];
  const staff = new Map((await em.find(StaffMember, { id: { $in: staffIds } })).map((s) => [s.id, s]));
  const out = new Map<string, { appointment: IcsAppointment; opts: StaffIcsOptions }>();
  for (const r of rows) {
    const location = locations.get(r.location);
    out.set(r.id, {
      appointment: {
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
      opts: { location: location ? { name: location.name, address: location.address } : null },
    });
  }
  return out;
}

const sameTime = (a: string | null, b: Date) => a !== null && Date.parse(a) === b.getTime();

/** Writes the calendar fields without touching updatedAt: they are bookkeeping, not a change of the booking. */
const storeEvent = (em: EntityManager, id: string, event: { uid: string | null; href: string | null; etag: string | null }) =>
  em.nativeUpdate(Appointment, { id }, { calendarEventUid: event.uid, calendarEventHref: event.href, calendarEventEtag: event.etag });

export async function syncStaffCalendar(deps: CalendarSyncDeps, input: { tenantId: string; staffId: string; windowDays: number; now?: Date }): Promise<CalendarSyncResult> {
  const result: CalendarSyncResult = { stop: false, busy: 0, pushed: 0, removed: 0, deleted: [], error: null };
  const em = tenantEm(deps.orm, input.tenantId);
  const staff = await em.findOne(StaffMember, { id: input.staffId });
  const creds = staff && staff.active ? credentialsOf(staff, deps.box) : null;
  if (!staff || !creds) return { ...result, stop: true };

  const now = input.now ?? new Date();
  const from = new Date(now.getTime() - LOOKBACK_MS);
  const to = new Date(now.getTime() + input.windowDays * 86_400_000);
  const calendar = new CalDavCalendar(creds, { policy: deps.policy });
  try {
    const listed = await calendar.list(from, to);
    result.busy = await replaceBusyBlocks(em, input.tenantId, staff.id, listed.busy);
    await pushBookings(em, calendar, { tenantId: input.tenantId, staffId: staff.id, from, to }, listed.own, result);
  } catch (err) {
    // Wrong password, calendar gone, server away: the loop goes on and tries again next time.
    if (err instanceof CalendarAccessError) return { ...result, error: err.message };
    throw err;
  }
  return result;
}

async function replaceBusyBlocks(em: EntityManager, tenantId: string, staffId: string, busy: { uid: string; startsAt: string; endsAt: string; summary: string }[]): Promise<number> {
  // One row per occurrence: a server may list an event twice (an override and its series).
  const unique = new Map(busy.map((b) => [`${b.uid}\u0000${b.startsAt}`, b]));
  await em.transactional(async (tx) => {
    await tx.nativeDelete(CalendarBusyBlock, { staff: staffId });
    for (const b of unique.values()) tx.create(CalendarBusyBlock, { tenant: tenantId, staff: staffId, uid: b.uid, startsAt: new Date(b.startsAt), endsAt: new Date(b.endsAt), summary: b.summary });
  });
  return unique.size;
}

async function pushBookings(
  em: EntityManager,
  calendar: CalDavCalendar,
  { tenantId, staffId, from, to }: { tenantId: string; staffId: string; from: Date; to: Date },
  listedOwn: OwnEvent[],
  result: CalendarSyncResult,
): Promise<void> {
  const own = new Map(listedOwn.map((e) => [e.uid, e]));
  const active = await em.find(Appointment, { staff: staffId, status: { $in: [...ACTIVE] }, startsAt: { $lt: to }, endsAt: { $gt: from } }, { orderBy: { startsAt: 'asc' } });
  const views = await icsViews(em, active);
  const inThisCalendar = (href: string | null | undefined): href is string => !!href && href.startsWith(calendar.url);

  for (const appt of active) {
    const uid = appointmentEventUid(appt.id);
    const listed = own.get(uid);
    own.delete(uid);
    const stored = inThisCalendar(appt.calendarEventHref) ? { href: appt.calendarEventHref, etag: appt.calendarEventEtag ?? null } : null;
    if (stored && !listed && !(await calendar.exists(stored.href))) {
      result.deleted.push({ appointmentId: appt.id, workflowId: appointmentWorkflowId(tenantId, appt.id) });
      continue;
    }
    const current = listed && stored && listed.href === stored.href && listed.etag === stored.etag && sameTime(listed.startsAt, appt.startsAt) && sameTime(listed.endsAt, appt.endsAt);
    if (current) continue;
    const view = views.get(appt.id)!;
    const written = await calendar.put(uid, staffEventIcs(view.appointment, view.opts), stored ?? (listed ? { href: listed.href, etag: listed.etag } : null));
    await storeEvent(em, appt.id, { uid, ...written });
    result.pushed++;
  }

  // Ours in the calendar, but no longer an active booking of this staff member in the window
  // (cancelled, or moved to someone else), then cancelled bookings still pointing at an event.
  const removed = new Set<string>();
  for (const event of own.values()) {
    await calendar.delete(event);
    removed.add(event.href);
  }
  const stale = await em.find(Appointment, { staff: staffId, status: { $nin: [...ACTIVE] }, calendarEventHref: { $ne: null } });
  for (const appt of stale) {
    const href = appt.calendarEventHref;
    if (inThisCalendar(href) && !removed.has(href)) {
      await calendar.delete({ href, etag: null });
      removed.add(href);
    }
    await storeEvent(em, appt.id, { uid: null, href: null, etag: null });
  }
  result.removed = removed.size;
}
