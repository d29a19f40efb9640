/**
 * The analytics API (`/v1/analytics/*`): overview (totals and a series by hour or by day in the
 * tenant's timezone) and breakdown (per channel or per flow), read from the hourly rollups. The
 * console infers its types from these; the CSV exports share the columns.
 */
import { z } from 'zod';
import { CHANNELS } from '../channels';
import { text } from './common';

export const ANALYTICS_GRANULARITIES = ['hour', 'day'] as const;
export const ANALYTICS_BREAKDOWNS = ['channel', 'flow'] as const;
/** An hourly series of a month at most (744 points); a daily one of a year. */
export const MAX_HOURLY_DAYS = 31;
export const MAX_DAYS = 366;

const date = (field: string) => text().regex(/^\d{4}-\d{2}-\d{2}$/, `${field} must be YYYY-MM-DD`);
const days = (q: { from?: string; to?: string }) => (q.from && q.to ? (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 + 1 : 0);

/** Absent dates: `to` is today in the tenant's zone, `from` DEFAULT_DAYS - 1 days before `to`. */
export const DEFAULT_DAYS = 7;
const range = {
  from: date('from').optional(),
  to: date('to').optional(),
  channel: z.enum(CHANNELS, { message: `channel must be one of ${CHANNELS.join(', ')}` }).optional(),
  flowId: z.uuid({ message: 'flowId must be a UUID' }).optional(),
};
const ordered = { message: 'from must not be after to', path: ['from'] };
const inOrder = (q: { from?: string; to?: string }) => !q.from || !q.to || q.from <= q.to;

export const analyticsOverviewQuery = z
  .object({ ...range, granularity: z.enum(ANALYTICS_GRANULARITIES, { message: 'granularity must be hour or day' }).default('day') })
  .refine(inOrder, ordered)
  .refine((q) => days(q) <= (q.granularity === 'hour' ? MAX_HOURLY_DAYS : MAX_DAYS), {
    message: `the range may span ${MAX_DAYS} days at most (${MAX_HOURLY_DAYS} by hour)`,
    path: ['to'],
  });

export const analyticsBreakdownQuery = z
  .object({ ...range, by: z.enum(ANALYTICS_BREAKDOWNS, { message: 'by must be channel or flow' }).default('flow') })
  .refine(inOrder, ordered)
  .refine((q) => days(q) <= MAX_DAYS, { message: `the range may span ${MAX_DAYS} days at most`, path: ['to'] });

/** The figures of one bucket, one breakdown row, or the whole range. */
export const analyticsFigures = z.object({
  conversations: z.number().int(),
  messagesIn: z.number().int(),
  messagesOut: z.number().int(),
  handoffs: z.number().int(),
  closed: z.number().int(),
  /** Closed with no handoff and no agent message before the close. */
  closedWithoutHuman: z.number().int(),
  /** handoffs / conversations started; null without conversations. */
  handoffRate: z.number().nullable(),
  /** closedWithoutHuman / closed; null without closes. */
  resolutionRate: z.number().nullable(),
  /** Mean seconds from the contact's first message to the first reply; null without replies. */
  avgFirstResponseSeconds: z.number().nullable(),
  /** Mean seconds from a handoff to the first agent message; null without any. */
  avgTimeToHumanSeconds: z.number().nullable(),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  costUsd: z.number(),
  /** Failed sends, failed conversation turns and failed automation runs. */
  errors: z.number().int(),
  /** Ratings given at csat nodes. */
  csatResponses: z.number().int(),
  /** Mean rating, 1–5 (a thumbs up counts 5, down 1); null without ratings. */
  csatAverage: z.number().nullable(),
  /** Share of ratings of 4–5 or a thumbs up; null without ratings. */
  csatSatisfiedRate: z.number().nullable(),
});
export type AnalyticsFigures = z.infer<typeof analyticsFigures>;

export const analyticsOverview = z.object({
  from: z.string(),
  to: z.string(),
  granularity: z.enum(ANALYTICS_GRANULARITIES),
  /** The IANA zone days are cut in (the tenant's; UTC when unset). */
  timezone: z.string(),
  totals: analyticsFigures,
  /** Every bucket of the range, zero where nothing happened: an ISO instant per hour, a local date per day. */
  series: z.array(analyticsFigures.extend({ bucket: z.string() })),
});
export type AnalyticsOverview = z.infer<typeof analyticsOverview>;

export const analyticsBreakdown = z.object({
  from: z.string(),
  to: z.string(),
  by: z.enum(ANALYTICS_BREAKDOWNS),
  timezone: z.string(),
  /** Most conversations first. `key` is the channel or the flow id; `label` what to show. */
  rows: z.array(analyticsFigures.extend({ key: z.string(), label: z.string() })),
});
export type AnalyticsBreakdown = z.infer<typeof analyticsBreakdown>;

/** Whether this runtime knows `zone` as an IANA time zone. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** `GET/PUT /v1/settings/timezone` (admins): the zone analytics cut days in. */
export const timezoneSetting = z.object({
  timezone: text()
    .max(64)
    .refine((z) => z.includes('/') || z === 'UTC', { message: 'timezone must be an IANA zone such as Europe/Berlin, or UTC' })
    .refine(isTimeZone, { message: 'timezone is not a known IANA zone' }),
});

/** The figures' order in the CSV exports, after the bucket or key/label columns. */
export const ANALYTICS_CSV_FIGURES = Object.keys(analyticsFigures.shape) as (keyof AnalyticsFigures)[];
