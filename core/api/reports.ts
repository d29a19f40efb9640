/** `/v1/settings/reports` (the weekly email report) and `/v1/alerts/*` (alert rules and their firings). */
import { z } from 'zod';
import { CHANNELS } from '../channels';
import { ALERT_COMPARISONS, ALERT_METRICS, REPORT_WEEKDAYS } from '../reports';
import { text } from './common';

const email = text().trim().toLowerCase().pipe(z.email({ message: 'each email must be an email address' }).max(320));

export const reportSettingsBody = z.object({
  enabled: z.boolean(),
  weekday: z.enum(REPORT_WEEKDAYS, { message: `weekday must be one of ${REPORT_WEEKDAYS.join(', ')}` }).default('monday'),
  hour: z.number({ message: 'hour must be a number' }).int('hour must be a whole hour').min(0, 'hour must be 0-23').max(23, 'hour must be 0-23').default(8),
  userIds: z.array(z.uuid({ message: 'each userId must be a UUID' })).max(50, 'at most 50 users').default([]),
  emails: z.array(email).max(50, 'at most 50 addresses').default([]),
});

export const reportScheduleSchema = z.object({
  scheduleId: z.string(),
  paused: z.boolean(),
  nextRuns: z.array(z.string()),
  lastRunAt: z.string().nullable(),
  timezone: z.string(),
});

export const reportSettingsView = z.object({
  enabled: z.boolean(),
  weekday: z.enum(REPORT_WEEKDAYS),
  hour: z.number(),
  userIds: z.array(z.string()),
  emails: z.array(z.string()),
  /** The workspace zone the hour is in (PUT /v1/settings/timezone). */
  timezone: z.string(),
  /** The Temporal Schedule as the server describes it; null before the first save. */
  schedule: reportScheduleSchema.nullable(),
  recentSends: z.array(z.object({ key: z.string(), recipients: z.array(z.string()), sentAt: z.string() })),
});
export type ReportSettingsView = z.infer<typeof reportSettingsView>;

export const sendReportNowBody = z.object({ to: z.array(email).max(50, 'at most 50 addresses').optional() }).default({});
export const sendReportNowResult = z.object({ workflowId: z.string(), sentTo: z.array(z.string()), skipped: z.string().nullable() });

const url = text().pipe(z.url({ message: 'webhookUrl must be an http(s) URL', protocol: /^https?$/ }).max(2000, 'webhookUrl is longer than 2000 characters'));

const ruleFields = {
  name: text().trim().min(1, 'name is required').max(200),
  metric: z.enum(ALERT_METRICS, { message: `metric must be one of ${ALERT_METRICS.join(', ')}` }),
  comparison: z.enum(ALERT_COMPARISONS, { message: `comparison must be one of ${ALERT_COMPARISONS.join(', ')}` }),
  threshold: z.number({ message: 'threshold must be a number' }).min(0, 'threshold must be 0 or more').max(1e9),
  windowMinutes: z.number({ message: 'windowMinutes must be a number' }).int().min(5, 'windowMinutes must be 5 or more').max(10_080, 'windowMinutes must be at most 10080 (a week)'),
  channel: z.enum(CHANNELS, { message: `channel must be one of ${CHANNELS.join(', ')}` }).nullable(),
  flowId: z.uuid({ message: 'flowId must be a UUID' }).nullable(),
  notifyAdmins: z.boolean(),
  webhookUrl: url.nullable(),
  cooldownMinutes: z.number({ message: 'cooldownMinutes must be a number' }).int().min(0).max(10_080),
  enabled: z.boolean(),
};

const needsDestination = (b: { notifyAdmins?: boolean; webhookUrl?: string | null }) => b.notifyAdmins !== false || !!b.webhookUrl;
const rateBounded = (b: { metric?: string; threshold?: number }) => b.metric !== 'handoff_rate' || b.threshold === undefined || b.threshold <= 1;

export const createAlertRuleBody = z
  .object({
    ...ruleFields,
    channel: ruleFields.channel.default(null),
    flowId: ruleFields.flowId.default(null),
    notifyAdmins: ruleFields.notifyAdmins.default(true),
    webhookUrl: ruleFields.webhookUrl.default(null),
    cooldownMinutes: ruleFields.cooldownMinutes.default(60),
    enabled: ruleFields.enabled.default(true),
  })
  .refine(needsDestination, { message: 'an alert needs a destination: notifyAdmins or a webhookUrl', path: ['notifyAdmins'] })
  .refine(rateBounded, { message: 'a handoff rate threshold is a fraction between 0 and 1', path: ['threshold'] });

export const updateAlertRuleBody = z
  .object({ ...Object.fromEntries(Object.entries(ruleFields).map(([k, v]) => [k, v.optional()])), rotateSecret: z.boolean().optional() } as {
    [K in keyof typeof ruleFields]: z.ZodOptional<(typeof ruleFields)[K]>;
  } & { rotateSecret: z.ZodOptional<z.ZodBoolean> })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'nothing to update', path: ['name'] })
  .refine(rateBounded, { message: 'a handoff rate threshold is a fraction between 0 and 1', path: ['threshold'] });

export const alertRuleSchema = z.object({
  id: z.string(),
  name: z.string(),
  metric: z.enum(ALERT_METRICS),
  comparison: z.enum(ALERT_COMPARISONS),
  threshold: z.number(),
  windowMinutes: z.number(),
  channel: z.string().nullable(),
  flowId: z.string().nullable(),
  notifyAdmins: z.boolean(),
  webhookUrl: z.string().nullable(),
  cooldownMinutes: z.number(),
  enabled: z.boolean(),
  /** Whether a firing is open now. */
  firing: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AlertRuleDto = z.infer<typeof alertRuleSchema>;

/** With the value the metric has now (what the console shows beside the threshold). */
export const alertRuleWithValue = alertRuleSchema.extend({ currentValue: z.number().nullable() });
export const alertRuleList = z.object({ items: z.array(alertRuleWithValue) });
/** Create (with a webhook) and rotation answer with the webhook's signing secret: the only time it is shown. */
export const alertRuleWithSecret = alertRuleSchema.extend({ webhookSecret: z.string().nullable() });

export const alertEventSchema = z.object({
  id: z.string(),
  ruleId: z.string(),
  status: z.enum(['firing', 'resolved']),
  value: z.number(),
  threshold: z.number(),
  lastValue: z.number().nullable(),
  firedAt: z.string(),
  resolvedAt: z.string().nullable(),
  resolvedValue: z.number().nullable(),
  notified: z.record(z.string(), z.record(z.string(), z.string())),
});
export type AlertEventDto = z.infer<typeof alertEventSchema>;
export const alertEventList = z.object({ items: z.array(alertEventSchema) });
export const alertEventQuery = z.object({
  ruleId: z.uuid({ message: 'ruleId must be a UUID' }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
