/**
 * One run for its page: status, the graph it executed and its history grouped by node, re-read
 * every 1.5 s while it runs. The highlight is the executed path in the order nodes first ran.
 */
import { useMemo } from 'react';
import { api } from '../../api/client';
import type { NodeHighlight } from '../../graph/FlowCanvas';
import { autoLayout } from '../../graph/layout';
import { toFlowEdges, toFlowNodes } from '../../graph/model';
import { usePolling, useQuery } from '../shared/useQuery';
import type { NodeHistory, RunDetail, RunGraph, RunHistory } from './types';

const POLL_MS = 1500;

/** Workflow-level pseudo nodes (`@inbound`, `@state`, `workflow`) are not on the canvas. */
export const isFlowNode = (n: NodeHistory) => !n.nodeId.startsWith('@') && n.nodeId !== 'workflow';

export function nodeStatus(n: NodeHistory): NodeHighlight['status'] {
  if (n.steps.some((s) => s.status === 'failed' || s.status === 'timed_out')) return 'failed';
  if (n.steps.some((s) => s.status === 'scheduled' || s.status === 'running')) return 'running';
  return 'ok';
}

/** Steps from `start` along the edges: orders nodes the workflow traced in the same instant. */
function depthFromStart(graph: RunGraph['graph']): Map<string, number> {
  const depth = new Map<string, number>();
  if (!graph) return depth;
  const queue = graph.nodes.filter((n) => n.type === 'start').map((n) => n.id);
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
export function executedPath(history: RunHistory | undefined, graph: RunGraph['graph'] = null): NodeHistory[] {
  if (!history) return [];
  const depth = depthFromStart(graph);
  const firstTrace = (n: NodeHistory) => n.steps.filter((s) => s.kind === 'trace').sort((a, b) => (a.turn ?? 0) - (b.turn ?? 0) || (a.startedAt ?? '').localeCompare(b.startedAt ?? ''))[0];
  return history.nodes
    .filter(isFlowNode)
    .map((n, i) => {
      const trace = firstTrace(n);
      return { n, i, turn: trace?.turn ?? Number.MAX_SAFE_INTEGER, at: trace?.startedAt ?? n.firstAt ?? '\uffff', depth: depth.get(n.nodeId) ?? Number.MAX_SAFE_INTEGER };
    })
    .sort((a, b) => a.at.localeCompare(b.at) || a.turn - b.turn || a.depth - b.depth || a.i - b.i)
    .map(({ n }) => n);
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
  const refresh = () => Promise.all([describable ? detail.reload() : undefined, history.reload()]);
  // Until the history itself was read after the end, its last nodes may be missing: keep polling
  // while either read still says running.
  usePolling(refresh, POLL_MS, running || history.data?.status === 'running');

  const drawable = useMemo(() => withPositions(graph.data?.graph ?? null), [graph.data]);
  const path = useMemo(() => executedPath(history.data, graph.data?.graph ?? null), [history.data, graph.data]);
  const highlight = useMemo(() => {
    const out: Record<string, NodeHighlight> = {};
    path.forEach((n, i) => {
      out[n.nodeId] = { order: i + 1, status: nodeStatus(n), ...(n.durationMs !== null ? { durationMs: n.durationMs } : {}) };
    });
    return out;
  }, [path]);

  return { detail, history, graph, drawable, path, highlight, running, refresh };
}
