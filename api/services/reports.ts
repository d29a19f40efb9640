/**
 * The weekly report's settings as the API shows them, and the one way they reach Temporal: every
 * change of the settings or of the workspace timezone re-syncs the tenant's Schedule.
 */
import type { ReportSettingsView } from '../../core/api/reports';
import { DEFAULT_REPORT_SETTINGS } from '../../core/reports';
import { systemEm } from '../../db/orm';
import { tenantById } from '../../db/repos';
import { recentReportSends, tenantZone } from '../../db/repos/reports';
import type { AppDeps } from '../deps';

/**
 * Brings the tenant's report Schedule in line with its stored settings and zone (no settings:
 * deleted). `ifReports`: only when the tenant has report settings (a timezone change of a tenant
 * without reports costs no Temporal call).
 */
export async function syncReportSchedule(deps: Pick<AppDeps, 'orm' | 'workflows'>, tenantId: string, opts: { ifReports?: boolean } = {}): Promise<void> {
  const tenant = await tenantById(systemEm(deps.orm), tenantId);
  if (opts.ifReports && !tenant?.settings.reports) return;
  await deps.workflows.reports.syncReportSchedule(tenantId, tenant?.settings.reports, tenantZone(tenant));
}

export async function reportSettingsView(deps: Pick<AppDeps, 'orm' | 'workflows'>, tenantId: string): Promise<ReportSettingsView> {
  const em = systemEm(deps.orm);
  const tenant = await tenantById(em, tenantId);
  const settings = tenant?.settings.reports ?? DEFAULT_REPORT_SETTINGS;
  return {
    ...settings,
    timezone: tenantZone(tenant),
    schedule: tenant?.settings.reports ? await deps.workflows.reports.describeReportSchedule(tenantId) : null,
    recentSends: await recentReportSends(em, tenantId, 5),
  };
}
