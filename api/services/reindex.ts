/**
 * Reindexing: one document (POST /v1/documents/:id/reindex) or every document of a tenant (after
 * its embedder changed). Each is a new source version with the same bytes (URL documents are
 * fetched again) and its own `ingestDocument` run; the active version stays searchable meanwhile.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../core/errors';
import type { Document } from '../../db/entities';
import { tenantEm } from '../../db/orm';
import { addSourceVersion, getDocumentSource, listTenantDocuments } from '../../db/repos';
import type { AppDeps } from '../deps';
import { startIngestion } from './knowledge';

export async function reindexDocument(deps: AppDeps, em: EntityManager, tenantId: string, document: Document): Promise<{ version: number; workflowId: string }> {
  let content: Buffer = Buffer.alloc(0);
  if (document.sourceType !== 'url') {
    const latest = await getDocumentSource(em, document.id);
    if (!latest?.content) throw new AppError('not_found', 'the document has no stored source to reindex', { field: 'id' });
    content = Buffer.from(latest.content);
  }
  const source = await addSourceVersion(em, document.id, content);
  const workflowId = await startIngestion(deps, em, tenantId, document, source.version);
  return { version: source.version, workflowId };
}

/** Documents started at once: each start is a few statements and one Temporal call. */
const CONCURRENCY = 4;

/**
 * Starts a reindex of every document of the tenant, pinned to the embedder configured now (the
 * settings must be stored first). Returns how many were started; a document with no stored source
 * cannot be indexed again and is left as it is.
 */
export async function reindexTenantDocuments(deps: AppDeps, tenantId: string): Promise<number> {
  const documents = await listTenantDocuments(tenantEm(deps.orm, tenantId));
  let next = 0;
  let started = 0;
  const worker = async () => {
    while (next < documents.length) {
      const document = documents[next++];
      try {
        // A fresh EntityManager per document: the starts run side by side.
        await reindexDocument(deps, tenantEm(deps.orm, tenantId), tenantId, document);
        started++;
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'not_found')) throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, documents.length) }, worker));
  return started;
}
