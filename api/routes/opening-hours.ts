/**
 * The tenant's opening hours and timezone (admins, by the /v1/settings rule): what the
 * `businessHours` node branches on. The timezone is the workspace's one (`settings.timezone`,
 * which analytics and the weekly report read too), so saving a new zone here moves the report's
 * schedule as `PUT /v1/settings/timezone` does.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../core/api/common';
import { openingHoursBody, openingHoursView, type OpeningHoursView } from '../../core/api/opening-hours';
import { openingStatus, openingZone, type OpeningHours } from '../../core/opening-hours';
import type { TenantSettings } from '../../db/entities';
import { systemEm } from '../../db/orm';
import { tenantById, updateTenantSettings } from '../../db/repos';
import type { AppDeps } from '../deps';
import { recordChange } from '../plugins/audit';
import { syncReportSchedule } from '../services/reports';

const tags = ['settings'];

function viewOf(settings: TenantSettings | undefined): OpeningHoursView {
  const timezone = openingZone(settings?.timezone);
  const hours = settings?.openingHours;
  return {
    timezone,
    weekly: hours ? (hours.weekly as OpeningHoursView['weekly']) : null,
    exceptions: (hours?.exceptions ?? []).map((e) => ({ date: e.date, closed: e.closed, hours: e.hours, reason: e.reason ?? '' })),
    now: openingStatus(hours, timezone, Date.now()),
  };
}

export const openingHoursRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const settingsOf = async (tenantId: string) => (await tenantById(systemEm(deps.orm), tenantId))?.settings;

    app.get(
      '/v1/settings/opening-hours',
      { schema: { tags, summary: 'Opening hours, timezone, and whether the workspace is open now (weekly null: never set, always open)', response: { 200: openingHoursView, ...errorResponses } } },
      async (request) => viewOf(await settingsOf(request.tenantId)),
    );

    app.put(
      '/v1/settings/opening-hours',
      {
        schema: {
          tags,
          summary: 'Set the opening hours (weekly intervals and dated exceptions) and the timezone they are read in',
          description: 'The whole setting is replaced. The `businessHours` flow node follows `open`, `closed` or `holiday` by it.',
          body: openingHoursBody,
          response: { 200: openingHoursView, ...errorResponses },
        },
      },
      async (request) => {
        const before = await settingsOf(request.tenantId);
        const openingHours: OpeningHours = { weekly: request.body.weekly, exceptions: request.body.exceptions };
        const after = await updateTenantSettings(systemEm(deps.orm), request.tenantId, { openingHours, timezone: request.body.timezone });
        if (before?.timezone !== request.body.timezone) await syncReportSchedule(deps, request.tenantId, { ifReports: true });
        recordChange(request, {
          targetType: 'settings.opening-hours',
          targetId: request.tenantId,
          before: { timezone: before?.timezone ?? null, openingHours: before?.openingHours ?? null },
          after: { timezone: request.body.timezone, openingHours },
        });
        return viewOf(after.settings);
      },
    );
  };
