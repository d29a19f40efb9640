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

// ---- Dashboards: flow drop-off, campaigns, chart-exact CSV columns ----

/** `figures=a,b` on overview.csv / breakdown.csv: only those columns (a chart's own), in that order. */
const figureList = text()
  .transform((s) => s.split(',').map((f) => f.trim()).filter(Boolean))
  .refine((fs) => fs.length > 0 && fs.every((f) => (ANALYTICS_CSV_FIGURES as string[]).includes(f)), { message: `figures must be a comma-separated list of ${ANALYTICS_CSV_FIGURES.join(', ')}` })
  .transform((fs) => fs as (keyof AnalyticsFigures)[]);
export const analyticsOverviewCsvQuery = analyticsOverviewQuery.safeExtend({ figures: figureList.optional() });
export const analyticsBreakdownCsvQuery = analyticsBreakdownQuery.safeExtend({ figures: figureList.optional() });

export const analyticsFlowParams = z.object({ flowId: z.uuid({ message: 'flowId must be a UUID' }) });
export const analyticsFlowNodesQuery = z
  .object({
    from: range.from,
    to: range.to,
    channel: range.channel,
    /** The flow version whose graph is drawn and counted; the latest published one by default. */
    version: z.coerce.number({ message: 'version must be a number' }).int('version must be an integer').positive('version must be positive').optional(),
  })
  .refine(inOrder, ordered)
  .refine((q) => days(q) <= MAX_DAYS, { message: `the range may span ${MAX_DAYS} days at most`, path: ['to'] });
export const ANALYTICS_FLOW_CSV_PARTS = ['nodes', 'edges'] as const;
export const analyticsFlowNodesCsvQuery = analyticsFlowNodesQuery.safeExtend({
  part: z.enum(ANALYTICS_FLOW_CSV_PARTS, { message: 'part must be nodes or edges' }).default('nodes'),
});

/** One node's drop-off among the conversations that closed in the range. */
export const analyticsNodeFigures = z.object({
  nodeId: z.string(),
  /** The node's type in the drawn version; null for a node that version does not have. */
  type: z.string().nullable(),
  /** Conversations (closed in the range) that visited the node. */
  reached: z.number().int(),
  /** Closed (idle or requested) while the bot was at the node. */
  ended: z.number().int(),
  /** Left the bot for a human at the node (and closed after). */
  handedOff: z.number().int(),
  /** Turns that failed at the node (flow.failed), counted when they happened. */
  failed: z.number().int(),
  /** (ended + handedOff) / reached; null when nothing reached it. */
  dropOffRate: z.number().nullable(),
});
export type AnalyticsNodeFigures = z.infer<typeof analyticsNodeFigures>;

export const analyticsFlowNodes = z.object({
  from: z.string(),
  to: z.string(),
  timezone: z.string(),
  flowId: z.string(),
  flowName: z.string(),
  /** The version counted and drawn; null when the flow has never been published. */
  version: z.number().int().nullable(),
  /** Published versions, newest first, with the conversations of each that closed in the range. */
  versions: z.array(z.object({ version: z.number().int(), conversations: z.number().int() })),
  /** Conversations of that version that closed in the range (the cohort). */
  conversations: z.number().int(),
  /** The version's graph, to draw the figures on. */
  graph: z.object({ nodes: z.array(z.unknown()), edges: z.array(z.unknown()) }).nullable(),
  /** Every node of the graph (zeros included), then nodes only older data names; most reached first. */
  nodes: z.array(analyticsNodeFigures),
  /** Edges followed at least once: conversations that went along each. */
  edges: z.array(z.object({ edgeId: z.string(), followed: z.number().int() })),
});
export type AnalyticsFlowNodes = z.infer<typeof analyticsFlowNodes>;

export const analyticsCampaignsQuery = z
  .object({ from: range.from, to: range.to, channel: range.channel })
  .refine(inOrder, ordered)
  .refine((q) => days(q) <= MAX_DAYS, { message: `the range may span ${MAX_DAYS} days at most`, path: ['to'] });
export const ANALYTICS_CAMPAIGN_CSV_PARTS = ['campaigns', 'funnel', 'series'] as const;
export const analyticsCampaignsCsvQuery = analyticsCampaignsQuery.safeExtend({
  part: z.enum(ANALYTICS_CAMPAIGN_CSV_PARTS, { message: 'part must be campaigns, funnel or series' }).default('campaigns'),
});

/** A campaign funnel: recipients that reached each stage. */
export const campaignFunnel = z.object({
  sent: z.number().int(),
  delivered: z.number().int(),
  read: z.number().int(),
  clicked: z.number().int(),
  replied: z.number().int(),
  optedOut: z.number().int(),
  failed: z.number().int(),
});
export type CampaignFunnel = z.infer<typeof campaignFunnel>;
export const CAMPAIGN_FUNNEL_STAGES = Object.keys(campaignFunnel.shape) as (keyof CampaignFunnel)[];

export const analyticsCampaigns = z.object({
  from: z.string(),
  to: z.string(),
  timezone: z.string(),
  /** Campaigns started (or, not started yet, scheduled) in the range, newest first; each funnel is the whole campaign's. */
  campaigns: z.array(campaignFunnel.extend({ id: z.string(), name: z.string(), status: z.string(), startedAt: z.string().nullable(), channels: z.array(z.string()) })),
  totals: campaignFunnel,
  /** Per local day: recipients of any campaign that reached each stage that day. */
  series: z.array(campaignFunnel.extend({ bucket: z.string() })),
});
export type AnalyticsCampaigns = z.infer<typeof analyticsCampaigns>;
