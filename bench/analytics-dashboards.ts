/**
 * The dashboards' rollup and reads on a scratch PostgreSQL database: 20,000 closed conversations of
 * one flow over 30 days (each with its path on the close event, a walk 2 to 9 nodes deep down a
 * 12-node flow; a fifth handed to a human) and 20 campaigns of 5,000 recipients each:
 *  1. the node/edge rollup of all 30 days, of the job's 3-hour and 72-hour windows;
 *  2. the flow drop-off of 30 days and the campaigns dashboard of 30 days, latency percentiles.
 * Writes bench/results/analytics-dashboards.json.
 *
 *   npm run bench:dashboards [-- --conversations 20000 --campaigns 20 --recipients 5000 --reads 50]
 */
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createOrm, systemEm, tenantEm } from '../db/orm';
import { createFlow, ensureTenant, publishFlowVersion } from '../db/repos';
import { campaignsDashboard, flowDropOff } from '../db/repos/analytics-dashboards';
import { rollupNodeHours } from '../db/repos/analytics-nodes-rollup';
import { createScratchDatabase, DEFAULT_ADMIN_URL } from '../test/support/database';
import { flow } from '../test/workflows/support/flows';
import { summarize, writeResult } from './stats';

const { values } = parseArgs({
  options: {
    conversations: { type: 'string', default: '20000' },
    campaigns: { type: 'string', default: '20' },
    recipients: { type: 'string', default: '5000' },
    reads: { type: 'string', default: '50' },
  },
});
const CONVERSATIONS = Number(values.conversations);
const CAMPAIGNS = Number(values.campaigns);
const RECIPIENTS = Number(values.recipients);
const READS = Number(values.reads);
const DAYS = 30;
const NODES = 12;
const out = fileURLToPath(new URL('./results/analytics-dashboards.json', import.meta.url));

const ids = Array.from({ length: NODES }, (_, k) => (k === 0 ? 'start' : `n${k}`));
const graph = flow(
  ids.map((id, k) => (k === 0 ? { id, type: 'start' } : k === NODES - 1 ? { id, type: 'end' } : { id, type: 'sendMessage', data: { text: `step ${k}` } })),
  ids.slice(1).map((id, k) => [ids[k]!, id] as [string, string]),
);

const timed = async (fn: () => Promise<unknown>) => {
  const t = performance.now();
  await fn();
  return Math.round((performance.now() - t) * 10) / 10;
};

