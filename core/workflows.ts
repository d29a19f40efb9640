/**
 * The workflow kinds and the search attributes every workflow carries (DESIGN.md §2), declared
 * once: the workflows, their Temporal clients (`temporal/`), the dev server's flags and the API's
 * filters read them from here. Workflow ids are built in `core/ids.ts`.
 */
import type { ValidGraph } from './graph/schema';

/** Workflow type names: part of recorded histories, never renamed. */
export const WORKFLOW_TYPES = [
  'conversation',
  'flowRun',
  'ingestDocument',
  'fetchInboundMedia',
  'ingestBatch',
  'imapMailbox',
  'calendarSync',
  'appointment',
  'campaign',
  'analyticsReport',
  'alertEvaluation',
  'retention',
  'videoRender',
  'presenceAudit',
  'presenceFollowUp',
  'ivrCall',
] as const;
export type WorkflowType = (typeof WORKFLOW_TYPES)[number];

/** Name → visibility type. The namespace must have them registered (temporal/dev-server.ts), or a workflow task fails. */
export const SEARCH_ATTRIBUTES = {
  TenantId: 'KEYWORD',
  FlowId: 'KEYWORD',
  FlowVersion: 'INT',
  Channel: 'KEYWORD',
  // Not `Status`: the server's query parser refuses that name, so a filter on it always failed.
  Stage: 'KEYWORD',
} as const;
export type SearchAttributeName = keyof typeof SEARCH_ATTRIBUTES;

/** A run's search-attribute values: a string for KEYWORD attributes, a number for INT ones. */
export type RunAttributes = { [K in SearchAttributeName]?: (typeof SEARCH_ATTRIBUTES)[K] extends 'INT' ? number : string };

/**
 * The workflow task timeout of the runs someone waits on: conversations, flow runs, calls. A
 * worker that dies holding a task (SIGKILL, a lost machine) cannot say so; the server gives the
 * task to another worker only when this passes, and the conversation waits that long (the SDK's
 * 10 s was the longest stall after a worker kill in the chaos run). A task that only waits on
 * local activities is renewed by its worker at 80 % of this, so the bound is on a worker's own
 * work per task, and a just-restarted worker is slowest at it: under the chaos run's load its first
 * tasks (replay, cold code, a fresh connection pool) took up to 4.3 s, and at 5 s some outlived the
 * timeout on a live worker and ran again. 8 s keeps that margin and still hands a dead worker's
 * task over 2 s sooner.
 */
export const INTERACTIVE_TASK_TIMEOUT_MS = 8_000;

/** The flow version a conversation or run is pinned to. */
export interface PinnedFlow {
  flowId: string;
  /** 0 for a test conversation on a draft. */
  version: number;
  graph: ValidGraph;
  /** A "Try it" conversation: see ConversationInput.test. */
  test?: boolean;
  /** The console's marketing assistant: see ConversationInput.assistant. */
  assistant?: boolean;
}
