import { z } from 'zod';
import { storable, text, idempotencyKey } from './common';
import { graphErrorSchema, graphSchema, type GraphInput } from '../graph/schema';

/**
 * A graph as it was saved: checked by `graphSchema` on the way in and returned as it is (a draft
 * need not pass `validateGraph`, and re-parsing would fill in defaults the client never sent).
 */
export const storedGraph = z.unknown().describe('The flow graph: nodes, edges, settings') as z.ZodType<GraphInput>;

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
  graph: storedGraph,
  versions: z.array(flowVersionSummary),
});

export const flowList = z.object({ flows: z.array(flowSummary) });
/** A saved draft (also after restoring a version into it). */
export const draftSaved = z.object({ id: z.string(), updatedAt: z.string() });
export const flowPublished = z.object({ version: z.number().int() });

export const startRunBody = z.object({
  input: storable(z.record(z.string(), z.unknown())).default({}),
  /** Same key → same run: a retried request never starts a second run. */
  idempotencyKey: idempotencyKey().optional(),
  version: z.number().int().positive().optional(),
});
