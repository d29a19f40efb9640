/**
 * Documents: add (upload, URL or pasted text), follow ingestion progress, reindex, delete. Every
 * route answers at once; extraction, fetching and embedding happen in the `ingestDocument` workflow.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, uuidParam } from '../../core/api/common';
import { addDocumentJsonBody, documentAccepted, documentDto as documentSchema, MAX_DOCUMENT_BYTES } from '../../core/api/knowledge';
import { AppError } from '../../core/errors';
import { fitName, lastPathSegment, MalformedUrlPathError } from '../../core/knowledge/names';
import { createDocument, deleteDocument, type NewDocument } from '../../db/repos';
import { documentDto, readUpload, startIngestion, tooLarge } from '../services/knowledge';
import { requireDocument, requireKnowledgeBase } from '../services/lookups';
import { reindexDocument } from '../services/reindex';
import type { AppDeps } from '../deps';
import { quotasOf } from '../services/quotas';

const uploadErrors = { 413: errorResponses[400], 415: errorResponses[400] };

/**
 * A URL document is named after its last path segment (or its host) unless a name is given. The
 * segment is decoded either way: a link whose path does not decode could not be fetched by name.
 */
function nameFromUrl(url: string, name: string | undefined): string {
  const parsed = new URL(url);
  let segment: string;
  try {
    segment = lastPathSegment(parsed);
  } catch (err) {
    if (err instanceof MalformedUrlPathError) throw new AppError('validation_failed', `url: ${err.message}`, { field: 'url' });
    throw err;
  }
  return name ?? fitName(segment || parsed.hostname);
}

export const documentRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['knowledge bases'];

    app.post(
      '/v1/knowledge-bases/:id/documents',
      {
        // Pasted text may be as large as an upload; other routes keep the 1 MB default.
        bodyLimit: MAX_DOCUMENT_BYTES + 64 * 1024,
        schema: {
          tags,
          summary: 'Add a document and start indexing it',
          description:
            'Three forms: `multipart/form-data` with a `file` field (PDF, DOCX, Markdown, HTML, CSV or text; 25 MB at most) and an optional `name`; ' +
            'JSON `{url, name?}` (fetched by the ingestion workflow); JSON `{text, name}` (pasted text). Follow progress with `GET /v1/documents/{id}`.',
          params: uuidParam,
          // Multipart bodies are read in the handler (the parser leaves `body` unset); JSON is validated here.
          body: addDocumentJsonBody.nullish(),
          response: { 202: documentAccepted, ...errorResponses, ...uploadErrors },
        },
      },
      async (request, reply) => {
        const kb = await requireKnowledgeBase(request.em, request.params.id);
        let input: NewDocument;
        if (request.isMultipart()) {
          const upload = await readUpload(request);
          input = {
            knowledgeBaseId: kb.id,
            name: upload.name ?? (fitName(upload.fileName ?? '') || 'upload'),
            sourceType: 'upload',
            mimeType: upload.mimeType,
            content: upload.bytes,
          };
        } else if (request.body?.url !== undefined) {
          const { url, name } = request.body;
          // The bytes arrive when the workflow fetches the page; the type is known only then.
          input = { knowledgeBaseId: kb.id, name: nameFromUrl(url, name), sourceType: 'url', mimeType: 'application/octet-stream', sourceUrl: url, content: Buffer.alloc(0) };
        } else if (request.body?.text !== undefined) {
          const content = Buffer.from(request.body.text, 'utf8');
          if (content.length > MAX_DOCUMENT_BYTES) throw tooLarge('text');
          input = { knowledgeBaseId: kb.id, name: request.body.name!, sourceType: 'text', mimeType: 'text/plain; charset=utf-8', content };
        } else {
          throw new AppError('bad_request', 'send JSON {text, name} or {url}, or upload a file as multipart/form-data', { field: 'text' });
        }
        // A URL's bytes are unknown until fetched: it is refused only once the quota is already used up.
        await quotasOf(deps).enforceStorage(request.tenantId, input.content.length);
        const { document, source } = await createDocument(request.em, request.tenantId, input);
        const workflowId = await startIngestion(deps, request.em, request.tenantId, document, source.version);
        return reply.status(202).send({ id: document.id, version: source.version, workflowId });
      },
    );

    app.get(
      '/v1/documents/:id',
      { schema: { tags, summary: 'A document with its ingestion status, stage and percent', params: uuidParam, response: { 200: documentSchema, ...errorResponses } } },
      async (request) => documentDto(await requireDocument(request.em, request.params.id)),
    );

    app.post(
      '/v1/documents/:id/reindex',
      {
        schema: {
          tags,
          summary: 'Index the document again as a new version (URL documents are fetched again); the current version stays searchable until it is replaced',
          params: uuidParam,
          response: { 202: documentAccepted, ...errorResponses },
        },
      },
      async (request, reply) => {
        const document = await requireDocument(request.em, request.params.id);
        const { version, workflowId } = await reindexDocument(deps, request.em, request.tenantId, document);
        return reply.status(202).send({ id: document.id, version, workflowId });
      },
    );

    app.delete(
      '/v1/documents/:id',
      { schema: { tags, summary: 'Delete a document with all its versions and chunks', params: uuidParam, response: { 204: z.null(), ...errorResponses } } },
      async (request, reply) => {
        const document = await requireDocument(request.em, request.params.id);
        await deleteDocument(request.em, document.id);
        if (document.status === 'pending' || document.status === 'processing') await deps.workflows.ingest.cancel(request.tenantId, [document]);
        return reply.status(204).send(null);
      },
    );
  };
