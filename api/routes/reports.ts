/**
 * `/v1/settings/reports`: the weekly email report (admins only, by the /v1/settings rule in
 * plugins/roles.ts). Saving the settings creates or updates the tenant's Temporal Schedule (paused
 * while reports are off), removing them deletes it; `send-now` runs one report at once and answers
 * whom it went to.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../core/api/common';
import { reportSettingsBody, reportSettingsView, sendReportNowBody, sendReportNowResult } from '../../core/api/reports';
import { AppError } from '../../core/errors';
import { User } from '../../db/entities';
import { systemEm } from '../../db/orm';
import { tenantById, updateTenantSettings } from '../../db/repos';
import { reportRecipientEmails } from '../../db/repos/reports';
import { recordChange } from '../plugins/audit';
import { reportSettingsView as viewOf, syncReportSchedule } from '../services/reports';
import type { AppDeps } from '../deps';

export const reportRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['settings'];

    app.get('/v1/settings/reports', { schema: { tags, summary: 'The weekly email report: settings, the schedule as Temporal describes it, recent sends', response: { 200: reportSettingsView, ...errorResponses } } }, async (request) =>
      viewOf(deps, request.tenantId),
    );

    app.put(
      '/v1/settings/reports',
      {
        schema: {
          tags,
          summary: 'Set the weekly report (weekday and local hour in the workspace timezone, recipients: users of the workspace and addresses); creates or updates its schedule',
          body: reportSettingsBody,
          response: { 200: reportSettingsView, ...errorResponses },
        },
      },
      async (request) => {
        const body = request.body;
        const userIds = [...new Set(body.userIds)];
        const found = userIds.length ? await request.em.count(User, { tenant: request.tenantId, id: { $in: userIds } }) : 0;
        if (found !== userIds.length) throw new AppError('not_found', 'user not found', { field: 'userIds' });
        if (body.enabled && userIds.length + body.emails.length === 0) throw new AppError('validation_failed', 'an enabled report needs at least one recipient (userIds or emails)', { field: 'userIds' });
        const before = (await tenantById(systemEm(deps.orm), request.tenantId))?.settings.reports ?? null;
        const after = { enabled: body.enabled, weekday: body.weekday, hour: body.hour, userIds, emails: [...new Set(body.emails)] };
        await updateTenantSettings(systemEm(deps.orm), request.tenantId, { reports: after });
        await syncReportSchedule(deps, request.tenantId);
        recordChange(request, { targetType: 'settings.reports', before: before ?? {}, after });
        return viewOf(deps, request.tenantId);
      },
    );

    app.delete('/v1/settings/reports', { schema: { tags, summary: 'Remove the weekly report settings and delete its schedule', response: { 204: z.null(), ...errorResponses } } }, async (request, reply) => {
      const before = (await tenantById(systemEm(deps.orm), request.tenantId))?.settings.reports;
      await updateTenantSettings(systemEm(deps.orm), request.tenantId, { reports: undefined });
      await syncReportSchedule(deps, request.tenantId);
      recordChange(request, { targetType: 'settings.reports', before: before ?? {}, after: {} });
      return reply.status(204).send(null);
    });

    app.post(
      '/v1/settings/reports/send-now',
      {
        schema: {
          tags,
          summary: 'Send the report now (a preview, even while reports are off) to `to`, or to the saved recipients; answers once it is sent',
          body: sendReportNowBody,
          response: { 200: sendReportNowResult, ...errorResponses },
        },
      },
      async (request) => {
        if (!deps.config.SMTP_URL) throw new AppError('conflict', 'no mail server is configured (SMTP_URL)', { field: 'to' });
        const tenant = await tenantById(systemEm(deps.orm), request.tenantId);
        const to = request.body.to?.length ? request.body.to : tenant?.settings.reports ? await reportRecipientEmails(systemEm(deps.orm), request.tenantId, tenant.settings.reports) : [];
        if (to.length === 0) throw new AppError('validation_failed', 'no recipients: pass `to` or save recipients first', { field: 'to' });
        return deps.workflows.reports.sendReportNow(request.tenantId, to);
      },
    );
  };
