/**
 * One sync of a staff member's CalDAV calendar with the database (the step of
 * workflows/calendarSync.ts). The booking in the database is the source of truth for our events;
 * the calendar is the source of truth for everything else in it (busy blocks) and for one
 * decision: a staff member who deletes one of our events there cancels that booking. The database
 * side comes in as a CalendarStore (db/repos/calendars.ts), scoped to the tenant.
 *
 * - Pull: the window's other events replace the staff member's calendar_busy_blocks (one
 *   transaction, so availability never sees a half-written window).
 * - Push: an active booking whose event is missing, points into another calendar, or differs (moved
 *   here, or edited or moved there: times or etag) is written; cancelled bookings' events, and ours
 *   for bookings no longer this staff member's, are removed.
 * - Deleted there: a booking whose stored event is gone from the listing, and whose href now answers
 *   404, is reported to the workflow (which cancels it through the appointment workflow).
 */
import type { CalendarStore, CalendarSyncResult } from '../core/calendar-sync';
import { appointmentWorkflowId } from '../core/ids';
import type { AddressPolicy } from '../net/address-policy';
import { appointmentEventUid, CalDavCalendar, CalendarAccessError, type OwnEvent } from './caldav';
import { staffEventIcs } from './ics';

export interface CalendarSyncDeps {
  store: CalendarStore;
  decrypt: (ciphertext: string) => string;
  policy: AddressPolicy;
}

/** Bookings that started up to a day ago still count: an appointment in progress stays in the calendar. */
const LOOKBACK_MS = 86_400_000;

const sameTime = (a: string | null, b: string) => a !== null && Date.parse(a) === Date.parse(b);
/** One resource, however the server spells it (`@` or `%40`): a spelling must not look like a change. */
const canonical = (href: string) => {
  const url = new URL(href);
  return `${url.origin}${decodeURIComponent(url.pathname)}`;
};

export async function syncStaffCalendar(deps: CalendarSyncDeps, input: { tenantId: string; staffId: string; windowDays: number; now?: Date }): Promise<CalendarSyncResult> {
  const result: CalendarSyncResult = { stop: false, busy: 0, pushed: 0, removed: 0, deleted: [], error: null };
  const settings = await deps.store.connection(input.staffId);
  if (!settings) return { ...result, stop: true };

  const now = input.now ?? new Date();
  const from = new Date(now.getTime() - LOOKBACK_MS);
  const to = new Date(now.getTime() + input.windowDays * 86_400_000);
  const calendar = new CalDavCalendar({ ...settings, password: deps.decrypt(settings.passwordEncrypted) }, { policy: deps.policy });
  try {
    const listed = await calendar.list(from, to);
    result.busy = await deps.store.replaceBusyBlocks(input.staffId, listed.busy);
    await pushBookings(deps.store, calendar, { tenantId: input.tenantId, staffId: input.staffId, from, to }, listed.own, result);
  } catch (err) {
    // Wrong password, calendar gone, server away: the loop goes on and tries again next time.
    if (err instanceof CalendarAccessError) return { ...result, error: err.message };
    throw err;
  }
  return result;
}

async function pushBookings(
  store: CalendarStore,
  calendar: CalDavCalendar,
  { tenantId, staffId, from, to }: { tenantId: string; staffId: string; from: Date; to: Date },
  listedOwn: OwnEvent[],
  result: CalendarSyncResult,
): Promise<void> {
  const own = new Map(listedOwn.map((e) => [e.uid, e]));
  const inThisCalendar = (href: string | null | undefined): href is string => !!href && canonical(href).startsWith(canonical(calendar.url));

  for (const booking of await store.activeBookings(staffId, from, to)) {
    const { view } = booking;
    const uid = appointmentEventUid(view.id);
    const listed = own.get(uid);
    own.delete(uid);
    const stored = inThisCalendar(booking.event.href) ? { href: booking.event.href, etag: booking.event.etag } : null;
    if (stored && !listed && !(await calendar.exists(stored.href))) {
      result.deleted.push({ appointmentId: view.id, workflowId: appointmentWorkflowId(tenantId, view.id) });
      continue;
    }
    const current = listed && stored && canonical(listed.href) === canonical(stored.href) && listed.etag === stored.etag && sameTime(listed.startsAt, view.startsAt) && sameTime(listed.endsAt, view.endsAt);
    if (current) continue;
    const written = await calendar.put(uid, staffEventIcs(view, { location: booking.location }), stored ?? (listed ? { href: listed.href, etag: listed.etag } : null));
    await store.storeEvent(view.id, { uid, ...written });
    result.pushed++;
  }

  // Ours in the calendar, but no longer an active booking of this staff member in the window
  // (cancelled, or moved to someone else), then cancelled bookings still pointing at an event.
  const removed = new Set<string>();
  for (const event of own.values()) {
    await calendar.delete(event);
    removed.add(canonical(event.href));
  }
  for (const { id, href } of await store.inactiveWithEvent(staffId)) {
    if (inThisCalendar(href) && !removed.has(canonical(href))) {
      await calendar.delete({ href, etag: null });
      removed.add(canonical(href));
    }
    await store.storeEvent(id, { uid: null, href: null, etag: null });
  }
  result.removed = removed.size;
}
