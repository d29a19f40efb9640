import { z } from 'zod';

export const listRunsQuery = z.object({
  flowId: z.uuid().optional(),
  status: z.string().max(40).optional(),
  type: z.enum(['conversation', 'flowRun']).optional(),
  channel: z.string().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Opaque page token from the previous page. */
  cursor: z.string().max(2000).optional(),
});

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
