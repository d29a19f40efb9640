/**
 * Direct storage for the retrieval benchmarks, without the ingestion workflow: a tenant and
 * knowledge base per corpus, and documents chunked, embedded by the offline embedder and stored as
 * their active version through the repositories (the same calls the workflow's activities make).
 * Used where the pipeline would take too long: the 100k-chunk scale corpus and tuning runs.
 */
import { randomBytes } from 'node:crypto';
import { chunkDocument, embeddingInput } from '../core/knowledge/chunk';
import { offlineEmbedder } from '../core/knowledge/offline-embedder';
import type { DocumentChunk } from '../core/knowledge/types';
import { systemEm, tenantEm, type Orm } from '../db/orm';
import { activateVersion, createDocument, createKnowledgeBase, ensureTenant, upsertChunks } from '../db/repos';
import type { BeirDoc } from './retrieval-eval';
import { mapConcurrent } from './stats';

export const CHUNK_OPTIONS = { maxTokens: 400, overlapTokens: 60 };

export type Scope = { orm: Orm; em: ReturnType<typeof tenantEm>; tenantId: string; kbs: string[] };

export async function newScope(orm: Orm, name: string, language?: string): Promise<Scope> {
  const tenant = await ensureTenant(systemEm(orm), `bench-${randomBytes(4).toString('hex')}`, name);
  const em = tenantEm(orm, tenant.id);
  const kb = await createKnowledgeBase(em, tenant.id, { name, chunkSize: CHUNK_OPTIONS.maxTokens, chunkOverlap: CHUNK_OPTIONS.overlapTokens, language });
  return { orm, em, tenantId: tenant.id, kbs: [kb.id] };
}

/** Stores one document's chunks as its active version; returns the document id. */
export async function storeDocument(scope: Scope, name: string, text: string, chunks: DocumentChunk[]): Promise<string> {
  // Documents are stored concurrently: each gets its own EntityManager, as each activity does.
  const em = tenantEm(scope.orm, scope.tenantId);
  const { document } = await createDocument(em, scope.tenantId, {
    knowledgeBaseId: scope.kbs[0],
    name,
    sourceType: 'text',
    mimeType: 'text/plain',
    content: Buffer.from(text),
  });
  const vectors = await offlineEmbedder.embed(chunks.map(embeddingInput));
  await upsertChunks(em, scope.tenantId, document.id, 1, chunks.map((c, i) => ({ ...c, embedding: vectors[i] })), offlineEmbedder.id);
  await activateVersion(em, document.id, 1);
  return document.id;
}

/** A BEIR document chunked as the pipeline chunks its Markdown upload: the title is the heading. */
export const beirChunks = (doc: BeirDoc) =>
  chunkDocument({ title: null, sections: [{ text: doc.text, heading: doc.title || null, page: null }], pageCount: null }, CHUNK_OPTIONS);

/** Stores a BEIR corpus directly; returns our document id → corpus id. */
export async function storeBeirCorpus(scope: Scope, corpus: BeirDoc[], concurrency: number): Promise<Map<string, string>> {
  const corpusIdOf = new Map<string, string>();
  await mapConcurrent(corpus, concurrency, async (doc) => {
    const chunks = beirChunks(doc);
    if (chunks.length === 0) return;
    corpusIdOf.set(await storeDocument(scope, doc.id, doc.text, chunks), doc.id);
  });
  return corpusIdOf;
}