const loadAverageBefore = os.loadavg().map((l) => Math.round(l * 10) / 10);
const db = await createScratchDatabase(process.env.BENCH_DATABASE_ADMIN_URL ?? DEFAULT_ADMIN_URL, 'switchboard_bench_dashboards');
const orm = await createOrm(db.url, { poolSize: 4 });
try {
  const tenantId = (await ensureTenant(systemEm(orm), `bench-dashboards-${Date.now()}`, 'Dashboards bench')).id;
  const em = tenantEm(orm, tenantId);
  const f = await createFlow(em, tenantId, { name: 'Bench flow', draft: graph });
  await publishFlowVersion(em, f.id, graph);
  const conn = systemEm(orm).getConnection();
  const start = new Date(Date.UTC(2026, 2, 1));
  const end = new Date(start.getTime() + DAYS * 86_400_000);
  const seconds = (DAYS * 86_400) / CONVERSATIONS;
  await conn.execute(
    `insert into conversations (id, tenant_id, flow_id, flow_version, channel, workflow_id, status, created_at, updated_at, last_message_at, is_test)
     select gen_random_uuid(), ?, ?, 1, (array['webchat','whatsapp','sms'])[1 + i % 3], 'conv:bench:' || i, 'closed', t, t, t, false
       from (select i, ?::timestamptz + make_interval(secs => i * ?) as t from generate_series(1, ?) i) s`,
    [tenantId, f.id, start.toISOString(), seconds, CONVERSATIONS],
  );
  // Each close: a walk 2..10 nodes deep down the chain (edge ids are `<source>-next`, as flow() names them); a fifth with a human at the last node.
  await conn.execute(
    `insert into events (tenant_id, type, workflow_id, data, created_at)
     select c.tenant_id, 'conversation.closed', c.workflow_id, jsonb_build_object(
              'conversationId', c.id::text, 'reason', 'idle', 'nodeId', case when w.d = 0 then 'start' else 'n' || w.d end,
              'statusBefore', case when w.h then 'human' else 'bot' end, 'handoffNodeId', case when w.h then 'n' || w.d end,
              'visitedNodeIds', (select jsonb_agg(case when k = 0 then 'start' else 'n' || k end order by k) from generate_series(0, w.d) k),
              'followedEdgeIds', (select coalesce(jsonb_agg(case when k = 0 then 'start' else 'n' || k end || '-next' order by k), '[]') from generate_series(0, w.d - 1) k)),
            c.created_at + interval '20 minutes'
       from conversations c cross join lateral (select 1 + abs(hashtext(c.id::text)) % 9 as d, abs(hashtext(c.workflow_id)) % 5 = 0 as h) w
      where c.tenant_id = ?`,
    [tenantId],
  );
  await conn.execute(`insert into contacts (tenant_id, channel) select ?, 'sms' from generate_series(1, ?)`, [tenantId, RECIPIENTS]);
  await conn.execute(
    `insert into campaigns (tenant_id, name, status, channels, started_at)
     select ?, 'Campaign ' || i, 'completed', '{sms}', ?::timestamptz + make_interval(days => (i * ?) / ?) from generate_series(0, ? - 1) i`,
    [tenantId, start.toISOString(), DAYS, CAMPAIGNS, CAMPAIGNS],
  );
  await conn.execute(
    `insert into campaign_recipients (tenant_id, campaign_id, contact_id, channel, status, idempotency_key, sent_at, delivered_at, read_at, clicked_at, replied_at, failed_at)
     select c.tenant_id, c.id, k.id, 'sms', 'sent', gen_random_uuid()::text, c.started_at,
            case when r % 10 < 8 then c.started_at + interval '1 minute' end, case when r % 10 < 5 then c.started_at + interval '1 hour' end,
            case when r % 10 < 2 then c.started_at + interval '2 hours' end, case when r % 10 < 1 then c.started_at + interval '1 day' end,
            case when r % 10 = 9 then c.started_at + interval '1 minute' end
       from campaigns c cross join (select id, row_number() over () as r from contacts where tenant_id = ?) k where c.tenant_id = ?`,
    [tenantId, tenantId],
  );
  await conn.execute('analyze');

  const all = await timed(() => rollupNodeHours(systemEm(orm), { from: start, to: end, tenantId }));
  const windowOf = (hours: number) => ({ from: new Date(end.getTime() - hours * 3_600_000), to: end });
  const recent = await timed(() => rollupNodeHours(systemEm(orm), windowOf(3)));
  const settle = await timed(() => rollupNodeHours(systemEm(orm), windowOf(72)));
  const [rows] = await conn.execute(`select count(*)::int as n from analytics_node_hourly where tenant_id = ?`, [tenantId]);
  console.log(`node rollup: ${DAYS} days ${all} ms (${rows.n} node rows), 3-hour window ${recent} ms, 72-hour window ${settle} ms`);

  const filter = { tenantId, from: '2026-03-01', to: '2026-03-30', timezone: 'Europe/Berlin' };
  const dropMs: number[] = [];
  const campaignMs: number[] = [];
  let check: Awaited<ReturnType<typeof flowDropOff>> = null;
  for (let i = 0; i < READS; i++) {
    dropMs.push(await timed(async () => (check = await flowDropOff(systemEm(orm), { ...filter, flowId: f.id }))));
    campaignMs.push(await timed(() => campaignsDashboard(systemEm(orm), filter)));
  }
  const dropOff = summarize(dropMs);
  const campaigns = summarize(campaignMs);
  console.log(`flow drop-off (30 days): p50 ${dropOff.p50} ms, p99 ${dropOff.p99} ms; campaigns (${CAMPAIGNS} × ${RECIPIENTS}): p50 ${campaigns.p50} ms, p99 ${campaigns.p99} ms`);
  const reached = check!.nodes.find((n) => n.nodeId === 'start')?.reached ?? 0;

  writeResult(out, {
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, loadAverageBefore, loadAverageAfter: os.loadavg().map((l) => Math.round(l * 10) / 10) },
    data: { conversations: CONVERSATIONS, days: DAYS, nodes: NODES, campaigns: CAMPAIGNS, recipientsPerCampaign: RECIPIENTS },
    rollupMs: { allDays: all, window3h: recent, window72h: settle, nodeRows: rows.n },
    readMs: { flowDropOff: dropOff, campaigns },
    startReached: reached,
  });
  console.log(`wrote ${out}`);
  // Every conversation that closed in the (local) range passed the start node.
  if (reached < CONVERSATIONS * 0.9) process.exitCode = 1;
} finally {
  await orm.close(true);
  await db.drop();
}
