/**
 * Every campaign payload of `/v1/campaigns`: create and edit bodies, the campaign as the API shows
 * it, the workflow's progress, previews, results (totals, per variant, per channel) and the
 * per-recipient CSV columns. The API validates with these, OpenAPI is generated from them and the
 * console infers its types from them.
 */
import { z } from 'zod';
import { CAMPAIGN_CHANNELS, CAMPAIGN_STATUSES, SKIP_REASONS, campaignBrief, campaignVariant, type CampaignChannel } from '../campaigns';
import { isLocalTime, isValidTimezone } from '../scheduling/time';
import { text } from './common';

const channel = z.enum(CAMPAIGN_CHANNELS, { message: `channel must be one of ${CAMPAIGN_CHANNELS.join(', ')}` });
const id = (field: string) => z.uuid({ message: `${field} must be a UUID` });
const instant = (field: string) => z.iso.datetime({ offset: true, message: `${field} must be an ISO 8601 date-time with a timezone offset (2027-01-08T15:00:00+01:00 or …Z)` });
const hhmm = (field: string) => text().refine(isLocalTime, { message: `${field} must be a time HH:MM` });

export const campaignTimezone = text().refine(isValidTimezone, { message: 'timezone must be an IANA timezone such as Europe/Berlin' });

const quietWindow = (field: string) =>
  z
    .object({ start: hhmm(`${field}.start`), end: hhmm(`${field}.end`) })
    .strict()
    .refine((q) => q.start !== q.end, { message: 'quiet hours must not start and end at the same time', path: ['end'] });

/**
 * No campaign message between `start` and `end` in the recipient's own timezone; may cross midnight
 * (21:00–08:00). `channels` gives a channel its own window (SMS 20:00–09:00, email none stricter).
 */
export const quietHoursSchema = z
  .object({
    start: hhmm('quietHours.start'),
    end: hhmm('quietHours.end'),
    channels: z.partialRecord(channel, quietWindow('quietHours.channels')).optional(),
  })
  .strict()
  .refine((q) => q.start !== q.end, { message: 'quiet hours must not start and end at the same time', path: ['end'] });
export type QuietHours = z.infer<typeof quietHoursSchema>;

/** Messages per second per channel (0: no campaign limit); a channel left out sends at the channel's own limit. */
export const ratePerSecondSchema = z.partialRecord(channel, z.number().min(0, 'ratePerSecond must be 0 (no limit) or more').max(10_000));
export type RatePerSecond = Partial<Record<CampaignChannel, number>>;

/** A/B: `sharePercent` of the audience is split across the variants; after `waitMinutes` the best by `metric` goes to the rest. */
export const abTestSchema = z
  .object({
    sharePercent: z.number().int().min(2, 'sharePercent must be at least 2').max(100),
    metric: z.enum(['reply', 'click']),
    waitMinutes: z.number().int().min(1).max(7 * 24 * 60),
  })
  .strict();
export type AbTest = z.infer<typeof abTestSchema>;

const uniqueChannels = z
  .array(channel)
  .min(1, 'choose at least one channel')
  .max(CAMPAIGN_CHANNELS.length)
  .refine((list) => new Set(list).size === list.length, { message: 'a channel may be listed once' });

/** What a marketer sets up; `channels` is a priority order (the first a recipient is reachable on is used). */
const campaignFields = {
  name: text().trim().min(1, 'name is required').max(200),
  brief: campaignBrief.nullable().optional(),
  channels: uniqueChannels,
  /** The configured channel that sends each campaign channel; default: the tenant's one channel of that type. */
  channelIds: z.partialRecord(channel, id('channelIds')).optional(),
  segmentId: id('segmentId').nullable().optional(),
  /** Answers replies; default: the sending channel's own flow. */
  flowId: id('flowId').nullable().optional(),
  /** Null: as soon as it is approved. */
  sendAt: instant('sendAt').nullable().optional(),
  timezone: campaignTimezone.optional(),
  quietHours: quietHoursSchema.nullable().optional(),
  ratePerSecond: ratePerSecondSchema.optional(),
  abTest: abTestSchema.nullable().optional(),
};

export const createCampaignBody = z.object(campaignFields).strict();
export type CreateCampaignBody = z.infer<typeof createCampaignBody>;

/** Editable only while the campaign is a draft or sent back with changes; `variants` are the content as edited. */
export const patchCampaignBody = z
  .object({ ...campaignFields, name: campaignFields.name.optional(), channels: uniqueChannels.optional(), variants: z.array(campaignVariant).min(1).max(4).optional() })
  .strict()
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'nothing to update: send at least one field', path: ['name'] })
  .refine((b) => !b.variants || new Set(b.variants.map((v) => v.id)).size === b.variants.length, { message: 'variant ids must be distinct', path: ['variants'] });
export type PatchCampaignBody = z.infer<typeof patchCampaignBody>;

