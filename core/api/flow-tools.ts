/** What the builder needs beyond the flow itself: versions, templates, the node catalogue, test sessions. */
import { z } from 'zod';
import { graphSchema } from '../graph/schema';
import { storable } from './common';
import { storedGraph } from './flows';

export const versionParams = z.object({ id: z.uuid({ message: 'id must be a UUID' }), version: z.coerce.number().int().positive() });

export const flowVersionItem = z.object({
  version: z.number().int(),
  note: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
});

export const flowVersionList = z.object({ items: z.array(flowVersionItem) });

export const flowVersionDetail = flowVersionItem.extend({ graph: storedGraph });

export const flowTemplateSchema = z.object({ id: z.string(), name: z.string(), description: z.string(), graph: storedGraph });
export const flowTemplateList = z.object({ items: z.array(flowTemplateSchema) });

export const nodeCatalogueItem = z.object({
  type: z.string(),
  label: z.string(),
  category: z.string(),
  description: z.string(),
  help: z.string().nullable(),
  outputs: z.array(z.string()),
  waitsForInput: z.boolean(),
  /** JSON Schema of the node's `data`. */
  dataSchema: z.unknown(),
});

export const testSessionBody = z.object({ graph: storable(graphSchema).optional() });
export const testSessionResult = z.object({ conversationId: z.string(), token: z.string(), expiresAt: z.string() });
