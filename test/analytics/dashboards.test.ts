/**
 * The dashboards' figures against hand-computed ones (test/analytics/dashboard-fixtures.ts): the
 * node and edge rollup rows, the flow drop-off per node and version through the API (and its CSV),
 * the campaign funnels and per-day series (and their CSV), chart-exact CSV columns, another
 * tenant's objects answered 404 or left out, and bad input a 400 naming the field.
 */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemEm } from '../../db/orm';
import { backfillAnalytics } from '../../db/repos/analytics-backfill';
import { rollupNodeHours } from '../../db/repos/analytics-nodes-rollup';
import { rollupHours } from '../../db/repos/analytics-rollup';
import { ConsoleClient } from '../console-api/support';
import { createConsoleUser } from '../e2e/support/console';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { DROP_OFF_V1, EDGES_V1, NODE_ROWS, SPRING_FUNNEL, writeCampaignDay, writeDropOffDay } from './dashboard-fixtures';
import { at, DAY, makeAnalyticsTenant, writeDay } from './fixtures';

let stack: Stack;
let a: { tenantId: string; apiKey: string; flowId: string; spring: string; later: string; support: string; sales: string };
let b: { tenantId: string; apiKey: string; flowId: string };
const day = { from: at('00:00:00'), to: at('23:59:59') };

beforeAll(async () => {
  stack = await startStack({ ...sharedServers(), worker: false });
  const ta = await stack.createTenant();
  const tb = await stack.createTenant();
  const flowsA = await makeAnalyticsTenant(stack.orm, ta.tenantId);
  await writeDay(stack.orm, flowsA);
  const dropA = await writeDropOffDay(stack.orm, ta.tenantId);
  const campaignsA = await writeCampaignDay(stack.orm, ta.tenantId);
  const dropB = await writeDropOffDay(stack.orm, tb.tenantId);
  await writeCampaignDay(stack.orm, tb.tenantId);
  for (const tenantId of [ta.tenantId, tb.tenantId]) {
    await rollupHours(systemEm(stack.orm), { ...day, tenantId });
    await rollupNodeHours(systemEm(stack.orm), { ...day, tenantId });
  }
  a = { ...ta, flowId: dropA.flowId, spring: campaignsA.spring, later: campaignsA.later, support: flowsA.support, sales: flowsA.sales };
  b = { ...tb, flowId: dropB.flowId };
});
afterAll(async () => {
  await stack?.close();
});

const get = (path: string, apiKey = a.apiKey) => stack.request('GET', path, { apiKey });
const csv = async (path: string, apiKey = a.apiKey) => {
  const res = await fetch(`${stack.url}${path}`, { headers: { authorization: `Bearer ${apiKey}` } });
  return { status: res.status, type: res.headers.get('content-type'), rows: parse(await res.text(), { columns: true }) as Record<string, string>[] };
};

async function nodeRows(tenantId: string, flowId: string) {
  const rows = await systemEm(stack.orm)
    .getConnection()
    .execute(`select * from analytics_node_hourly where tenant_id = ? and flow_id = ? order by hour, channel, flow_version, node_id`, [tenantId, flowId]);
  return rows.map((r) => [new Date(r.hour as string).toISOString().slice(11, 16), r.channel, Number(r.flow_version), r.node_id, Number(r.reached), Number(r.ended), Number(r.handed_off), Number(r.failed)]);
}

it('rolls the closes up per hour, channel, version and node as by hand, the same again and after a backfill', async () => {
  expect(await nodeRows(a.tenantId, a.flowId)).toEqual(NODE_ROWS);
  // The other day's failed turn of test/analytics/fixtures.ts, at node `n` of Sales, in its own hour.
  expect(await nodeRows(a.tenantId, a.sales)).toEqual([['11:00', 'whatsapp', 1, 'n', 0, 0, 0, 1]]);
  await rollupNodeHours(systemEm(stack.orm), { ...day, tenantId: a.tenantId });
  expect(await nodeRows(a.tenantId, a.flowId)).toEqual(NODE_ROWS);
  await backfillAnalytics(systemEm(stack.orm), { tenantId: a.tenantId, from: at('00:00:00'), now: at('23:00:00') });
  expect(await nodeRows(a.tenantId, a.flowId)).toEqual(NODE_ROWS);
  const edges = await systemEm(stack.orm)
    .getConnection()
    .execute(`select edge_id, sum(followed)::int as followed from analytics_edge_hourly where tenant_id = ? and flow_version = 1 group by edge_id order by 2 desc, 1`, [a.tenantId]);
  expect(edges.map((e) => ({ edgeId: e.edge_id, followed: e.followed }))).toEqual(EDGES_V1);
});

