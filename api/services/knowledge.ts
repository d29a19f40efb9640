/**
 * Knowledge-base plumbing shared by the knowledge-base and document routes: entity → API shapes,
 * reading an upload, and starting the ingestion of a document version.
 */
import type { FastifyRequest } from 'fastify';
import type { EntityManager } from '@mikro-orm/postgresql';
import { detectFormat, FORMAT_MIME, type DocumentFormat } from '../../knowledge/extract';
import { currentEmbedderId } from '../../knowledge/tenant-embedder';
import { MAX_DOCUMENT_BYTES } from '../../core/api/knowledge';
import { AppError } from '../../core/errors';
import { isStorableText, stripUnstorable, UNSTORABLE_TEXT_MESSAGE } from '../../core/text';
import { MAX_DOCUMENT_NAME } from '../../core/knowledge/names';
import type { IngestPin, KnowledgeLanguage } from '../../core/knowledge/types';
import { KnowledgeBase, type Document } from '../../db/entities';
import { setDocumentProgress } from '../../db/repos';
import type { AppDeps } from '../deps';
import { multipartError } from './multipart';

const iso = (d: Date | string) => new Date(d).toISOString();
/** `documents.mime_type` is varchar(255). */
const MAX_MIME_TYPE = 255;
const megabytes = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

export function knowledgeBaseDto(kb: KnowledgeBase, documentCount: number) {
  return {
    id: kb.id,
    name: kb.name,
    description: kb.description ?? null,
    chunkSize: kb.chunkSize,
    chunkOverlap: kb.chunkOverlap,
    language: kb.language as KnowledgeLanguage,
    retrieval: kb.retrieval,
    documentCount,
    createdAt: iso(kb.createdAt),
    updatedAt: iso(kb.updatedAt),
  };
}

export function documentDto(d: Document) {
  return {
    id: d.id,
    knowledgeBaseId: d.knowledgeBase,
    name: d.name,
    sourceType: d.sourceType,
    mimeType: d.mimeType,
    status: d.status,
    stage: d.stage ?? null,
    percent: d.percent,
    error: d.error ?? null,
    chunkCount: d.chunkCount,
    activeVersion: d.activeVersion ?? null,
    latestVersion: d.latestVersion,
    createdAt: iso(d.createdAt),
    updatedAt: iso(d.updatedAt),
  };
}

export const tooLarge = (field: string) =>
  new AppError('payload_too_large', `the document is larger than ${megabytes(MAX_DOCUMENT_BYTES)}: split it into smaller files`, { field });

export interface Upload {
  bytes: Buffer;
  fileName: string;
  /** A MIME type the extractor maps to the detected format, so ingestion reads it the same way. */
  mimeType: string;
  /** The optional `name` form field. */
  name?: string;
}

/**
 * Reads a multipart upload: one `file` part and an optional `name` field, in either order. The
 * file is buffered because its bytes are stored as the document's source version anyway; the
 * multipart plugin's fileSize limit stops it at MAX_DOCUMENT_BYTES. An unsupported type is refused
 * here, before anything is stored, with the same detection the extractor uses later.
 */
export async function readUpload(request: FastifyRequest): Promise<Upload> {
  let file: Omit<Upload, 'name'> | null = null;
  let name: string | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') throw new AppError('bad_request', `unexpected file field "${part.fieldname}": send the document as "file"`, { field: part.fieldname });
        file = { bytes: await part.toBuffer(), fileName: part.filename, mimeType: part.mimetype };
      } else if (part.fieldname === 'name') {
        name = String(part.value).trim() || undefined;
      }
    }
  } catch (err) {
    throw multipartError(err, () => tooLarge('file'));
  }
  if (!file || file.bytes.length === 0) throw new AppError('bad_request', 'file is required (a non-empty multipart field named "file")', { field: 'file' });
  if (name && [...name].length > MAX_DOCUMENT_NAME) throw new AppError('validation_failed', `name: at most ${MAX_DOCUMENT_NAME} characters`, { field: 'name' });
  if (name && !isStorableText(name)) throw new AppError('validation_failed', `name: ${UNSTORABLE_TEXT_MESSAGE}`, { field: 'name' });
  file.fileName = stripUnstorable(file.fileName);

  const format = detectFormat(file.bytes, file.mimeType, file.fileName);
  if (!format) {
    throw new AppError(
      'unsupported_media_type',
      `"${file.fileName || 'file'}" (${file.mimeType || 'unknown type'}) cannot be added: upload a PDF, Word (.docx), Markdown, HTML, CSV or plain-text file`,
      { field: 'file' },
    );
  }
  const declaredFormat = detectFormat(Buffer.alloc(0), file.mimeType);
  // A declared type with parameters too long to store is replaced by the format's own.
  const keepDeclared = declaredFormat === format && file.mimeType.length <= MAX_MIME_TYPE;
  return { ...file, mimeType: keepDeclared ? file.mimeType : FORMAT_MIME[format], name };
}

/** The chunking and embedder a version is indexed with, read as the version starts. */
export async function ingestPin(deps: Pick<AppDeps, 'orm'>, em: EntityManager, tenantId: string, knowledgeBaseId: string): Promise<IngestPin> {
  const kb = await em.findOneOrFail(KnowledgeBase, { id: knowledgeBaseId });
  return { chunking: { maxTokens: kb.chunkSize, overlapTokens: kb.chunkOverlap }, embedderId: await currentEmbedderId(deps.orm, tenantId) };
}

/**
 * Starts the ingestion of one document version. The chunking and the embedder are pinned in its
 * input, so a retried or resumed attempt indexes the version as it began. If Temporal refuses, the document is marked
 * failed rather than left pending forever, and the error still reaches the caller.
 */
export async function startIngestion(deps: AppDeps, em: EntityManager, tenantId: string, document: Document, version: number): Promise<string> {
  try {
    return await deps.workflows.ingest.start({
      tenantId,
      documentId: document.id,
      knowledgeBaseId: document.knowledgeBase,
      version,
      sourceType: document.sourceType,
      pin: await ingestPin(deps, em, tenantId, document.knowledgeBase),
    });
  } catch (err) {
    await setDocumentProgress(em, document.id, { status: 'failed', stage: null, error: 'ingestion could not be started; reindex the document to try again' });
    throw err;
  }
}
