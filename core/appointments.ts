/**
 * What the `appointment` workflow decides with, kept pure so it is unit-tested and so the
 * activities (not the workflow) compute it: reminder instants in the contact's timezone with quiet
 * hours, the tenant's/service's appointment settings, and how a contact's answer to a reminder is
 * read. Wall-clock arithmetic goes through luxon, never by hand (DST days are 23 or 25 hours long).
 */
import { DateTime } from 'luxon';

export * from './appointment-answers';

/** Local wall-clock time, `HH:mm`. */
export type WallClock = string;

export interface AppointmentTimingSettings {
  /** Minutes before the start; each becomes one reminder. */
  remindersBeforeMinutes?: number[];
  /** No message in this local window (it may wrap midnight); a reminder that falls in it moves earlier, to the minute before the window opens. `null` disables. */
  quietHours?: { start: WallClock; end: WallClock } | null;
  /** The review request this long after attendance is marked (never before the end); 0 sends none. */
  followUpAfterMinutes?: number;
  /** Staff may mark attended / no-show until this long after the end; then the workflow ends. */
  markWindowMinutes?: number;
  /** Linked in the follow-up message. */
  reviewUrl?: string | null;
}

/** Tenant settings `appointments`: defaults for every service, overridden per service id. */
export interface AppointmentSettings extends AppointmentTimingSettings {
  services?: Record<string, AppointmentTimingSettings>;
}

export const DEFAULT_APPOINTMENT_SETTINGS: Required<AppointmentTimingSettings> = {
  remindersBeforeMinutes: [24 * 60, 2 * 60],
  quietHours: { start: '21:00', end: '08:00' },
  followUpAfterMinutes: 2 * 60,
  markWindowMinutes: 3 * 24 * 60,
  reviewUrl: null,
};

/** The settings that apply to one service: its own over the tenant's over the defaults. */
export function appointmentSettingsFor(settings: AppointmentSettings | undefined, serviceId: string): Required<AppointmentTimingSettings> {
  const { services, ...tenant } = settings ?? {};
  return { ...DEFAULT_APPOINTMENT_SETTINGS, ...defined(tenant), ...defined(services?.[serviceId] ?? {}) };
}

const defined = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** One durable timer of the workflow, named so the run page can say what it is for. */
export interface PlannedTimer {
  name: string;
  at: string;
}

/** `reminder-24h`, `reminder-2h`, `reminder-90m`. */
export function reminderName(beforeMinutes: number): string {
  if (beforeMinutes % (24 * 60) === 0 && beforeMinutes >= 48 * 60) return `reminder-${beforeMinutes / (24 * 60)}d`;
  return beforeMinutes % 60 === 0 ? `reminder-${beforeMinutes / 60}h` : `reminder-${beforeMinutes}m`;
}

const parseClock = (value: WallClock) => {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  if (!m) throw new Error(`not a HH:mm time: ${value}`);
  return { hour: Number(m[1]), minute: Number(m[2]) };
};

/** Whether a local time falls in the quiet window [start, end), which may wrap midnight. */
export function inQuietHours(local: DateTime, quiet: { start: WallClock; end: WallClock }): boolean {
  const minutes = local.hour * 60 + local.minute;
  const s = parseClock(quiet.start);
  const e = parseClock(quiet.end);
  const start = s.hour * 60 + s.minute;
  const end = e.hour * 60 + e.minute;
  if (start === end) return false;
  return start < end ? minutes >= start && minutes < end : minutes >= start || minutes < end;
}

/** A quiet instant moved earlier to the start of its quiet window (the evening before, for the small hours). */
export function beforeQuietHours(at: DateTime, quiet: { start: WallClock; end: WallClock }): DateTime {
  if (!inQuietHours(at, quiet)) return at;
  let start: DateTime = at.set({ ...parseClock(quiet.start), second: 0, millisecond: 0 });
  if (start > at) start = start.minus({ days: 1 }).set(parseClock(quiet.start));
  // Exactly `start` is itself quiet: send one minute before the window opens.
  return start.minus({ minutes: 1 });
}

/**
 * Reminder instants for an appointment starting at `startsAt`: each `before` minutes earlier,
 * moved out of quiet hours in `timezone`; those already past at `now` are dropped (a booking made
 * an hour ahead gets no 24-hour reminder), and two that land on the same minute are one.
 */
export function planReminders(input: { startsAt: string; now: string; timezone: string; settings: Required<AppointmentTimingSettings> }): PlannedTimer[] {
  const start = DateTime.fromISO(input.startsAt, { zone: input.timezone });
  if (!start.isValid) throw new Error(`invalid start ${input.startsAt} in ${input.timezone}`);
  const now = DateTime.fromISO(input.now);
  const seen = new Set<number>();
  const planned: PlannedTimer[] = [];
  for (const before of [...input.settings.remindersBeforeMinutes].sort((a, b) => b - a)) {
    let at: DateTime = start.minus({ minutes: before });
    if (input.settings.quietHours) at = beforeQuietHours(at, input.settings.quietHours);
    if (at <= now || at >= start || seen.has(at.toMillis())) continue;
    seen.add(at.toMillis());
    planned.push({ name: reminderName(before), at: at.toUTC().toISO()! });
  }
  return planned.sort((a, b) => a.at.localeCompare(b.at));
}

/** An instant as the contact reads it: weekday, date and time in their timezone and language. */
export function formatWhen(iso: string, timezone: string, locale = 'en'): string {
  return DateTime.fromISO(iso, { zone: timezone }).setLocale(locale).toLocaleString({ weekday: 'long', day: 'numeric', month: 'long', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' });
}
