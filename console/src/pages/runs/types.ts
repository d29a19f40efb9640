/** Shapes of the runs API, inferred from its schemas (core/api/runs.ts, core/api/run-actions.ts). */
import type { z } from 'zod';
import type { runActionResult, runGraphResult } from '../../../../core/api/run-actions';
import type { runDetail, runHistory, runList } from '../../../../core/api/runs';
import type { WorkflowType } from '../../../../core/workflows';
import type { Tone } from '../../ui';

export type { NodeHistory, NodeStep } from '../../../../core/api/runs';

export type RunList = z.infer<typeof runList>;
export type RunSummary = RunList['runs'][number];
export type RunDetail = z.infer<typeof runDetail>;
export type RunHistory = z.infer<typeof runHistory>;
export type RunGraph = z.infer<typeof runGraphResult>;
export type RunActionResult = z.infer<typeof runActionResult>;

export const RUN_STATUSES = ['running', 'completed', 'failed', 'canceled', 'terminated', 'timed_out'] as const;
/** One label per workflow kind: a kind added to core/workflows.ts without one fails the typecheck. */
const RUN_TYPE_LABELS = {
  conversation: 'Conversation',
  flowRun: 'Automation run',
  ingestDocument: 'Document ingestion',
  fetchInboundMedia: 'Media download',
  ingestBatch: 'Bulk import batch',
  imapMailbox: 'Mailbox poll',
  calendarSync: 'Calendar sync',
  appointment: 'Appointment',
  campaign: 'Campaign',
  analyticsReport: 'Weekly report',
  alertEvaluation: 'Alert evaluation',
  retention: 'Retention run',
  videoRender: 'Video render',
  ivrCall: 'Phone call',
} satisfies Record<WorkflowType, string>;
export const RUN_TYPES = Object.entries(RUN_TYPE_LABELS).map(([value, label]) => ({ value, label }));

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
