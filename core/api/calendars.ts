/** Payloads of the calendar routes (api/routes/calendar-feeds.ts): a staff member's CalDAV connection and private feed. */
import { z } from 'zod';
import { text } from './common';

const httpUrl = (field: string) =>
  text()
    .max(2000, `${field} is too long`)
    .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), { message: `${field} must be an http(s) URL` });

export const staffIdParam = z.object({ staffId: z.uuid({ message: 'staffId must be a UUID' }) });

export const caldavBody = z.object({
  /** The CalDAV server (https://caldav.icloud.com, https://cloud.example.com/remote.php/dav) or a calendar's own URL. */
  url: httpUrl('url'),
  username: text().min(1, 'username is required').max(320),
  password: text().min(1, 'password is required').max(1000),
  /** One of the calendars the connection test listed; the first event calendar when absent. */
  calendarUrl: httpUrl('calendarUrl').optional(),
});
export type CaldavBody = z.infer<typeof caldavBody>;

const calendarInfo = z.object({ url: z.string(), displayName: z.string() });

/** The connection as the API shows it: never the password. */
export const calendarSettings = z.object({
  staffId: z.string(),
  caldav: z.object({ url: z.string(), username: z.string(), calendarUrl: z.string() }).nullable(),
  /** The private read-only feed: whoever has this URL reads the staff member's bookings. */
  feedUrl: z.string(),
});
export type CalendarSettingsDto = z.infer<typeof calendarSettings>;

export const caldavTestResult = z.object({ ok: z.literal(true), calendar: calendarInfo, calendars: z.array(calendarInfo) });
export const caldavSaved = calendarSettings.extend({ calendars: z.array(calendarInfo) });

export const feedParams = z.object({ token: text().regex(/^[A-Za-z0-9_-]{16,100}$/, 'not a feed token') });
