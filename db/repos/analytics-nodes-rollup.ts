/**
 * The flow drop-off rollup: rewrites `analytics_node_hourly` and `analytics_edge_hourly` (tenant ×
 * UTC hour × channel × flow × version × node or edge) for a range of hours from the stored events.
 * A conversation counts once, in the hour it closed: its `conversation.closed` event carries the
 * nodes it visited, the edges it followed, the node it was at and who had it (the bot, or a human
 * after a handoff at `handoffNodeId`), so "reached", "ended" and "handed off" are one cohort and a
 * node's drop-off rate never exceeds 1. Failed turns (`flow.failed`) count in their own hour.
 * Closes stored before the event carried the path contribute nothing.
 */
import type { QueryResult } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { EVENT_CONVERSATION, HOUR, IN_RANGE, TENANT, ceilHour, floorHour, positional, type RollupRange } from './analytics-rollup';

/** A jsonb array of the event's data as text rows; anything else as none. */
const ELEMENTS = (field: string) => `jsonb_array_elements_text(case when jsonb_typeof(e.data->'${field}') = 'array' then e.data->'${field}' else '[]'::jsonb end)`;
const CLOSES = `from events e ${EVENT_CONVERSATION} where e.type = 'conversation.closed' and e.data->>'statusBefore' is not null and ${IN_RANGE('e.created_at')} and ${TENANT('e')}`;
const KEY = `e.tenant_id, ${HOUR('e.created_at')} as hour, c.channel, c.flow_id, c.flow_version`;

const NODE_PARTS = [
  `select ${KEY}, v.node_id, 1 as reached, 0 as ended, 0 as handed_off, 0 as failed ${CLOSES.replace('from events e', `from events e cross join lateral ${ELEMENTS('visitedNodeIds')} v(node_id)`)}`,
  // The bot had it at the close: it ended where it was.
  `select ${KEY}, e.data->>'nodeId', 0, 1, 0, 0 ${CLOSES} and e.data->>'statusBefore' = 'bot' and e.data->>'nodeId' is not null`,
  // A human had it (or was awaited): it left the bot where it was handed off.
  `select ${KEY}, coalesce(e.data->>'handoffNodeId', e.data->>'nodeId'), 0, 0, 1, 0 ${CLOSES}
      and e.data->>'statusBefore' <> 'bot' and coalesce(e.data->>'handoffNodeId', e.data->>'nodeId') is not null`,
  `select ${KEY}, e.data->>'nodeId', 0, 0, 0, 1 from events e ${EVENT_CONVERSATION}
    where e.type = 'flow.failed' and e.data->>'nodeId' not like '@%' and ${IN_RANGE('e.created_at')} and ${TENANT('e')}`,
];
const EDGE_PART = `select ${KEY}, f.edge_id, 1 as followed ${CLOSES.replace('from events e', `from events e cross join lateral ${ELEMENTS('followedEdgeIds')} f(edge_id)`)}`;

/** Rewrites the node and edge rows of the range in one transaction, under the same advisory lock as the hourly rollup. */
export async function rollupNodeHours(em: EntityManager, range: RollupRange): Promise<{ nodes: number; edges: number }> {
  const values = { from: floorHour(range.from).toISOString(), to: ceilHour(range.to).toISOString(), tenant: range.tenantId ?? null };
  return em.transactional(async (tx) => {
    const run = (sql: string) => {
      const [text, params] = positional(sql, values);
      return tx.getConnection().execute<QueryResult>(text, params, 'run', tx.getTransactionContext());
    };
    await run(`select pg_advisory_xact_lock(hashtext('analytics_rollup'))`);
    await run(`delete from analytics_node_hourly h where ${IN_RANGE('h.hour')} and ${TENANT('h')}`);
    await run(`delete from analytics_edge_hourly h where ${IN_RANGE('h.hour')} and ${TENANT('h')}`);
    const nodes = await run(
      `insert into analytics_node_hourly (tenant_id, hour, channel, flow_id, flow_version, node_id, reached, ended, handed_off, failed)
       select tenant_id, hour, channel, flow_id, flow_version, node_id, sum(reached), sum(ended), sum(handed_off), sum(failed)
         from (${NODE_PARTS.join('\n union all\n')}) parts group by tenant_id, hour, channel, flow_id, flow_version, node_id`,
    );
    const edges = await run(
      `insert into analytics_edge_hourly (tenant_id, hour, channel, flow_id, flow_version, edge_id, followed)
       select tenant_id, hour, channel, flow_id, flow_version, edge_id, sum(followed)
         from (${EDGE_PART}) parts group by tenant_id, hour, channel, flow_id, flow_version, edge_id`,
    );
    return { nodes: nodes.affectedRows, edges: edges.affectedRows };
  });
}
