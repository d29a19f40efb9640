/**
 * The `calendarSync` workflow's contract (workflows/calendarSync.ts, activities/calendars/): one
 * long-lived loop per staff member whose CalDAV calendar is connected.
 */

/** Between two syncs of one calendar (CALENDAR_SYNC_SECONDS). */
export const DEFAULT_SYNC_SECONDS = 120;
/** How far ahead bookings are pushed and busy times pulled. */
export const DEFAULT_SYNC_WINDOW_DAYS = 90;

export interface CalendarSyncInput {
  tenantId: string;
  staffId: string;
  intervalSeconds: number;
  windowDays: number;
}

export interface CalendarSyncResult {
  /** The staff member is gone, inactive or no longer connected: the loop ends. */
  stop: boolean;
  /** Busy blocks stored for the window (they replaced the previous ones). */
  busy: number;
  /** Bookings written to the calendar (new, moved, or edited there and restored). */
  pushed: number;
  /** Cancelled bookings whose events were removed from the calendar. */
  removed: number;
  /**
   * Active bookings whose events were deleted in the calendar, each with its appointment workflow's
   * id (built here, outside the workflow bundle, which cannot load core/ids.ts): each is cancelled
   * through that workflow.
   */
  deleted: { appointmentId: string; workflowId: string }[];
  /** Why the calendar could not be read this time (wrong password, server away); the loop goes on. */
  error: string | null;
}

export interface CalendarSyncProgress {
  syncs: number;
  lastSyncAt: string | null;
  last: CalendarSyncResult | null;
}

/** What a calendar event shows of a booking (a subset of AppointmentDto, core/api/scheduling.ts). */
export interface IcsAppointment {
  id: string;
  startsAt: string;
  endsAt: string;
  status: string;
  serviceName: string;
  staffName: string | null;
  customerName: string;
  customerEmail: string | null;
  notes?: string | null;
  timezone: string;
  /** Bumps SEQUENCE so clients take a reschedule as a newer version of the same event. */
  updatedAt?: string;
}

/** Where the booking takes place, as calendar apps show it. */
export interface IcsPlace {
  name: string;
  address?: string | null;
}

/** A booking as the sync sees it: its event's text, and where its calendar event is. */
export interface SyncAppointment {
  view: IcsAppointment;
  location: IcsPlace | null;
  event: { href: string | null; etag: string | null };
}

export interface BusyBlockInput {
  uid: string;
  startsAt: string;
  endsAt: string;
  summary: string;
}

/**
 * The database side of a sync, scoped to one tenant (db/repos/calendars.ts implements it): the
 * sync itself (scheduling/calendar-sync.ts) only talks CalDAV.
 */
export interface CalendarStore {
  /** The staff member's stored CalDAV settings (password still encrypted); null when gone, inactive or not connected. */
  connection(staffId: string): Promise<{ url: string; username: string; passwordEncrypted: string; calendarUrl: string } | null>;
  replaceBusyBlocks(staffId: string, busy: BusyBlockInput[]): Promise<number>;
  /** Booked or confirmed bookings of the staff member overlapping [from, to). */
  activeBookings(staffId: string, from: Date, to: Date): Promise<SyncAppointment[]>;
  /** The staff member's other bookings (cancelled, completed, no-show) that still point at an event. */
  inactiveWithEvent(staffId: string): Promise<{ id: string; href: string }[]>;
  /** Writes the calendar fields only (not updatedAt: bookkeeping, not a change of the booking). */
  storeEvent(appointmentId: string, event: { uid: string | null; href: string | null; etag: string | null }): Promise<void>;
}