export const listCampaignsQuery = z
  .object({
    /** One status or several, comma-separated. */
    status: text()
      .regex(new RegExp(`^(${CAMPAIGN_STATUSES.join('|')})(,(${CAMPAIGN_STATUSES.join('|')}))*$`), `status must be one or more of ${CAMPAIGN_STATUSES.join(', ')}, comma-separated`)
      .optional(),
    /** The calendar's window: campaigns whose send time (or start, or creation when unscheduled) falls in [from, to). */
    from: instant('from').optional(),
    to: instant('to').optional(),
    q: text().trim().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: text().max(200).optional(),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { message: 'from must be before to', path: ['from'] })
  .refine((q) => !q.from || !q.to || Date.parse(q.to) - Date.parse(q.from) <= 400 * 86_400_000, { message: 'the window may span 400 days at most', path: ['to'] });

export const requestChangesBody = z.object({ comment: text().trim().min(1, 'comment is required: say what should change').max(2000) }).strict();
export const rateBody = z
  .object({ ratePerSecond: ratePerSecondSchema })
  .strict()
  .refine((b) => Object.keys(b.ratePerSecond).length > 0, { message: 'give a rate for at least one channel', path: ['ratePerSecond'] });
export const generateBody = z
  .object({ brief: campaignBrief.optional(), channelsOnly: z.array(channel).min(1).optional() })
  .strict();

export const previewQuery = z.object({
  contactId: id('contactId').optional(),
  variant: z.string().regex(/^[A-D]$/, 'variant must be A, B, C or D').default('A'),
});

const skippedCounts = z.object(Object.fromEntries(SKIP_REASONS.map((r) => [r, z.number().int()])) as Record<(typeof SKIP_REASONS)[number], z.ZodNumber>);

/** The workflow's answer to every action and to the progress query. */
export const campaignStateSchema = z.object({
  status: z.enum(CAMPAIGN_STATUSES),
  stage: z.string(),
  targeted: z.number().int(),
  materialized: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
  skipped: skippedCounts,
  deferred: z.number().int(),
  pending: z.number().int(),
  paused: z.boolean(),
  winnerVariant: z.string().nullable(),
  sendAt: z.string().nullable(),
  updatedAt: z.string(),
});
export type CampaignStateDto = z.infer<typeof campaignStateSchema>;

const actor = z.object({ by: z.string(), at: z.string() });
export const campaignSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(CAMPAIGN_STATUSES),
  brief: campaignBrief.nullable(),
  variants: z.array(campaignVariant),
  channels: z.array(channel),
  channelIds: z.partialRecord(channel, z.string()),
  segmentId: z.string().nullable(),
  flowId: z.string().nullable(),
  sendAt: z.string().nullable(),
  /** Null: the tenant's default. */
  timezone: z.string().nullable(),
  quietHours: quietHoursSchema.nullable(),
  ratePerSecond: z.partialRecord(channel, z.number()),
  abTest: abTestSchema.nullable(),
  winnerVariant: z.string().nullable(),
  createdBy: z.string().nullable(),
  submitted: actor.nullable(),
  approved: actor.nullable(),
  changesRequested: actor.extend({ comment: z.string() }).nullable(),
  workflowId: z.string().nullable(),
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CampaignDto = z.infer<typeof campaignSchema>;
export const campaignList = z.object({ items: z.array(campaignSchema), nextCursor: z.string().nullable() });

/** Each channel's content of one variant, personalized for one contact. */
export const previewSchema = z.object({
  variant: z.string(),
  contact: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
  /** Variables with no value for this contact and no fallback: they render empty. */
  missing: z.array(z.string()),
  channels: z.object({
    sms: z.object({ text: z.string(), encoding: z.enum(['GSM-7', 'UCS-2']), segments: z.number().int(), characters: z.number().int() }).optional(),
    whatsapp: z.object({ text: z.string(), template: z.object({ name: z.string(), language: z.string(), parameters: z.array(z.string()) }).optional() }).optional(),
    email: z.object({ subject: z.string(), preheader: z.string(), html: z.string(), text: z.string() }).optional(),
    messenger: z.object({ text: z.string(), tag: z.string().optional() }).optional(),
  }),
  /** The variant's video: a stored render, or the script as this contact's render would say it (`personalized`: one render per recipient). */
  video: z.object({ renderId: z.string().optional(), script: z.string().optional(), personalized: z.boolean() }).optional(),
});
export type CampaignPreview = z.infer<typeof previewSchema>;

/** The counters of a set of recipients (the whole campaign, a variant, a channel). */
export const resultCounts = z.object({
  targeted: z.number().int(),
  skipped: skippedCounts,
  pending: z.number().int(),
  deferred: z.number().int(),
  held: z.number().int(),
  cancelled: z.number().int(),
  sent: z.number().int(),
  delivered: z.number().int(),
  read: z.number().int(),
  failed: z.number().int(),
  replied: z.number().int(),
  clicked: z.number().int(),
  optedOut: z.number().int(),
});
export type ResultCounts = z.infer<typeof resultCounts>;

export const campaignResultsSchema = z.object({
  campaignId: z.string(),
  status: z.enum(CAMPAIGN_STATUSES),
  winnerVariant: z.string().nullable(),
  totals: resultCounts,
  byVariant: z.array(resultCounts.extend({ variant: z.string() })),
  byChannel: z.array(resultCounts.extend({ channel })),
  /** Provider refusals grouped by their reason, most frequent first. */
  failures: z.array(z.object({ reason: z.string(), count: z.number().int() })),
  /** Sends and failures over time, in buckets of `bucketMinutes` (wider for long campaigns, so a chart has a few hundred points at most). */
  timeline: z.object({ bucketMinutes: z.number().int(), points: z.array(z.object({ at: z.string(), sent: z.number().int(), failed: z.number().int() })) }),
  clicks: z.array(z.object({ url: z.string(), clicks: z.number().int(), recipients: z.number().int() })),
});
export type CampaignResults = z.infer<typeof campaignResultsSchema>;

/** The per-recipient CSV's columns, in order. */
export const RECIPIENT_CSV_COLUMNS = [
  'contactId',
  'name',
  'channel',
  'address',
  'variant',
  'status',
  'skipReason',
  'error',
  'sentAt',
  'deliveredAt',
  'readAt',
  'failedAt',
  'repliedAt',
  'clickedAt',
  'optedOutAt',
] as const;


