import { z } from 'zod';
import { CONVERSATION_STATUSES } from '../conversations';
import { WORKFLOW_TYPES } from '../workflows';

/** Temporal's execution statuses, then the stages conversations, flow runs and ingestion set. */
export const RUN_STATUS_FILTERS = [
  'running', 'completed', 'failed', 'canceled', 'cancelled', 'terminated', 'timed_out', 'continued_as_new',
  ...CONVERSATION_STATUSES, 'fetching', 'indexing', 'activating', 'ready',
] as const;

export const listRunsQuery = z
  .object({
    flowId: z.uuid().optional(),
    /** An execution status (running, completed…) or a stage the workflow reports (waiting, human, indexing…). */
    status: z
      .string()
      .max(40)
      .transform((s) => s.toLowerCase())
      .pipe(z.enum(RUN_STATUS_FILTERS, { message: `status must be one of ${RUN_STATUS_FILTERS.join(', ')}` }))
      .optional(),
    type: z.enum(WORKFLOW_TYPES).optional(),
    channel: z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'channel must be a channel type such as webchat').optional(),
    /** Started at or after / before (ISO date-times). */
    from: z.iso.datetime({ offset: true, message: 'from must be an ISO date-time' }).optional(),
    to: z.iso.datetime({ offset: true, message: 'to must be an ISO date-time' }).optional(),
    /** Test ("Try it") conversations are left out unless this is true. */
    includeTest: z
      .enum(['true', 'false'])
      .optional()
      .transform((v) => v === 'true'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    /** Opaque page token from the previous page (`pageToken` is the same). */
    cursor: z.string().max(2000).regex(/^[A-Za-z0-9_.-]*$/, 'cursor must be the nextCursor of a previous page').optional(),
    pageToken: z.string().max(2000).regex(/^[A-Za-z0-9_.-]*$/, 'pageToken must be the nextCursor of a previous page').optional(),
  })
  .transform(({ pageToken, ...q }) => ({ ...q, cursor: q.cursor ?? pageToken }));

export const runSummary = z.object({
  workflowId: z.string(),
  runId: z.string(),
  type: z.string(),
  status: z.string(),
  flowId: z.string().nullable(),
  flowVersion: z.number().nullable(),
  channel: z.string().nullable(),
  startTime: z.string(),
  closeTime: z.string().nullable(),
});

/** A run in the list, with the workflow's own stage (search attribute `Status`, e.g. a conversation's "human"). */
export const runListItem = runSummary.extend({ stage: z.string().nullable() });
export const runList = z.object({ runs: z.array(runListItem), nextCursor: z.string().nullable() });

export const runDetail = z.object({
  runId: z.string(),
  workflowId: z.string(),
  /** conversation, flowRun or ingestDocument. */
  type: z.string(),
  status: z.string(),
  startTime: z.string(),
  closeTime: z.string().nullable(),
  output: z.unknown(),
  state: z.unknown(),
  error: z.string().nullable(),
});

/** One step on a node of a run's history: an activity (with its attempts) or a trace entry. */
export const nodeStepSchema = z.object({
  kind: z.enum(['activity', 'trace']),
  name: z.string(),
  turn: z.number().optional(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  attempts: z.number().optional(),
  status: z.enum(['scheduled', 'running', 'completed', 'failed', 'timed_out', 'canceled', 'visited']),
  input: z.unknown().optional(),
  output: z.unknown().optional(),
  error: z.string().optional(),
  handle: z.string().optional(),
});
export type NodeStep = z.infer<typeof nodeStepSchema>;

/** A node's share of a run's history. */
export const nodeHistorySchema = z.object({
  nodeId: z.string(),
  type: z.string().nullable(),
  visits: z.number().int(),
  firstAt: z.string().nullable(),
  lastAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  steps: z.array(nodeStepSchema),
});
export type NodeHistory = z.infer<typeof nodeHistorySchema>;

/** `GET /v1/runs/:workflowId/history`: events grouped by flow node, and the path the run took. */
export const runHistory = z.object({
  workflowId: z.string(),
  type: z.string(),
  status: z.string(),
  nodes: z.array(nodeHistorySchema),
  /** Every node visit in order with the output it left by: the path the run took, loops included. */
  visits: z.array(z.object({ nodeId: z.string(), turn: z.number().int(), handle: z.string().nullable() })),
  /** False when the worker did not answer the trace query: nodes and visits lack what only it knows. */
  traceRead: z.boolean(),
  eventCount: z.number().int(),
});
