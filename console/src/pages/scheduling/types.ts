/**
 * What the appointment pages read from the API: the scheduling payloads (core/api/scheduling.ts),
 * the analytics and booking-page setting (core/api/public-booking.ts), and the helpers the pages
 * share to show local times of a location.
 */
import { DateTime } from 'luxon';
import type { z } from 'zod';
import type { analyticsSchema, bookingPageSettingsView } from '../../../../core/api/public-booking';
import type { AppointmentDto, AvailabilityExceptionDto, LocationDto, ResourceDto, ServiceDto, SlotDto, StaffDto } from '../../../../core/api/scheduling';

export type Analytics = z.infer<typeof analyticsSchema>;
export type BookingPageView = z.infer<typeof bookingPageSettingsView>;

export type { AppointmentStatus } from '../../../../core/api/scheduling';
export { APPOINTMENT_STATUSES as STATUSES } from '../../../../core/api/scheduling';
export type Location = LocationDto;
export type Service = ServiceDto;
export type StaffMember = StaffDto;
export type Resource = ResourceDto;
export type AvailabilityException = AvailabilityExceptionDto;
export type Slot = SlotDto;
export type Appointment = AppointmentDto;
export interface List<T> {
  items: T[];
}

export interface Interval {
  start: string;
  end: string;
}
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export type WeeklyHours = Partial<Record<Weekday, Interval[]>>;

/** "09:00-12:30, 13:30-18:00" ⇄ intervals: one line per weekday is quicker to type than a grid of pickers. */
export const formatIntervals = (list: Interval[] = []) => list.map((i) => `${i.start}-${i.end}`).join(', ');
export function parseIntervals(text: string): Interval[] | string {
  const out: Interval[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(\d{2}:\d{2})\s*-\s*(\d{2}:\d{2})$/.exec(part);
    if (!m || m[1] >= m[2]) return `"${part}" is not a time range like 09:00-12:30`;
    out.push({ start: m[1], end: m[2] });
  }
  return out;
}

/** Local wall-clock time of an instant in a timezone. */
export const localTime = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toFormat('HH:mm');
export const localDateTime = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toFormat('ccc d LLL, HH:mm');
/** The instant of a local date and minute of the day in a timezone (DST-safe through luxon). */
export const instantAt = (date: string, minutes: number, zone: string) =>
  DateTime.fromISO(date, { zone }).startOf('day').plus({ minutes }).toUTC().toISO()!;
export const todayIn = (zone: string) => DateTime.now().setZone(zone).toISODate()!;
export const addDays = (date: string, days: number) => DateTime.fromISO(date).plus({ days }).toISODate()!;
/** Monday of the week of `date`. */
export const weekStart = (date: string) => DateTime.fromISO(date).startOf('week').toISODate()!;
