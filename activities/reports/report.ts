/**
 * The weekly report's steps: the figures from the rollups (db/repos/reports.ts) in the tenant's
 * zone, then one mail through the platform mailer, recorded under the run's workflow id so that a
 * retried activity, or the same scheduled run started again, does not mail twice. A crash between
 * the mail leaving and the record being written would send it once more: SMTP has no idempotency key.
 */
import { DEFAULT_REPORT_SETTINGS } from '../../core/reports';
import { systemEm } from '../../db/orm';
import { tenantById } from '../../db/repos';
import { claimReportSend, markReportSent, reportRecipientEmails, tenantZone, weeklyReportFigures } from '../../db/repos/reports';
import { systemMailer } from '../../webhooks/mailer';
import { reportHtml, reportSubject, reportText } from '../../webhooks/report-mail';
import type { ActivityDeps } from '../deps';
import type { ReportActivities } from './types';

export function reportActivities({ orm, config }: ActivityDeps): Pick<ReportActivities, 'loadWeeklyReport' | 'sendWeeklyReport'> {
  const mailer = systemMailer(config);
  return {
    async loadWeeklyReport({ tenantId, asOf, preview }) {
      const em = systemEm(orm);
      const tenant = await tenantById(em, tenantId);
      if (!tenant || (!preview && !tenant.settings.reports?.enabled)) return null;
      return weeklyReportFigures(em, { id: tenant.id, name: tenant.name }, tenantZone(tenant), new Date(asOf));
    },
    async sendWeeklyReport({ tenantId, key, report, to }) {
      const em = systemEm(orm);
      const tenant = await tenantById(em, tenantId);
      if (!tenant) return { sentTo: [], skipped: 'the workspace no longer exists' };
      const recipients = to?.length ? to : await reportRecipientEmails(em, tenantId, tenant.settings.reports ?? DEFAULT_REPORT_SETTINGS);
      if (recipients.length === 0) return { sentTo: [], skipped: 'no recipients' };
      if (!mailer) return { sentTo: [], skipped: 'no mailer (SMTP_URL is not set)' };
      if ((await claimReportSend(em, tenantId, key)) === 'sent') return { sentTo: recipients, skipped: 'already sent' };
      await mailer({ to: recipients, subject: reportSubject(report), text: reportText(report), html: reportHtml(report) });
      await markReportSent(em, tenantId, key, recipients);
      return { sentTo: recipients, skipped: null };
    },
  };
}
