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
