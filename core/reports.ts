/**
 * Weekly reports and alerts, the vocabulary: the report's settings and figures, the alert metrics,
 * comparisons and windows, and the inputs of the `analyticsReport` and `alertEvaluation` workflows.
 */

export const REPORT_WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export type ReportWeekday = (typeof REPORT_WEEKDAYS)[number];

/** Stored in the tenant's settings (`settings.reports`). */
export interface ReportSettings {
  enabled: boolean;
  weekday: ReportWeekday;
  /** Local hour (0-23) in the tenant's timezone. */
  hour: number;
  /** Users of the tenant (their current address is used at send time) and plain addresses. */
  userIds: string[];
  emails: string[];
}

export const DEFAULT_REPORT_SETTINGS: ReportSettings = { enabled: false, weekday: 'monday', hour: 8, userIds: [], emails: [] };

/** The figures of one period, read from the hourly rollups. */
export interface ReportPeriodFigures {
  from: string;
  to: string;
  conversations: number;
  messages: number;
  resolutionRate: number | null;
  handoffRate: number | null;
  avgFirstResponseSeconds: number | null;
  costUsd: number;
  errors: number;
}

export interface WeeklyReport {
  tenantName: string;
  timezone: string;
  current: ReportPeriodFigures;
  previous: ReportPeriodFigures;
  /** The current period's flows with the most conversations. */
  topFlows: { name: string; conversations: number; handoffRate: number | null }[];
  /** Campaign messages sent in the current period, per campaign; empty when there were none. */
  campaigns: { name: string; sent: number; failed: number }[];
}

export interface AnalyticsReportInput {
  tenantId: string;
  /** A preview sent now (`send-now`): goes out even when the weekly report is disabled, to `to` when given. */
  preview?: boolean;
  to?: string[];
}

export interface AnalyticsReportResult {
  /** Addresses the mail went to (empty when nothing was sent). */
  sentTo: string[];
  /** Why nothing went out: reports disabled, no recipients, no mailer. */
  skipped: string | null;
}

export const ALERT_METRICS = ['handoff_rate', 'failed_sends', 'webhook_failures', 'spend'] as const;
export type AlertMetric = (typeof ALERT_METRICS)[number];

export const ALERT_METRIC_LABELS: Record<AlertMetric, string> = {
  handoff_rate: 'Handoff rate',
  failed_sends: 'Failed sends',
  webhook_failures: 'Webhook failures (dead deliveries)',
  spend: 'LLM spend (USD)',
};

export const ALERT_COMPARISONS = ['gt', 'gte', 'lt', 'lte'] as const;
export type AlertComparison = (typeof ALERT_COMPARISONS)[number];
export const COMPARISON_SIGNS: Record<AlertComparison, string> = { gt: '>', gte: '≥', lt: '<', lte: '≤' };

/** A value that cannot be computed (a rate over no conversations) never breaches. */
export function breaches(value: number | null, comparison: AlertComparison, threshold: number): boolean {
  if (value === null) return false;
  if (comparison === 'gt') return value > threshold;
  if (comparison === 'gte') return value >= threshold;
  if (comparison === 'lt') return value < threshold;
  return value <= threshold;
}

export type AlertTransition = 'triggered' | 'resolved';

/** One notification the evaluation asks for: a firing opened or closed. */
export interface AlertNotice {
  tenantId: string;
  eventId: string;
  transition: AlertTransition;
}

export interface AlertEvaluationResult {
  tenants: number;
  rules: number;
  notices: number;
}
