/**
 * Reads behind the per-flow and per-campaign dashboards. Flow drop-off sums the node and edge
 * rollups (db/repos/analytics-nodes-rollup.ts) of one flow version over the range; the campaign
 * dashboard aggregates the recipients of the range's campaigns in PostgreSQL like a campaign's
 * results page does (db/repos/campaign-results.ts). Raw SQL names `tenant_id` itself.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { CAMPAIGN_FUNNEL_STAGES, type AnalyticsCampaigns, type AnalyticsFlowNodes, type CampaignFunnel } from '../../core/api/analytics';
import { num, ratio, round, scope, type AnalyticsFilter } from './analytics';
import { FUNNEL_COUNTS, toCounts } from './campaign-results';

type Row = Record<string, unknown>;
type GraphShape = { nodes: { id: string; type: string }[]; edges: unknown[] };

/** The drop-off of each node of one flow version among the conversations that closed in the range; null when the flow is not the tenant's. */
export async function flowDropOff(em: EntityManager, f: AnalyticsFilter & { flowId: string }, wanted?: number): Promise<AnalyticsFlowNodes | null> {
  const conn = em.getConnection();
  const [flow] = await conn.execute<Row[]>(`select id, name from flows where tenant_id = ? and id = ?`, [f.tenantId, f.flowId]);
  if (!flow) return null;
  const { where, params } = scope(f);
  const published = await conn.execute<Row[]>(`select version from flow_versions where tenant_id = ? and flow_id = ? order by version desc`, [f.tenantId, f.flowId]);
  // The cohort of a version: the most-reached node's count (every walk passes the start node).
  const counted = await conn.execute<Row[]>(
    `select flow_version, max(reached) as conversations from (
       select h.flow_version, h.node_id, sum(h.reached) as reached from analytics_node_hourly h where ${where} group by h.flow_version, h.node_id) n
     group by flow_version`,
    params,
  );
  const cohort = new Map(counted.map((r) => [num(r.flow_version), num(r.conversations)]));
  const versions = [...new Set([...published.map((r) => num(r.version)), ...cohort.keys()])].sort((a, b) => b - a);
  const version = wanted ?? (published.length ? num(published[0].version) : null);
  const base = { from: f.from, to: f.to, timezone: f.timezone, flowId: f.flowId, flowName: String(flow.name) };
  const versionList = versions.map((v) => ({ version: v, conversations: cohort.get(v) ?? 0 }));
  if (!version) return { ...base, version: null, versions: versionList, conversations: 0, graph: null, nodes: [], edges: [] };

  const [stored] = await conn.execute<Row[]>(`select graph from flow_versions where tenant_id = ? and flow_id = ? and version = ?`, [f.tenantId, f.flowId, version]);
  const graph = (stored?.graph as GraphShape | undefined) ?? null;
  const rows = await conn.execute<Row[]>(
    `select h.node_id, sum(h.reached) as reached, sum(h.ended) as ended, sum(h.handed_off) as handed_off, sum(h.failed) as failed
       from analytics_node_hourly h where ${where} and h.flow_version = ? group by h.node_id`,
    [...params, version],
  );
  const edges = await conn.execute<Row[]>(
    `select h.edge_id, sum(h.followed) as followed from analytics_edge_hourly h where ${where} and h.flow_version = ? group by h.edge_id order by 2 desc, 1`,
    [...params, version],
  );
  const byNode = new Map(rows.map((r) => [String(r.node_id), r]));
  const typeOf = new Map((graph?.nodes ?? []).map((n) => [n.id, n.type]));
  const nodeIds = [...typeOf.keys(), ...[...byNode.keys()].filter((id) => !typeOf.has(id))];
  const nodes = nodeIds.map((nodeId) => {
    const r = byNode.get(nodeId);
    const reached = num(r?.reached);
    const ended = num(r?.ended);
    const handedOff = num(r?.handed_off);
    return { nodeId, type: typeOf.get(nodeId) ?? null, reached, ended, handedOff, failed: num(r?.failed), dropOffRate: round(ratio(ended + handedOff, reached)) };
  });
  nodes.sort((a, b) => b.reached - a.reached || nodeIds.indexOf(a.nodeId) - nodeIds.indexOf(b.nodeId));
  return {
    ...base,
    version,
    versions: versionList,
    conversations: cohort.get(version) ?? 0,
    graph: graph ? { nodes: graph.nodes, edges: graph.edges } : null,
    nodes,
    edges: edges.map((e) => ({ edgeId: String(e.edge_id), followed: num(e.followed) })),
  };
}

