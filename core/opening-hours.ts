/**
 * The tenant's opening hours: weekly intervals per weekday plus dated exceptions (holidays closed
 * all day, or short days), read in the tenant's timezone. The shapes are the scheduling engine's
 * (core/scheduling/types.ts), so "open on Monday 09:00–12:30 and 13:30–17:00" is written the same
 * for a location's bookings and for the phone line. Pure (luxon): the `businessHours` node asks an
 * activity, which loads the settings and calls `openingStatus` with the workflow's clock.
 */
import { DateTime } from 'luxon';
import { isValidTimezone, minuteOfDay, weekdayOf } from './scheduling/time';
import type { DateException, WeeklyHours } from './scheduling/types';

/** A dated exception with the reason shown in the console and the run ("Christmas Day"). */
export interface OpeningException extends DateException {
  reason?: string;
}

export interface OpeningHours {
  weekly: WeeklyHours;
  /** Dates whose hours differ from the week's: closed (a holiday) or open only `hours`. */
  exceptions: OpeningException[];
}

/**
 * Why the line is open or closed at an instant: `hours` inside the day's hours, `closed` outside
 * them, `holiday` a dated exception closes the whole day, `special` a dated exception's own hours
 * apply (open or not), `unset` no hours were ever set (always open).
 */
export type OpeningReason = 'hours' | 'closed' | 'holiday' | 'special' | 'unset';

export interface OpeningStatus {
  open: boolean;
  reason: OpeningReason;
  timezone: string;
  /** Local wall-clock time the decision was made at, `YYYY-MM-DDTHH:MM` (what a run shows). */
  localTime: string;
  /** The exception's reason on a holiday or special day. */
  exception?: string;
}

/** The zone opening hours are read in: the tenant's, else UTC. */
export const openingZone = (zone: string | null | undefined): string => (zone && isValidTimezone(zone) ? zone : 'UTC');

/** Whether the tenant is open at `at`, and why (hours unset → always open). */
export function openingStatus(hours: OpeningHours | null | undefined, zone: string, at: Date | number): OpeningStatus {
  const timezone = openingZone(zone);
  const local = DateTime.fromMillis(typeof at === 'number' ? at : at.getTime(), { zone: timezone });
  const localTime = local.toFormat("yyyy-MM-dd'T'HH:mm");
  if (!hours) return { open: true, reason: 'unset', timezone, localTime };
  const minute = local.hour * 60 + local.minute;
  const date = local.toISODate()!;
  const exception = hours.exceptions.find((e) => e.date === date);
  const named = exception?.reason ? { exception: exception.reason } : {};
  if (exception?.closed) return { open: false, reason: 'holiday', timezone, localTime, ...named };
  const intervals = exception ? exception.hours : (hours.weekly[weekdayOf(local)] ?? []);
  const open = intervals.some((i) => minute >= minuteOfDay(i.start) && minute < minuteOfDay(i.end));
  if (exception) return { open, reason: 'special', timezone, localTime, ...named };
  return { open, reason: open ? 'hours' : 'closed', timezone, localTime };
}
