import { z } from 'zod';
import { WORKFLOW_TYPES } from '../workflows';
import { text } from './common';

export const listRunsQuery = z
  .object({
    flowId: z.uuid().optional(),
    status: text().max(40).optional(),
    type: z.enum(WORKFLOW_TYPES).optional(),
    channel: text().max(40).optional(),
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
    cursor: text().max(2000).optional(),
    pageToken: text().max(2000).optional(),
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

export const nodeHistorySchema = z.object({
  nodeId: z.string(),
  type: z.string().nullable(),
  visits: z.number().int(),
  firstAt: z.string().nullable(),
  lastAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  steps: z.array(z.unknown()),
});

/** One step on a node of a run's history: an activity (with its attempts) or a trace entry. */
export interface NodeStep {
  kind: 'activity' | 'trace';
  name: string;
  turn?: number;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  attempts?: number;
  status: 'scheduled' | 'running' | 'completed' | 'failed' | 'timed_out' | 'canceled' | 'visited';
  input?: unknown;
  output?: unknown;
  error?: string;
  handle?: string;
}

/** A node's share of a run's history (GET /v1/runs/:id/history), shaped like `nodeHistorySchema`. */
export interface NodeHistory {
  nodeId: string;
  type: string | null;
  visits: number;
  firstAt: string | null;
  lastAt: string | null;
  durationMs: number | null;
  steps: NodeStep[];
}
