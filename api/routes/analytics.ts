/**
 * Analytics (`/v1/analytics/*`): the overview (totals and a series) and a breakdown per channel or
 * flow, as JSON or CSV. Every role may read them (the /v1 read rule in plugins/roles.ts); the tenant
 * is the caller's and the SQL names it (db/repos/analytics.ts). Reads only the hourly rollups the
 * worker keeps up to date: a page view never recomputes anything.
 */
import { stringify } from 'csv-stringify/sync';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ANALYTICS_CSV_FIGURES,
  DEFAULT_DAYS,
  MAX_DAYS,
  MAX_HOURLY_DAYS,
  analyticsBreakdown,
  analyticsBreakdownQuery,
  analyticsOverview,
  analyticsOverviewQuery,
  isTimeZone,
  timezoneSetting,
  type AnalyticsFigures,
} from '../../core/api/analytics';
import { errorResponses } from '../../core/api/common';
import { AppError } from '../../core/errors';
import { systemEm } from '../../db/orm';
import { tenantById, updateTenantSettings } from '../../db/repos';
import { recordChange } from '../plugins/audit';
import * as analytics from '../../db/repos/analytics';
import type { AppDeps } from '../deps';
import { syncReportSchedule } from '../services/reports';

const localToday = (zone: string) => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

const maxDaysOf = (granularity: 'hour' | 'day') => (granularity === 'hour' ? MAX_HOURLY_DAYS : MAX_DAYS);

const csvRow = (lead: string[], f: AnalyticsFigures) => [...lead, ...ANALYTICS_CSV_FIGURES.map((k) => f[k] ?? '')];

function sendCsv(reply: FastifyReply, name: string, header: string[], rows: unknown[][]) {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}.csv"`)
    .send(stringify([header, ...rows]));
}

export const analyticsRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['analytics'];
    /** The tenant's zone (settings.timezone), UTC when unset or unknown to this runtime. */
    const timezoneOf = async (tenantId: string) => {
      const zone = (await tenantById(systemEm(deps.orm), tenantId))?.settings.timezone;
      return zone && isTimeZone(zone) ? zone : 'UTC';
    };
    /** The filter of a query; absent dates are the last DEFAULT_DAYS days, today included, in the tenant's zone. */
    const filterOf = async (tenantId: string, maxDays: number, q: { from?: string; to?: string; channel?: analytics.AnalyticsFilter['channel']; flowId?: string }) => {
      const timezone = await timezoneOf(tenantId);
      const to = q.to ?? (q.from && q.from > localToday(timezone) ? q.from : localToday(timezone));
      const from = q.from ?? addDays(to, -(DEFAULT_DAYS - 1));
      // The schema checks a range it was given whole; one half-defaulted is checked here.
      const span = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
      if (span > maxDays) throw new AppError('validation_failed', `the range may span ${maxDays} days at most`, { field: 'from' });
      return { tenantId, from, to, channel: q.channel, flowId: q.flowId, timezone };
    };

    const overviewSummary = 'Totals and a series (by hour, or by day in the tenant’s timezone) over from..to (YYYY-MM-DD, inclusive; the last 7 days by default), optionally one channel or flow';
    app.get('/v1/analytics/overview', { schema: { tags, summary: overviewSummary, querystring: analyticsOverviewQuery, response: { 200: analyticsOverview, ...errorResponses } } }, async (request) =>
      analytics.analyticsOverview(request.em, await filterOf(request.tenantId, maxDaysOf(request.query.granularity), request.query), request.query.granularity),
    );

    app.get(
      '/v1/analytics/overview.csv',
      { schema: { tags, summary: 'The overview’s series as CSV, one row per bucket', querystring: analyticsOverviewQuery, produces: ['text/csv'], response: { 200: z.unknown(), ...errorResponses } } },
      async (request, reply) => {
        const q = request.query;
        const data = await analytics.analyticsOverview(request.em, await filterOf(request.tenantId, maxDaysOf(q.granularity), q), q.granularity);
        return sendCsv(reply, `analytics-${q.granularity}-${data.from}-${data.to}`, [q.granularity, ...ANALYTICS_CSV_FIGURES], data.series.map((s) => csvRow([s.bucket], s)));
      },
    );

    const breakdownSummary = 'The figures per channel or per flow over from..to (YYYY-MM-DD, inclusive; the last 7 days by default), most conversations first';
    app.get('/v1/analytics/breakdown', { schema: { tags, summary: breakdownSummary, querystring: analyticsBreakdownQuery, response: { 200: analyticsBreakdown, ...errorResponses } } }, async (request) =>
      analytics.analyticsBreakdown(request.em, await filterOf(request.tenantId, MAX_DAYS, request.query), request.query.by),
    );

    app.get(
      '/v1/analytics/breakdown.csv',
      { schema: { tags, summary: 'The breakdown as CSV, one row per channel or flow', querystring: analyticsBreakdownQuery, produces: ['text/csv'], response: { 200: z.unknown(), ...errorResponses } } },
      async (request, reply) => {
        const q = request.query;
        const data = await analytics.analyticsBreakdown(request.em, await filterOf(request.tenantId, MAX_DAYS, q), q.by);
        return sendCsv(reply, `analytics-by-${q.by}-${data.from}-${data.to}`, [q.by, 'label', ...ANALYTICS_CSV_FIGURES], data.rows.map((r) => csvRow([r.key, r.label], r)));
      },
    );

    // The zone days are cut in (admins, by the /v1/settings rule); every page of figures reads it.
    const settingsTags = ['settings'];
    app.get('/v1/settings/timezone', { schema: { tags: settingsTags, summary: 'The workspace timezone analytics cut days in (UTC when unset)', response: { 200: timezoneSetting, ...errorResponses } } }, async (request) => ({
      timezone: await timezoneOf(request.tenantId),
    }));
    app.put(
      '/v1/settings/timezone',
      { schema: { tags: settingsTags, summary: 'Set the workspace timezone (an IANA zone) analytics cut days in', body: timezoneSetting, response: { 200: timezoneSetting, ...errorResponses } } },
      async (request) => {
        const before = await timezoneOf(request.tenantId);
        await updateTenantSettings(systemEm(deps.orm), request.tenantId, { timezone: request.body.timezone });
        // The weekly report's hour is local: its Schedule moves with the zone.
        await syncReportSchedule(deps, request.tenantId, { ifReports: true });
        recordChange(request, { targetType: 'settings.timezone', before: { timezone: before }, after: { timezone: request.body.timezone } });
        return { timezone: request.body.timezone };
      },
    );
  };
