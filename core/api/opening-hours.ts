/** `GET/PUT /v1/settings/opening-hours` (admins): the tenant's opening hours and timezone (core/opening-hours.ts). */
import { z } from 'zod';
import { isLocalDate } from '../scheduling/time';
import { dayHours, timezoneSchema, weeklyHoursSchema } from './scheduling';
import { text } from './common';

export const openingExceptionSchema = z
  .object({
    date: text().refine(isLocalDate, { message: 'date must be a date YYYY-MM-DD' }),
    closed: z.boolean().default(true).describe('true: closed all day (a holiday); false: open only `hours`'),
    hours: dayHours.default([]),
    reason: text().trim().max(200).default('').describe('Shown in the console and in a run ("Christmas Day")'),
  })
  .refine((e) => e.closed || e.hours.length > 0, { message: 'an open exception needs hours (or closed: true)', path: ['hours'] });

/** The PUT body: the whole setting (weekly hours replace the old ones, as do the exceptions). */
export const openingHoursBody = z
  .object({
    timezone: timezoneSchema.describe('IANA zone the hours are read in; it is the workspace timezone analytics and reports use too'),
    weekly: weeklyHoursSchema.describe('Intervals per weekday (mon…sun); a missing or empty day is closed'),
    exceptions: z
      .array(openingExceptionSchema)
      .max(400)
      .default([])
      .refine((list) => new Set(list.map((e) => e.date)).size === list.length, { message: 'one exception per date' }),
  })
  .strict();

export const openingStatusSchema = z.object({
  open: z.boolean(),
  reason: z.enum(['hours', 'closed', 'holiday', 'special', 'unset']),
  timezone: z.string(),
  localTime: z.string(),
  exception: z.string().optional(),
});

/** What GET and PUT answer: the setting (null hours: never set, always open) and whether the tenant is open now. */
export const openingHoursView = z.object({
  timezone: z.string(),
  weekly: z.record(z.string(), z.array(z.object({ start: z.string(), end: z.string() }))).nullable(),
  exceptions: z.array(z.object({ date: z.string(), closed: z.boolean(), hours: z.array(z.object({ start: z.string(), end: z.string() })), reason: z.string() })),
  now: openingStatusSchema,
});
export type OpeningHoursView = z.infer<typeof openingHoursView>;
