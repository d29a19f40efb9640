/**
 * Bulk import of many small documents (an FAQ export, a product catalogue): one row per document,
 * from a CSV or JSONL file or a JSON body. Rows that cannot become a document are reported by row
 * number and field; the rest are indexed by `ingestBatch` workflows.
 */
import { z } from 'zod';

/** Rows per import: larger files are split by the caller (one request is one transaction). */
export const MAX_IMPORT_ROWS = 20_000;
/** Documents per `ingestBatch` workflow: one activity embeds and stores them together. */
export const IMPORT_BATCH_SIZE = 500;

export const bulkDocumentRow = z.object({ name: z.string(), text: z.string() });

export const bulkImportJsonBody = z.object({
  documents: z.array(z.object({ name: z.string().max(10_000).optional(), text: z.string() })).min(1, 'documents must not be empty').max(MAX_IMPORT_ROWS),
});

export const rejectedRow = z.object({
  /** 1-based: the data row of a CSV (after its header), the line of a JSONL file, the index + 1 in `documents`. */
  row: z.number().int(),
  field: z.string(),
  message: z.string(),
});
export type RejectedRow = z.infer<typeof rejectedRow>;

export const importAccepted = z.object({
  id: z.string(),
  accepted: z.number().int(),
  rejected: z.array(rejectedRow),
  workflowIds: z.array(z.string()),
});

export const importProgressDto = z.object({
  id: z.string(),
  knowledgeBaseId: z.string(),
  total: z.number().int(),
  pending: z.number().int(),
  ready: z.number().int(),
  failed: z.number().int(),
  /** True once every accepted row is ready or failed. */
  done: z.boolean(),
  rejected: z.array(rejectedRow),
  /** The first failed documents with their reason (at most 100). */
  failures: z.array(z.object({ documentId: z.string(), name: z.string(), error: z.string().nullable() })),
  createdAt: z.string(),
});
