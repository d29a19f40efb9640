import { z } from 'zod';
import { storable, text } from './common';
import { graphSchema } from '../graph/schema';

export const graphErrorSchema = z.object({
  nodeId: z.string().optional(),
  edgeId: z.string().optional(),
  field: z.string().optional(),
  message: z.string(),
});

export const createFlowBody = z
  .object({
    name: text().trim().min(1, 'name is required').max(200),
    description: text().max(2000).optional(),
    graph: storable(graphSchema).optional(),
    /** Start from a template (GET /v1/flow-templates) instead of a graph. */
    templateId: text().max(64).optional(),
  })
  .refine((b) => (b.graph === undefined) !== (b.templateId === undefined), { message: 'send either graph or templateId', path: ['graph'] });

export const updateFlowBody = z
  .object({
    name: text().trim().min(1).max(200).optional(),
    description: text().max(2000).optional(),
    graph: storable(graphSchema).optional(),
  })
  .refine((b) => b.name !== undefined || b.description !== undefined || b.graph !== undefined, {
    message: 'nothing to update: send name, description or graph',
    path: ['graph'],
  });

export const publishFlowBody = z.object({ note: text().max(2000).optional() });

export const validateResult = z.object({ valid: z.boolean(), errors: z.array(graphErrorSchema) });

export const flowVersionSummary = z.object({
  version: z.number().int(),
  note: z.string().nullable(),
  publishedAt: z.string(),
});

export const flowSummary = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  latestVersion: z.number().int().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const flowDetail = flowSummary.extend({
  graph: z.unknown(),
  versions: z.array(flowVersionSummary),
});

export const startRunBody = z.object({
  input: storable(z.record(z.string(), z.unknown())).default({}),
  /** Same key → same run: a retried request never starts a second run. */
  idempotencyKey: text()
    .regex(/^[A-Za-z0-9._-]{1,128}$/, 'idempotencyKey must be 1-128 letters, digits, . _ or -')
    .optional(),
  version: z.number().int().positive().optional(),
});