it('answers the drop-off of every node of a flow version, its edges and its graph', async () => {
  const res = await get(`/v1/analytics/flows/${a.flowId}/nodes?from=${DAY}&to=${DAY}&version=1`);
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ from: DAY, to: DAY, timezone: 'UTC', flowId: a.flowId, flowName: 'Onboarding', version: 1, conversations: 4 });
  expect(res.body.nodes).toEqual(DROP_OFF_V1);
  expect(res.body.edges).toEqual(EDGES_V1);
  expect(res.body.graph.nodes.map((n: { id: string }) => n.id)).toEqual(['start', 'email', 'thanks', 'human', 'nudge', 'end']);
  // Without a version: the latest published one (2), and every version with its closes.
  const latest = await get(`/v1/analytics/flows/${a.flowId}/nodes?from=${DAY}&to=${DAY}`);
  expect(latest.body.version).toBe(2);
  expect(latest.body.versions).toEqual([
    { version: 2, conversations: 1 },
    { version: 1, conversations: 4 },
  ]);
  expect(latest.body.nodes.slice(0, 2)).toEqual([
    { nodeId: 'start', type: 'start', reached: 1, ended: 0, handedOff: 0, failed: 0, dropOffRate: 0 },
    { nodeId: 'email', type: 'ask', reached: 1, ended: 1, handedOff: 0, failed: 0, dropOffRate: 1 },
  ]);
  // One channel: K3 alone, idled out at the question.
  const whatsapp = await get(`/v1/analytics/flows/${a.flowId}/nodes?from=${DAY}&to=${DAY}&version=1&channel=whatsapp`);
  expect(whatsapp.body.nodes.filter((n: { reached: number }) => n.reached > 0)).toEqual([
    { nodeId: 'start', type: 'start', reached: 1, ended: 0, handedOff: 0, failed: 0, dropOffRate: 0 },
    { nodeId: 'email', type: 'ask', reached: 1, ended: 1, handedOff: 0, failed: 0, dropOffRate: 1 },
  ]);
  // Another day: zeros on every node of the graph.
  const empty = await get(`/v1/analytics/flows/${a.flowId}/nodes?from=2026-03-11&to=2026-03-11&version=1`);
  expect(empty.body.nodes.every((n: { reached: number; dropOffRate: number | null }) => n.reached === 0 && n.dropOffRate === null)).toBe(true);
});

it('exports the drop-off per node and per edge as CSV', async () => {
  const nodes = await csv(`/v1/analytics/flows/${a.flowId}/nodes.csv?from=${DAY}&to=${DAY}&version=1`);
  expect(nodes.type).toMatch(/^text\/csv/);
  expect(nodes.rows).toEqual(
    DROP_OFF_V1.map((n) => ({ node: n.nodeId, type: n.type, reached: String(n.reached), ended: String(n.ended), handedOff: String(n.handedOff), failed: String(n.failed), dropOffRate: String(n.dropOffRate) })),
  );
  const edges = await csv(`/v1/analytics/flows/${a.flowId}/nodes.csv?from=${DAY}&to=${DAY}&version=1&part=edges`);
  expect(edges.rows).toEqual(EDGES_V1.map((e) => ({ edge: e.edgeId, followed: String(e.followed) })));
});

it('lists the campaigns of a range with their funnels and a per-day series', async () => {
  const res = await get(`/v1/analytics/campaigns?from=${DAY}&to=2026-03-11`);
  expect(res.status).toBe(200);
  // Started or scheduled in the range, latest first; "Autumn" started the day before.
  expect(res.body.campaigns.map((c: { name: string; status: string }) => [c.name, c.status])).toEqual([
    ['Later', 'scheduled'],
    ['Spring sale', 'completed'],
  ]);
  expect(res.body.campaigns[1]).toMatchObject({ id: a.spring, startedAt: `${DAY}T09:00:00.000Z`, channels: ['sms', 'email'], ...SPRING_FUNNEL });
  expect(res.body.totals).toEqual(SPRING_FUNNEL);
  expect(res.body.series).toEqual([
    { bucket: DAY, sent: 4, delivered: 2, read: 1, clicked: 1, replied: 1, optedOut: 0, failed: 1 },
    { bucket: '2026-03-11', sent: 0, delivered: 0, read: 0, clicked: 0, replied: 0, optedOut: 1, failed: 0 },
  ]);
  // One channel: the email recipient is left out.
  const sms = await get(`/v1/analytics/campaigns?from=${DAY}&to=2026-03-11&channel=sms`);
  expect(sms.body.totals).toEqual({ ...SPRING_FUNNEL, sent: 3, optedOut: 0 });
});

