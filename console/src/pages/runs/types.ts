/** Shapes of the runs API (core/api/runs.ts, core/api/run-actions.ts, api/services/history.ts). */
import type { NodeHistory } from '../../../../core/api/runs';
import type { GraphInput } from '../../../../core/graph/schema';
import type { Tone } from '../../ui';

export type { NodeHistory, NodeStep } from '../../../../core/api/runs';

export interface RunSummary {
  workflowId: string;
  runId: string;
  type: string;
  status: string;
  /** The workflow's own stage (search attribute `Status`, e.g. a conversation's "human"). */
  stage: string | null;
  flowId: string | null;
  flowVersion: number | null;
  channel: string | null;
  startTime: string;
  closeTime: string | null;
}

export interface RunDetail {
  runId: string;
  workflowId: string;
  status: string;
  startTime: string;
  closeTime: string | null;
  output: unknown;
  state: unknown;
  error: string | null;
}

export interface RunHistory {
  workflowId: string;
  type: string;
  status: string;
  nodes: NodeHistory[];
  /** Every node visit in order, with the output it left by (the workflow's trace). */
  visits?: { nodeId: string; turn: number; handle: string | null }[];
  eventCount: number;
}

export interface RunGraph {
  flowId: string | null;
  version: number | null;
  graph: GraphInput | null;
}

export const RUN_STATUSES = ['running', 'completed', 'failed', 'canceled', 'terminated', 'timed_out'] as const;
export const RUN_TYPES = [
  { value: 'conversation', label: 'Conversation' },
  { value: 'flowRun', label: 'Automation run' },
  { value: 'ingestDocument', label: 'Document ingestion' },
] as const;

export function runStatusTone(status: string): Tone {
  if (status === 'running') return 'info';
  if (status === 'completed') return 'success';
  if (status === 'failed' || status === 'timed_out' || status === 'terminated') return 'danger';
  if (status === 'canceled') return 'warning';
  return 'neutral';
}

export const runTypeLabel = (type: string) => RUN_TYPES.find((t) => t.value === type)?.label ?? type;

/** Link target of a run page: workflow ids carry the tenant and are stable across continue-as-new. */
export const runPath = (workflowId: string) => `/runs/${encodeURIComponent(workflowId)}`;
