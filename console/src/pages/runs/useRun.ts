/**
 * One run for its page: status, the graph it executed and its history grouped by node, re-read
 * every 1.5 s while it runs. The highlight numbers every node visit in order and `taken` holds the
 * edges between consecutive visits, from the history's visit list; without one (an older API),
 * nodes are numbered by their first run and edges guessed from those numbers.
 */
import { useMemo, useRef } from 'react';
import { api } from '../../api/client';
import { autoLayout } from '../../graph/layout';
import { collapseVisits, definitionOf, toFlowEdges, toFlowNodes, traversedEdges, visitNumbers, type NodeHighlight, type Visit } from '../../graph/model';
import { usePolling, useQuery } from '../shared/useQuery';
import type { NodeHistory, RunDetail, RunGraph, RunHistory } from './types';

const POLL_MS = 1500;
/** A closed run whose trace the worker did not answer for is asked again this many times (~30 s). */
const TRACE_RETRIES = 20;

/** Workflow-level pseudo nodes (`@inbound`, `@state`, `workflow`) are not on the canvas. */
export const isFlowNode = (n: NodeHistory) => !n.nodeId.startsWith('@') && n.nodeId !== 'workflow';

export function nodeStatus(n: NodeHistory): NodeHighlight['status'] {
  if (n.steps.some((s) => s.status === 'failed' || s.status === 'timed_out')) return 'failed';
  if (n.steps.some((s) => s.status === 'scheduled' || s.status === 'running')) return 'running';
  return 'ok';
}

/** Steps from the entry node along the edges: orders nodes the workflow traced in the same instant. */
function depthFromStart(graph: RunGraph['graph']): Map<string, number> {
  const depth = new Map<string, number>();
  if (!graph) return depth;
  const queue = graph.nodes.filter((n) => definitionOf(n.type)?.entry).map((n) => n.id);
  queue.forEach((id) => depth.set(id, 0));
  while (queue.length) {
    const id = queue.shift()!;
    for (const e of graph.edges) {
      if (e.source === id && !depth.has(e.target)) {
        depth.set(e.target, depth.get(id)! + 1);
        queue.push(e.target);
      }
    }
  }
  return depth;
}

/**
 * Executed nodes in the order they first ran. The workflow's trace times every node on one clock
 * (workflow time, the same for every node of one workflow task), so ties go to the node closer to
 * `start`; nodes known only from activities use their first activity's time.
 */
/**
 * `graphless`: the run executes no flow graph (document ingestion, media downloads), so its
 * workflow-level steps are the whole path.
 */
export function executedPath(history: RunHistory | undefined, graph: RunGraph['graph'] = null, visits: readonly Visit[] = [], graphless = false): NodeHistory[] {
  if (!history) return [];
  if (visits.length) {
    // The visit list is the real order; a node missing from it (trimmed, oldest first) goes first.
    const first = new Map<string, number>();
    visits.forEach((v, i) => first.has(v.nodeId) || first.set(v.nodeId, i));
    const rank = (n: NodeHistory) => first.get(n.nodeId) ?? -1;
    return executedPath(history, graph).sort((a, b) => rank(a) - rank(b));
  }
  const depth = depthFromStart(graph);
  const firstTrace = (n: NodeHistory) => n.steps.filter((s) => s.kind === 'trace').sort((a, b) => (a.turn ?? 0) - (b.turn ?? 0) || (a.startedAt ?? '').localeCompare(b.startedAt ?? ''))[0];
  return history.nodes
    .filter((n) => graphless || isFlowNode(n))
    .map((n, i) => {
      const trace = firstTrace(n);
      return { n, i, turn: trace?.turn ?? Number.MAX_SAFE_INTEGER, at: trace?.startedAt ?? n.firstAt ?? '\uffff', depth: depth.get(n.nodeId) ?? Number.MAX_SAFE_INTEGER };
    })
    .sort((a, b) => a.at.localeCompare(b.at) || a.turn - b.turn || a.depth - b.depth || a.i - b.i)
    .map(({ n }) => n);
}

/** Each executed node's step numbers (every visit when the visits are known), status and time. */
export function runHighlight(path: NodeHistory[], visits: readonly Visit[]): Record<string, NodeHighlight> {
  const numbers = visitNumbers(visits);
  const out: Record<string, NodeHighlight> = {};
  path.forEach((n, i) => {
    const mine = numbers.get(n.nodeId);
    out[n.nodeId] = { order: mine?.[0] ?? i + 1, ...(mine ? { visits: mine } : {}), status: nodeStatus(n), ...(n.durationMs !== null ? { durationMs: n.durationMs } : {}) };
  });
  return out;
}

/** Graphs written without positions (API clients, templates) are laid out top to bottom. */
export function withPositions(graph: RunGraph['graph']): RunGraph['graph'] {
  if (!graph || graph.nodes.every((n) => n.position)) return graph;
  const laid = new Map(autoLayout(toFlowNodes(graph), toFlowEdges(graph)).map((n) => [n.id, n.position]));
  return { ...graph, nodes: graph.nodes.map((n) => ({ ...n, position: laid.get(n.id) })) };
}

export function useRun(runId: string) {
  const id = encodeURIComponent(runId);
  const detail = useQuery(() => api.get<RunDetail>(`/v1/runs/${id}`), [id]);
  const history = useQuery(() => api.get<RunHistory>(`/v1/runs/${id}/history`), [id]);
  const graph = useQuery(() => api.get<RunGraph>(`/v1/runs/${id}/graph`), [id]);

  const running = (detail.data?.status ?? history.data?.status) === 'running';
  // Status and output come from the run itself when the API describes it (flow runs); the history
  // alone carries type and status for every kind of run, so a failed describe is not re-asked.
  const describable = !(detail.error && !detail.data);
  // Counted per run: the page may be given another run without being mounted again.
  const traceRetries = useRef({ id, count: 0 });
  if (traceRetries.current.id !== id) traceRetries.current = { id, count: 0 };
  const refresh = () => Promise.all([describable ? detail.reload() : undefined, history.reload()]);
  const retryTrace = () => {
    traceRetries.current.count++;
    return refresh();
  };
  // Until the history itself was read after the end, its last nodes may be missing: keep polling
  // while either read still says running, or (a while) while the worker left the trace unread.
  const traceUnread = history.data?.traceRead === false;
  const stillRunning = running || history.data?.status === 'running';
  const retryingTrace = traceUnread && traceRetries.current.count < TRACE_RETRIES;
  usePolling(stillRunning ? refresh : retryTrace, POLL_MS, stillRunning || retryingTrace);

  const drawable = useMemo(() => withPositions(graph.data?.graph ?? null), [graph.data]);
  const visits = useMemo(() => collapseVisits(history.data?.visits ?? []), [history.data]);
  const graphless = Boolean(graph.error) && !graph.data;
  const path = useMemo(() => executedPath(history.data, graph.data?.graph ?? null, visits, graphless), [history.data, graph.data, visits, graphless]);
  const highlight = useMemo(() => runHighlight(path, visits), [path, visits]);
  const taken = useMemo(() => (visits.length && drawable ? traversedEdges(toFlowEdges(drawable), visits) : undefined), [visits, drawable]);

  return { detail, history, graph, drawable, path, highlight, taken, running, traceUnread, retryingTrace, refresh };
}