/** The timestamp each stage is reached at, for the per-day series. */
const STAGE_AT: Record<keyof CampaignFunnel, string> = {
  sent: 'sent_at',
  delivered: 'delivered_at',
  read: 'read_at',
  clicked: 'clicked_at',
  replied: 'replied_at',
  optedOut: 'opted_out_at',
  failed: 'failed_at',
};

/** The funnel stages of a row of FUNNEL_COUNTS, read as a campaign's results page reads them. */
const funnel = (r: Row | undefined): CampaignFunnel => {
  const counts = toCounts(r);
  return Object.fromEntries(CAMPAIGN_FUNNEL_STAGES.map((s) => [s, counts[s]])) as CampaignFunnel;
};

/** Campaigns started (or scheduled, when not started) in the range, their funnels, and a per-day series of their recipients. */
export async function campaignsDashboard(em: EntityManager, f: Omit<AnalyticsFilter, 'flowId'>): Promise<AnalyticsCampaigns> {
  const conn = em.getConnection();
  const channel = f.channel ? ` and r.channel = ?` : '';
  const channelArg = f.channel ? [f.channel] : [];
  const list = await conn.execute<Row[]>(
    `select c.id, c.name, c.status, c.started_at, c.channels from campaigns c
      where c.tenant_id = ? and coalesce(c.started_at, c.send_at) >= (?::date)::timestamp at time zone ? and coalesce(c.started_at, c.send_at) < (?::date + 1)::timestamp at time zone ?
        ${f.channel ? 'and ? = any(c.channels)' : ''}
      order by coalesce(c.started_at, c.send_at) desc, c.name limit 500`,
    [f.tenantId, f.from, f.timezone, f.to, f.timezone, ...channelArg],
  );
  const ids = list.map((c) => String(c.id));
  const counts = ids.length
    ? await conn.execute<Row[]>(`select r.campaign_id, ${FUNNEL_COUNTS} from campaign_recipients r where r.tenant_id = ? and r.campaign_id = any(?::uuid[])${channel} group by r.campaign_id`, [
        f.tenantId,
        `{${ids.join(',')}}`,
        ...channelArg,
      ])
    : [];
  const byCampaign = new Map(counts.map((r) => [String(r.campaign_id), funnel(r)]));
  const campaigns = list.map((c) => ({
    id: String(c.id),
    name: String(c.name),
    status: String(c.status),
    startedAt: c.started_at ? new Date(c.started_at as string).toISOString() : null,
    channels: (c.channels as string[] | null) ?? [],
    ...(byCampaign.get(String(c.id)) ?? funnel(undefined)),
  }));
  const totals = Object.fromEntries(CAMPAIGN_FUNNEL_STAGES.map((s) => [s, campaigns.reduce((sum, c) => sum + c[s], 0)])) as CampaignFunnel;
  // Each recipient's stage timestamps as (local day, stage) rows: one pass over the campaigns' recipients.
  const stages = CAMPAIGN_FUNNEL_STAGES.map((s) => `('${s}', r.${STAGE_AT[s]})`).join(', ');
  const reached = ids.length
    ? await conn.execute<Row[]>(
        `select to_char((x.at at time zone ?)::date, 'YYYY-MM-DD') as day, x.stage, count(*) as count
           from campaign_recipients r cross join lateral (values ${stages}) x(stage, at)
          where r.tenant_id = ? and r.campaign_id = any(?::uuid[])${channel} and x.at is not null
          group by 1, 2`,
        [f.timezone, f.tenantId, `{${ids.join(',')}}`, ...channelArg],
      )
    : [];
  const byDay = new Map<string, CampaignFunnel>();
  for (const r of reached) {
    const day = byDay.get(String(r.day)) ?? funnel(undefined);
    day[r.stage as keyof CampaignFunnel] = num(r.count);
    byDay.set(String(r.day), day);
  }
  const series = localDays(f.from, f.to).map((bucket) => ({ bucket, ...(byDay.get(bucket) ?? funnel(undefined)) }));
  return { from: f.from, to: f.to, timezone: f.timezone, campaigns, totals, series };
}

/** Every date from..to (YYYY-MM-DD, inclusive). */
function localDays(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}
