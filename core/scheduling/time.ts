/**
 * Wall-clock time of a location → instants. Every conversion goes through luxon with the IANA
 * zone, so a spring-forward day has no 02:30 and a fall-back day has 01:30 twice; once an
 * instant is known, durations are absolute (a 30-minute slot is 30 minutes on any day).
 */
import { DateTime, Duration, IANAZone } from 'luxon';
import { WEEKDAYS, type LocalInterval, type Weekday } from './types';

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

export const isValidTimezone = (zone: string): boolean => IANAZone.isValidZone(zone);
export const isLocalTime = (value: string): boolean => HHMM.test(value);
export const isLocalDate = (value: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value, { zone: 'utc' }).isValid;

/** Minutes since local midnight of `'HH:MM'` (a time of day, not an instant). */
export const minuteOfDay = (value: string): number => Number(value.slice(0, 2)) * 60 + Number(value.slice(3, 5));

/** An absolute duration in milliseconds. */
export const minutesMs = (minutes: number): number => Duration.fromObject({ minutes }).as('milliseconds');

export const weekdayOf = (day: DateTime): Weekday => WEEKDAYS[day.weekday - 1];

/** A local day of the location: its start, its date `YYYY-MM-DD` and its weekday. */
export interface LocalDay {
  day: DateTime;
  date: string;
  weekday: Weekday;
}

/** The local days from the one containing `from` to the one containing `to`, in `zone`. */
export function localDays(from: number, to: number, zone: string): LocalDay[] {
  const days: LocalDay[] = [];
  const last = DateTime.fromMillis(to, { zone }).startOf('day');
  for (let d = DateTime.fromMillis(from, { zone }).startOf('day'); d <= last; d = d.plus({ days: 1 })) days.push({ day: d, date: d.toISODate()!, weekday: weekdayOf(d) });
  return days;
}

/** Intersection of two sorted interval lists of the same day, as minutes of the day. */
export function intersectIntervals(a: LocalInterval[], b: LocalInterval[]): LocalInterval[] {
  const out: LocalInterval[] = [];
  for (const x of a)
    for (const y of b) {
      const start = Math.max(minuteOfDay(x.start), minuteOfDay(y.start));
      const end = Math.min(minuteOfDay(x.end), minuteOfDay(y.end));
      if (start < end) out.push({ start: hhmm(start), end: hhmm(end) });
    }
  return out.sort((p, q) => minuteOfDay(p.start) - minuteOfDay(q.start));
}

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/**
 * Converts local times of one day to instants, memoized per query: fifty staff members sharing
 * the same hours cost one luxon conversion per distinct (date, time).
 */
export class LocalClock {
  private readonly cache = new Map<string, number>();
  constructor(readonly zone: string) {}

  /**
   * The instant of `time` on local `day`. A time skipped by a spring-forward moves forward by the
   * gap (luxon's rule: 02:30 → 03:30); an ambiguous fall-back time is its first occurrence.
   */
  instant(local: LocalDay, time: string): number {
    const key = `${local.date}T${time}`;
    let ms = this.cache.get(key);
    if (ms === undefined) {
      const m = minuteOfDay(time);
      const base = m === 24 * 60 ? local.day.plus({ days: 1 }) : local.day;
      const dt = DateTime.fromObject({ year: base.year, month: base.month, day: base.day, hour: Math.floor(m / 60) % 24, minute: m % 60 }, { zone: this.zone });
      ms = dt.toMillis();
      this.cache.set(key, ms);
    }
    return ms;
  }

  /** The instants a set of local intervals covers on `day`. */
  windows(local: LocalDay, intervals: LocalInterval[]): { start: number; end: number }[] {
    return intervals.map((i) => ({ start: this.instant(local, i.start), end: this.instant(local, i.end) })).filter((w) => w.start < w.end);
  }
}