it('exports the campaigns, the funnel and the series as CSV', async () => {
  const q = `from=${DAY}&to=2026-03-11`;
  const campaigns = await csv(`/v1/analytics/campaigns.csv?${q}`);
  expect(campaigns.rows[1]).toEqual({ campaign: a.spring, name: 'Spring sale', status: 'completed', startedAt: `${DAY}T09:00:00.000Z`, sent: '4', delivered: '2', read: '1', clicked: '1', replied: '1', optedOut: '1', failed: '1' });
  expect((await csv(`/v1/analytics/campaigns.csv?${q}&part=funnel`)).rows).toEqual(Object.entries(SPRING_FUNNEL).map(([stage, n]) => ({ stage, recipients: String(n) })));
  const series = await csv(`/v1/analytics/campaigns.csv?${q}&part=series`);
  expect(series.rows.map((r) => [r.day, r.sent, r.optedOut])).toEqual([
    [DAY, '4', '0'],
    ['2026-03-11', '0', '1'],
  ]);
});

it('exports exactly a chart’s columns with figures=', async () => {
  // The Support flow of test/analytics/fixtures.ts: C1 and C2, C2 handed off, C1 resolved by the bot.
  const res = await csv(`/v1/analytics/overview.csv?from=${DAY}&to=${DAY}&flowId=${a.support}&figures=conversations,handoffs,closedWithoutHuman`);
  expect(res.rows).toEqual([{ day: DAY, conversations: '2', handoffs: '1', closedWithoutHuman: '1' }]);
  const byChannel = await csv(`/v1/analytics/breakdown.csv?by=channel&from=${DAY}&to=${DAY}&flowId=${a.sales}&figures=errors,conversations`);
  expect(byChannel.rows).toEqual([
    { channel: 'whatsapp', label: 'whatsapp', errors: '2', conversations: '1' },
    { channel: 'api', label: 'api', errors: '1', conversations: '0' },
  ]);
});

it("answers 404 for another tenant's flow and shows none of its campaigns", async () => {
  for (const path of [`/v1/analytics/flows/${b.flowId}/nodes`, `/v1/analytics/flows/${b.flowId}/nodes.csv`]) {
    const res = await get(`${path}?from=${DAY}&to=${DAY}`);
    expect([path, res.status]).toEqual([path, 404]);
  }
  // B's own flow, the same day written: B's figures only (its own four conversations of version 1).
  const own = await get(`/v1/analytics/flows/${b.flowId}/nodes?from=${DAY}&to=${DAY}&version=1`, b.apiKey);
  expect(own.body.nodes).toEqual(DROP_OFF_V1);
  const bCampaigns = await get(`/v1/analytics/campaigns?from=${DAY}&to=2026-03-11`, b.apiKey);
  expect(bCampaigns.body.campaigns.map((c: { id: string }) => c.id)).not.toContain(a.spring);
  const bCsv = await csv(`/v1/analytics/campaigns.csv?from=${DAY}&to=2026-03-11`, b.apiKey);
  expect(bCsv.rows.map((r) => r.campaign)).not.toContain(a.spring);
});

it('is readable by a viewer and refuses bad input naming the field', async () => {
  const viewer = await createConsoleUser(stack, a.apiKey, 'viewer');
  const client = new ConsoleClient(stack.url);
  expect((await client.login(viewer.email, viewer.password)).status).toBe(200);
  expect((await client.request('GET', `/v1/analytics/flows/${a.flowId}/nodes?from=${DAY}&to=${DAY}`)).status).toBe(200);
  expect((await client.request('GET', `/v1/analytics/campaigns?from=${DAY}&to=${DAY}`)).status).toBe(200);
  for (const [path, field] of [
    [`/v1/analytics/flows/nope/nodes`, 'flowId'],
    [`/v1/analytics/flows/${a.flowId}/nodes?version=0`, 'version'],
    [`/v1/analytics/flows/${a.flowId}/nodes?version=x`, 'version'],
    [`/v1/analytics/flows/${a.flowId}/nodes.csv?part=links`, 'part'],
    [`/v1/analytics/flows/${a.flowId}/nodes?from=${DAY}&to=2026-03-01`, 'from'],
    ['/v1/analytics/campaigns?channel=fax', 'channel'],
    ['/v1/analytics/campaigns.csv?part=everything', 'part'],
    ['/v1/analytics/campaigns?from=2020-01-01&to=2026-01-01', 'to'],
    ['/v1/analytics/overview.csv?figures=conversations,secrets', 'figures'],
    ['/v1/analytics/breakdown.csv?figures=', 'figures'],
  ]) {
    const res = await get(path);
    expect([path, res.status, res.body.error?.field]).toEqual([path, 400, field]);
  }
});
