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
  analyticsBreakdownCsvQuery,
  analyticsBreakdownQuery,
  analyticsCampaigns,
  analyticsCampaignsCsvQuery,
  analyticsCampaignsQuery,
  analyticsFlowNodes,
  analyticsFlowNodesCsvQuery,
  analyticsFlowNodesQuery,
  analyticsFlowParams,
  analyticsOverview,
  analyticsOverviewCsvQuery,
  analyticsOverviewQuery,
  CAMPAIGN_FUNNEL_STAGES,
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
import { campaignsDashboard, flowDropOff } from '../../db/repos/analytics-dashboards';
import type { AppDeps } from '../deps';
import { csvCell } from '../services/campaign-progress';
import { syncReportSchedule } from '../services/reports';

const localToday = (zone: string) => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

const maxDaysOf = (granularity: 'hour' | 'day') => (granularity === 'hour' ? MAX_HOURLY_DAYS : MAX_DAYS);

const csvRow = (lead: string[], f: AnalyticsFigures, figures: readonly (keyof AnalyticsFigures)[] = ANALYTICS_CSV_FIGURES) => [...lead, ...figures.map((k) => f[k] ?? '')];

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
      { schema: { tags, summary: 'The overview’s series as CSV, one row per bucket (`figures=a,b`: only those columns, a chart’s own)', querystring: analyticsOverviewCsvQuery, produces: ['text/csv'], response: { 200: z.unknown(), ...errorResponses } } },
      async (request, reply) => {
        const q = request.query;
        const data = await analytics.analyticsOverview(request.em, await filterOf(request.tenantId, maxDaysOf(q.granularity), q), q.granularity);
        const figures = q.figures ?? ANALYTICS_CSV_FIGURES;
        return sendCsv(reply, `analytics-${q.granularity}-${data.from}-${data.to}`, [q.granularity, ...figures], data.series.map((s) => csvRow([s.bucket], s, figures)));
      },
    );

    const breakdownSummary = 'The figures per channel or per flow over from..to (YYYY-MM-DD, inclusive; the last 7 days by default), most conversations first';
    app.get('/v1/analytics/breakdown', { schema: { tags, summary: breakdownSummary, querystring: analyticsBreakdownQuery, response: { 200: analyticsBreakdown, ...errorResponses } } }, async (request) =>
      analytics.analyticsBreakdown(request.em, await filterOf(request.tenantId, MAX_DAYS, request.query), request.query.by),
    );

    app.get(
      '/v1/analytics/breakdown.csv',
      { schema: { tags, summary: 'The breakdown as CSV, one row per channel or flow (`figures=a,b`: only those columns)', querystring: analyticsBreakdownCsvQuery, produces: ['text/csv'], response: { 200: z.unknown(), ...errorResponses } } },
      async (request, reply) => {
        const q = request.query;
        const data = await analytics.analyticsBreakdown(request.em, await filterOf(request.tenantId, MAX_DAYS, q), q.by);
        const figures = q.figures ?? ANALYTICS_CSV_FIGURES;
        return sendCsv(reply, `analytics-by-${q.by}-${data.from}-${data.to}`, [q.by, 'label', ...figures], data.rows.map((r) => csvRow([r.key, csvCell(r.label)], r, figures)));
      },
    );

    // Flow drop-off: per node of one version, among the conversations that closed in the range.
    const flowFigures = async (request: { tenantId: string; em: Parameters<typeof flowDropOff>[0]; params: { flowId: string }; query: { from?: string; to?: string; channel?: analytics.AnalyticsFilter['channel']; version?: number } }) => {
      const data = await flowDropOff(request.em, { ...(await filterOf(request.tenantId, MAX_DAYS, request.query)), flowId: request.params.flowId }, request.query.version);
      if (!data) throw new AppError('not_found', 'flow not found');
      return data;
    };
    const flowSummary = 'Per node of a flow version: conversations (closed in from..to) that reached it, ended at it, were handed off at it; turns failed at it; the drop-off rate; and per edge, conversations that followed it';
    app.get(
      '/v1/analytics/flows/:flowId/nodes',
      { schema: { tags, summary: flowSummary, params: analyticsFlowParams, querystring: analyticsFlowNodesQuery, response: { 200: analyticsFlowNodes, ...errorResponses } } },
      async (request) => flowFigures(request),
    );
    app.get(
      '/v1/analytics/flows/:flowId/nodes.csv',
      { schema: { tags, summary: 'The flow drop-off as CSV: one row per node (part=nodes) or per edge (part=edges)', params: analyticsFlowParams, querystring: analyticsFlowNodesCsvQuery, produces: ['text/csv'], response: { 200: z.unknown(), ...errorResponses } } },
      async (request, reply) => {
        const data = await flowFigures(request);
        const name = `analytics-flow-${data.flowId}-v${data.version ?? 0}-${request.query.part}-${data.from}-${data.to}`;
        return request.query.part === 'edges'
          ? sendCsv(reply, name, ['edge', 'followed'], data.edges.map((e) => [csvCell(e.edgeId), e.followed]))
          : sendCsv(reply, name, ['node', 'type', 'reached', 'ended', 'handedOff', 'failed', 'dropOffRate'], data.nodes.map((n) => [csvCell(n.nodeId), n.type ?? '', n.reached, n.ended, n.handedOff, n.failed, n.dropOffRate ?? '']));
      },
    );

    // Campaigns of the range with their funnels, and a per-day series of their recipients.
    const campaignsSummary = 'Campaigns started (or scheduled) in from..to with their funnel (sent, delivered, read, clicked, replied, opted out, failed) and a per-day series';
    app.get('/v1/analytics/campaigns', { schema: { tags, summary: campaignsSummary, querystring: analyticsCampaignsQuery, response: { 200: analyticsCampaigns, ...errorResponses } } }, async (request) =>
      campaignsDashboard(request.em, await filterOf(request.tenantId, MAX_DAYS, request.query)),
    );
    app.get(
      '/v1/analytics/campaigns.csv',
      { schema: { tags, summary: 'The campaigns dashboard as CSV: one row per campaign (part=campaigns), per funnel stage (part=funnel) or per day (part=series)', querystring: analyticsCampaignsCsvQuery, produces: ['text/csv'], response: { 200: z.unknown(), ...errorResponses } } },
      async (request, reply) => {
        const data = await campaignsDashboard(request.em, await filterOf(request.tenantId, MAX_DAYS, request.query));
        const name = `analytics-campaigns-${request.query.part}-${data.from}-${data.to}`;
        if (request.query.part === 'funnel') return sendCsv(reply, name, ['stage', 'recipients'], CAMPAIGN_FUNNEL_STAGES.map((k) => [k, data.totals[k]]));
        return request.query.part === 'series'
          ? sendCsv(reply, name, ['day', ...CAMPAIGN_FUNNEL_STAGES], data.series.map((s) => [s.bucket, ...CAMPAIGN_FUNNEL_STAGES.map((k) => s[k])]))
          : sendCsv(reply, name, ['campaign', 'name', 'status', 'startedAt', ...CAMPAIGN_FUNNEL_STAGES], data.campaigns.map((c) => [c.id, csvCell(c.name), c.status, c.startedAt ?? '', ...CAMPAIGN_FUNNEL_STAGES.map((k) => c[k])]));
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
