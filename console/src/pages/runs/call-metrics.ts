/**
 * Call metrics of a run, from its history (GET /v1/runs/:id/history): how long the caller spent in
 * each node and how often a node asked again. The trace entries of all nodes, in time order, are
 * the call's timeline; a stay is a run of consecutive entries of one node (a menu is traced when it
 * prompts and again for each answer). A stay lasts until the next node's first entry (the last one
 * until the run closed, or now while it runs). Inside a stay, every entry that left by no output
 * after the first is a re-prompt: an answer that did not match, or no answer in time. Activity
 * attempts beyond the first are counted apart (a speech or database call that was retried).
 */
import type { NodeHistory } from '../../../../core/api/runs';

export interface NodeCallMetrics {
  nodeId: string;
  type: string | null;
  /** Separate stays in the node (a loop back to a menu is a second stay). */
  stays: number;
  /** Total time in the node over its stays, in milliseconds. */
  timeMs: number;
  /** Prompts repeated inside a stay (no match / no input). */
  retries: number;
  /** Activity attempts beyond the first. */
  activityRetries: number;
}

export interface CallMetrics {
  nodes: NodeCallMetrics[];
  /** From the first trace entry to the end (closeTime, or `now`). */
  totalMs: number;
}

interface Entry {
  nodeId: string;
  at: number;
  handle: string | undefined;
  error: boolean;
}

export function callMetrics(history: { nodes: readonly NodeHistory[]; visits: readonly { nodeId: string; handle: string | null }[] }, endAt: number): CallMetrics {
  const { nodes } = history;
  // The visits are the trace in order (entries of one workflow task share one instant, so times
  // cannot order them); the k-th visit of a node is its k-th trace step, which gives the time.
  const steps = new Map(nodes.map((n) => [n.nodeId, n.steps.filter((s) => s.kind === 'trace')]));
  const seen = new Map<string, number>();
  const entries: Entry[] = [];
  for (const v of history.visits) {
    const k = seen.get(v.nodeId) ?? 0;
    seen.set(v.nodeId, k + 1);
    const step = steps.get(v.nodeId)?.[k];
    if (!step?.startedAt) continue;
    entries.push({ nodeId: v.nodeId, at: Date.parse(step.startedAt), handle: v.handle ?? undefined, error: step.status === 'failed' });
  }

  const byNode = new Map<string, NodeCallMetrics>();
  const metricsOf = (nodeId: string) => {
    let m = byNode.get(nodeId);
    if (!m) {
      const n = nodes.find((x) => x.nodeId === nodeId);
      m = { nodeId, type: n?.type ?? null, stays: 0, timeMs: 0, retries: 0, activityRetries: 0 };
      byNode.set(nodeId, m);
    }
    return m;
  };

  for (let i = 0; i < entries.length; ) {
    let j = i;
    while (j + 1 < entries.length && entries[j + 1].nodeId === entries[i].nodeId) j++;
    const m = metricsOf(entries[i].nodeId);
    m.stays++;
    const until = j + 1 < entries.length ? entries[j + 1].at : Math.max(endAt, entries[j].at);
    m.timeMs += Math.max(0, until - entries[i].at);
    const awaits = entries.slice(i, j + 1).filter((e) => e.handle === undefined && !e.error).length;
    // The first prompt is no retry; a stay that ended on an answer has one entry with a handle.
    m.retries += Math.max(0, awaits - 1);
    i = j + 1;
  }
  for (const n of nodes) {
    const extra = n.steps.filter((s) => s.kind === 'activity').reduce((sum, s) => sum + Math.max(0, (s.attempts ?? 1) - 1), 0);
    if (extra > 0 || byNode.has(n.nodeId)) metricsOf(n.nodeId).activityRetries += extra;
  }
  const order = [...new Set(entries.map((e) => e.nodeId))];
  const ranked = [...byNode.values()].sort((a, b) => (order.indexOf(a.nodeId) + 1 || Infinity) - (order.indexOf(b.nodeId) + 1 || Infinity));
  return { nodes: ranked, totalMs: entries.length ? Math.max(0, Math.max(endAt, entries[entries.length - 1].at) - entries[0].at) : 0 };
}

/** The latest time any step of the history started or finished (the end of a closed run without a close time). */
export function lastStepAt(nodes: readonly NodeHistory[]): number {
  let last = 0;
  for (const n of nodes) for (const s of n.steps) for (const t of [s.startedAt, s.finishedAt]) if (t) last = Math.max(last, Date.parse(t));
  return last;
}
