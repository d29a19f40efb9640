/**
 * Reads of the hourly rollups (db/repos/analytics-rollup.ts) for the analytics API: never the source
 * tables, so a page view costs a few hundred rows whatever the traffic. Local dates are cut in the
 * tenant's timezone; an hour belongs wholly to the local day it starts in (in a half-hour zone
 * that day takes 30 minutes of the next). Raw SQL names `tenant_id` itself.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AnalyticsBreakdown, AnalyticsFigures, AnalyticsOverview } from '../../core/api/analytics';
import type { Channel } from '../../core/channels';

export interface AnalyticsFilter {
  tenantId: string;
  /** Local dates YYYY-MM-DD, inclusive. */
  from: string;
  to: string;
  timezone: string;
  channel?: Channel;
  flowId?: string;
}

const SUMS = `coalesce(sum(h.conversations), 0) as conversations, coalesce(sum(h.messages_in), 0) as messages_in, coalesce(sum(h.messages_out), 0) as messages_out,
  coalesce(sum(h.handoffs), 0) as handoffs, coalesce(sum(h.closed), 0) as closed, coalesce(sum(h.closed_without_human), 0) as closed_without_human,
  coalesce(sum(h.first_response_ms_sum), 0) as first_response_ms_sum, coalesce(sum(h.first_response_count), 0) as first_response_count,
  coalesce(sum(h.time_to_human_ms_sum), 0) as time_to_human_ms_sum, coalesce(sum(h.time_to_human_count), 0) as time_to_human_count,
  coalesce(sum(h.prompt_tokens), 0) as prompt_tokens, coalesce(sum(h.completion_tokens), 0) as completion_tokens,
  coalesce(sum(h.cost_usd), 0) as cost_usd, coalesce(sum(h.errors), 0) as errors,
  coalesce(sum(h.csat_responses), 0) as csat_responses, coalesce(sum(h.csat_score_sum), 0) as csat_score_sum, coalesce(sum(h.csat_satisfied), 0) as csat_satisfied`;

/** The rollup rows of the filter: the range's local midnights as instants, then channel and flow. */
export function scope(f: AnalyticsFilter): { where: string; params: unknown[] } {
  const where = [
    `h.tenant_id = ?`,
    `h.hour >= (?::date)::timestamp at time zone ?`,
    `h.hour < (?::date + 1)::timestamp at time zone ?`,
    ...(f.channel ? [`h.channel = ?`] : []),
    ...(f.flowId ? [`h.flow_id = ?`] : []),
  ].join(' and ');
  const params = [f.tenantId, f.from, f.timezone, f.to, f.timezone, ...(f.channel ? [f.channel] : []), ...(f.flowId ? [f.flowId] : [])];
  return { where, params };
}

export const num = (v: unknown) => Number(v ?? 0);
export const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
export const round = (v: number | null, places = 4) => (v === null ? null : Math.round(v * 10 ** places) / 10 ** places);

function figures(r: Record<string, unknown> | undefined): AnalyticsFigures {
  const conversations = num(r?.conversations);
  const closed = num(r?.closed);
  const closedWithoutHuman = num(r?.closed_without_human);
  const handoffs = num(r?.handoffs);
  const csatResponses = num(r?.csat_responses);
  return {
    conversations,
    messagesIn: num(r?.messages_in),
    messagesOut: num(r?.messages_out),
    handoffs,
    closed,
    closedWithoutHuman,
    handoffRate: round(ratio(handoffs, conversations)),
    resolutionRate: round(ratio(closedWithoutHuman, closed)),
    avgFirstResponseSeconds: round(ratio(num(r?.first_response_ms_sum) / 1000, num(r?.first_response_count)), 3),
    avgTimeToHumanSeconds: round(ratio(num(r?.time_to_human_ms_sum) / 1000, num(r?.time_to_human_count)), 3),
    promptTokens: num(r?.prompt_tokens),
    completionTokens: num(r?.completion_tokens),
    costUsd: round(num(r?.cost_usd), 8)!,
    errors: num(r?.errors),
    csatResponses,
    csatAverage: round(ratio(num(r?.csat_score_sum), csatResponses), 2),
    csatSatisfiedRate: round(ratio(num(r?.csat_satisfied), csatResponses)),
  };
}

export async function analyticsOverview(em: EntityManager, f: AnalyticsFilter, granularity: 'hour' | 'day'): Promise<AnalyticsOverview> {
  const conn = em.getConnection();
  const { where, params } = scope(f);
  const [totals] = await conn.execute(`select ${SUMS} from analytics_hourly h where ${where}`, params);
  // Every bucket of the range, so a chart's axis has no gaps: hours as instants, days as local dates.
  const series =
    granularity === 'hour'
      ? await conn.execute(
          `select to_char(b.bucket at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as bucket, ${SUMS}
             from generate_series((?::date)::timestamp at time zone ?, (?::date + 1)::timestamp at time zone ? - interval '1 hour', interval '1 hour') b(bucket)
             left join analytics_hourly h on h.hour = b.bucket and ${where}
            group by b.bucket order by b.bucket`,
          [f.from, f.timezone, f.to, f.timezone, ...params],
        )
      : await conn.execute(
          `select to_char(b.day, 'YYYY-MM-DD') as bucket, ${SUMS}
             from generate_series(?::date, ?::date, interval '1 day') b(day)
             left join analytics_hourly h on (h.hour at time zone ?)::date = b.day::date and ${where}
            group by b.day order by b.day`,
          [f.from, f.to, f.timezone, ...params],
        );
  return {
    from: f.from,
    to: f.to,
    granularity,
    timezone: f.timezone,
    totals: figures(totals),
    series: series.map((r) => ({ bucket: String(r.bucket), ...figures(r) })),
  };
}

export async function analyticsBreakdown(em: EntityManager, f: AnalyticsFilter, by: 'channel' | 'flow'): Promise<AnalyticsBreakdown> {
  const { where, params } = scope(f);
  const rows = await em.getConnection().execute(
    by === 'channel'
      ? `select h.channel as key, h.channel as label, ${SUMS} from analytics_hourly h where ${where} group by h.channel order by sum(h.conversations) desc, h.channel`
      : `select h.flow_id::text as key, coalesce(fl.name, h.flow_id::text) as label, ${SUMS}
           from analytics_hourly h left join flows fl on fl.id = h.flow_id and fl.tenant_id = h.tenant_id
          where ${where} group by h.flow_id, fl.name order by sum(h.conversations) desc, fl.name`,
    params,
  );
  return { from: f.from, to: f.to, by, timezone: f.timezone, rows: rows.map((r) => ({ key: String(r.key), label: String(r.label), ...figures(r) })) };
}
