/** Shapes the availability engine works on: plain data, no database rows, so it stays pure and testable. */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A span of local wall-clock time in the location's timezone: `'09:00'`–`'12:30'` (`'24:00'` is the end of the day). */
export interface LocalInterval {
  start: string;
  end: string;
}

/** Opening hours per weekday; a break is the gap between two intervals of a day, a missing day is closed. */
export type WeeklyHours = Partial<Record<Weekday, LocalInterval[]>>;

/** A date whose hours differ: closed all day, or open only `hours` (local date `YYYY-MM-DD`). */
export interface DateException {
  date: string;
  closed: boolean;
  hours: LocalInterval[];
}

/** Time an assignee already gives to a booking, buffers included (epoch milliseconds). */
export interface HoldSpan {
  start: number;
  end: number;
  /** The booked service: a group session of the same service at the same time can be joined while seats remain. */
  serviceId: string;
}

/** Time blocked outright (a staff calendar event), epoch milliseconds. */
export interface BusySpan {
  start: number;
  end: number;
}

/** A staff member or resource that can deliver the service. */
export interface Assignee {
  id: string;
  weeklyHours: WeeklyHours;
  /** The assignee's own exceptions (replace its weekly hours on that date). */
  exceptions: DateException[];
  holds: HoldSpan[];
  busy: BusySpan[];
}

export interface ServiceRules {
  id: string;
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  /** 1 = one-to-one; more = seats of a group session. */
  capacity: number;
  slotIntervalMinutes: number;
  minNoticeMinutes: number;
  maxHorizonDays: number;
}

export interface SlotQuery {
  service: ServiceRules;
  /** IANA timezone of the location: weekly hours and exception dates are read in it. */
  timezone: string;
  /** Location-wide exceptions (holidays): closed for everyone, or everyone's hours cut to `hours`. */
  locationExceptions: DateException[];
  /** Empty when the service needs no staff member. */
  staff: Assignee[];
  /** Empty when the service needs no resource. */
  resources: Assignee[];
  from: number;
  to: number;
  now: number;
  limit?: number;
}

/** A bookable start, as the API and the workflows see it (ISO instants in UTC). */
export interface Slot {
  startsAt: string;
  endsAt: string;
  staffId: string | null;
  resourceId: string | null;
  seatsLeft: number;
}
