/** The `analyticsReport` and `alertEvaluation` workflows' activities (activities/reports/): signatures shared with the workflows. */
import type { AlertNotice, AnalyticsReportResult, WeeklyReport } from '../../core/reports';

export interface ReportActivities {
  /** The report's figures as of `asOf`; null when nothing is due (reports turned off since the schedule fired, tenant gone). */
  loadWeeklyReport(input: { tenantId: string; asOf: string; preview: boolean }): Promise<WeeklyReport | null>;
  /** Renders the report and mails it, once per `key` (the run's workflow id): a retry finds it sent. */
  sendWeeklyReport(input: { tenantId: string; key: string; report: WeeklyReport; to?: string[] }): Promise<AnalyticsReportResult>;
  /** Tenants with enabled alert rules. */
  listAlertTenants(input: Record<string, never>): Promise<{ tenantIds: string[] }>;
  /** Evaluates the tenant's enabled rules at `at`: opens and resolves firings, returns what to notify. */
  evaluateTenantAlerts(input: { tenantId: string; at: string }): Promise<{ rules: number; notices: AlertNotice[] }>;
  /** Tells the rule's destinations (event, admins' mail, signed webhook) about one transition, each once. */
  notifyAlert(input: AlertNotice): Promise<void>;
}
