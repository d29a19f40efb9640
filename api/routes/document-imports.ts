/**
 * Bulk import of many small documents into a knowledge base (CSV or JSONL upload, or JSON), and
 * the import's progress. The request creates every document in one transaction and starts one
 * `ingestBatch` workflow per IMPORT_BATCH_SIZE documents; it answers before anything is indexed.
 */
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, uuidParam } from '../../core/api/common';
import { bulkImportJsonBody, IMPORT_BATCH_SIZE, importAccepted, importProgressDto, MAX_IMPORT_ROWS } from '../../core/api/knowledge-import';
import { MAX_DOCUMENT_BYTES } from '../../core/api/knowledge';
import { AppError, notFound } from '../../core/errors';
import { createImport, failImportDocuments, importProgress } from '../../db/repos';
import { ImportFormatError, parseImportFile, parseJsonRows, type ParsedRows } from '../../knowledge/bulk-rows';
import { ingestPin, tooLarge } from '../services/knowledge';
import { requireKnowledgeBase } from '../services/lookups';
import { multipartError } from '../services/multipart';
import type { AppDeps } from '../deps';
import { quotasOf } from '../services/quotas';

async function readImportFile(request: FastifyRequest): Promise<ParsedRows> {
  let file: { bytes: Buffer; fileName: string; mimeType: string } | null = null;
  try {
    for await (const part of request.parts()) {
      if (part.type !== 'file') continue;
      if (part.fieldname !== 'file') throw new AppError('bad_request', `unexpected file field "${part.fieldname}": send the rows as "file"`, { field: part.fieldname });
      file = { bytes: await part.toBuffer(), fileName: part.filename, mimeType: part.mimetype };
    }
  } catch (err) {
    throw multipartError(err, () => tooLarge('file'));
  }
  if (!file || file.bytes.length === 0) throw new AppError('bad_request', 'file is required (a non-empty CSV or JSONL file in a multipart field named "file")', { field: 'file' });
  return parseImportFile(file.bytes, file.fileName, file.mimeType);
}

export const documentImportRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['knowledge bases'];

    app.post(
      // `::` is a literal colon in a Fastify path: the route is …/documents:bulk.
      '/v1/knowledge-bases/:id/documents::bulk',
      {
        bodyLimit: MAX_DOCUMENT_BYTES + 64 * 1024,
        schema: {
          tags,
          summary: 'Import many small documents at once',
          description:
            `One document per row: \`multipart/form-data\` with a CSV (header row; a \`text\`, \`content\`, \`body\` or \`answer\` column, and optionally \`name\`, \`title\` or \`question\`) ` +
            `or JSONL file (one such object per line) in \`file\`, or JSON \`{documents: [{name?, text}]}\`. At most ${MAX_IMPORT_ROWS} rows. ` +
            'Rows that cannot be documents are listed in `rejected` (row number, field, reason); the rest are indexed in batches. Follow progress with `GET /v1/knowledge-bases/{id}/imports/{importId}`.',
          params: uuidParam,
          body: bulkImportJsonBody.nullish(),
          response: { 202: importAccepted, ...errorResponses, 413: errorResponses[400] },
        },
      },
      async (request, reply) => {
        const kb = await requireKnowledgeBase(request.em, request.params.id);
        let parsed: ParsedRows;
        try {
          if (request.isMultipart()) parsed = await readImportFile(request);
          else if (request.body) parsed = parseJsonRows(request.body.documents);
          else throw new AppError('bad_request', 'send JSON {documents: [{name?, text}]} or upload a CSV or JSONL file as multipart/form-data', { field: 'documents' });
        } catch (err) {
          if (err instanceof ImportFormatError) throw new AppError('validation_failed', err.message, { field: err.field });
          throw err;
        }
        if (parsed.rows.length > MAX_IMPORT_ROWS) throw new AppError('validation_failed', `at most ${MAX_IMPORT_ROWS} rows per import (this file has ${parsed.rows.length}): split it`, { field: 'file' });
        if (parsed.rows.length === 0) {
          const first = parsed.rejected[0];
          throw new AppError('validation_failed', first ? `no row can be imported; row ${first.row}: ${first.message}` : 'the file has no rows', { field: first?.field ?? 'file' });
        }
        await quotasOf(deps).enforceStorage(request.tenantId, parsed.rows.reduce((sum, r) => sum + Buffer.byteLength(r.text, 'utf8'), 0));
        const pin = await ingestPin(deps, request.em, request.tenantId, kb.id);
        const { importId, documentIds } = await createImport(request.em, request.tenantId, kb.id, parsed.rows, parsed.rejected);
        const workflowIds: string[] = [];
        for (let batch = 0; batch * IMPORT_BATCH_SIZE < documentIds.length; batch++) {
          const ids = documentIds.slice(batch * IMPORT_BATCH_SIZE, (batch + 1) * IMPORT_BATCH_SIZE);
          try {
            workflowIds.push(await deps.workflows.ingest.startBatch({ tenantId: request.tenantId, knowledgeBaseId: kb.id, importId, batch, documentIds: ids, pin }));
          } catch (err) {
            // Documents no workflow will index are failed, not left pending forever: the import still ends.
            const orphaned = documentIds.slice(batch * IMPORT_BATCH_SIZE).map((id) => ({ id, reason: 'indexing could not be started; import these rows again' }));
            await failImportDocuments(request.em, request.tenantId, orphaned);
            throw err;
          }
        }
        return reply.status(202).send({ id: importId, accepted: documentIds.length, rejected: parsed.rejected, workflowIds });
      },
    );

    app.get(
      '/v1/knowledge-bases/:id/imports/:importId',
      {
        schema: {
          tags,
          summary: "A bulk import's progress",
          params: z.object({ id: z.uuid(), importId: z.uuid() }),
          response: { 200: importProgressDto, ...errorResponses },
        },
      },
      async (request) => {
        const kb = await requireKnowledgeBase(request.em, request.params.id);
        const progress = await importProgress(request.em, request.tenantId, request.params.importId);
        if (!progress || progress.record.knowledgeBase !== kb.id) throw notFound('import', 'importId');
        const { record, ready, failed, pending, failures } = progress;
        return {
          id: record.id,
          knowledgeBaseId: kb.id,
          total: record.total,
          pending,
          ready,
          failed,
          done: pending === 0,
          rejected: record.rejected,
          failures,
          createdAt: record.createdAt.toISOString(),
        };
      },
    );
  };
