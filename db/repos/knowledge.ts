/**
 * Knowledge bases, documents, their source versions and chunks. `em` must be tenant-scoped
 * (tenantEm); the raw SQL here repeats the tenant condition because it bypasses the filter.
 */
import { createHash } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import pgvector from 'pgvector';
import { notFound } from '../../core/errors';
import { DEFAULT_RETRIEVAL, EMBEDDING_DIMENSIONS, type DocumentChunk, type RetrievalSettings } from '../../core/knowledge/types';
import { Chunk, Document, DocumentSource, EmbeddingCache, KnowledgeBase, type DocumentSourceType, type DocumentStatus } from '../entities';

export interface KnowledgeBaseInput {
  name: string;
  description?: string | null;
  retrieval?: Partial<RetrievalSettings>;
  chunkSize?: number;
  chunkOverlap?: number;
  /** Text-search language (KNOWLEDGE_LANGUAGES); changing it re-parses the knowledge base's chunks. */
  language?: string;
}

export async function createKnowledgeBase(em: EntityManager, tenantId: string, input: KnowledgeBaseInput): Promise<KnowledgeBase> {
  const kb = em.create(KnowledgeBase, {
    tenant: tenantId,
    name: input.name,
    description: input.description ?? null,
    retrieval: { ...DEFAULT_RETRIEVAL, ...input.retrieval },
    ...(input.chunkSize !== undefined ? { chunkSize: input.chunkSize } : {}),
    ...(input.chunkOverlap !== undefined ? { chunkOverlap: input.chunkOverlap } : {}),
    ...(input.language !== undefined ? { language: input.language } : {}),
  });
  await em.flush();
  return kb;
}

export const getKnowledgeBase = (em: EntityManager, id: string) => em.findOne(KnowledgeBase, { id });
export const listKnowledgeBases = (em: EntityManager) => em.find(KnowledgeBase, {}, { orderBy: { name: 'asc', id: 'asc' } });

/** `retrieval` is merged into the stored settings, so a patch can change one knob. */
export async function updateKnowledgeBase(em: EntityManager, id: string, patch: Partial<KnowledgeBaseInput>): Promise<KnowledgeBase | null> {
  const kb = await em.findOne(KnowledgeBase, { id });
  if (!kb) return null;
  const { retrieval, ...rest } = patch;
  em.assign(kb, { ...rest, ...(retrieval ? { retrieval: { ...kb.retrieval, ...retrieval } } : {}) });
  await em.flush();
  return kb;
}

/** Documents, sources and chunks go with it (ON DELETE CASCADE). */
export const deleteKnowledgeBase = async (em: EntityManager, id: string) => (await em.nativeDelete(KnowledgeBase, { id })) > 0;

export interface NewDocument {
  knowledgeBaseId: string;
  name: string;
  sourceType: DocumentSourceType;
  mimeType: string;
  sourceUrl?: string | null;
  /** Raw bytes (for `text` sources, the UTF-8 text; for `url`, the fetched body). */
  content: Buffer;
}

export const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * Locks one document row for the rest of the transaction. The tenant filter joins the knowledge
 * base, and a plain FOR UPDATE would lock that row too: a chunk insert's foreign-key checks take
 * KEY SHARE on the knowledge base and then on the document, the opposite order, so the two
 * deadlocked. `d0` is the alias MikroORM gives the root entity of a find.
 */
const lockDocument = (tx: EntityManager, documentId: string) =>
  tx.findOne(Document, { id: documentId }, { lockMode: LockMode.PESSIMISTIC_WRITE, lockTableAliases: ['d0'] });

/** A pending document with its source as version 1. */
export async function createDocument(em: EntityManager, tenantId: string, input: NewDocument): Promise<{ document: Document; source: DocumentSource }> {
  return em.transactional(async (tx) => {
    if (!(await tx.findOne(KnowledgeBase, { id: input.knowledgeBaseId }, { fields: ['id'] }))) throw notFound('knowledge base', 'knowledgeBaseId');
    const document = tx.create(Document, {
      tenant: tenantId,
      knowledgeBase: input.knowledgeBaseId,
      name: input.name,
      sourceType: input.sourceType,
      mimeType: input.mimeType,
      sourceUrl: input.sourceUrl ?? null,
      byteSize: input.content.length,
      latestVersion: 1,
    });
    const source = tx.create(DocumentSource, { tenant: tenantId, document: document.id, version: 1, content: input.content, contentHash: sha256(input.content) });
    await tx.flush();
    return { document, source };
  });
}

/**
 * Stores new bytes as the next version (a reindex) and resets progress. The document row is locked
 * so concurrent calls get consecutive versions; the active version stays searchable meanwhile.
 */
export async function addSourceVersion(
  em: EntityManager,
  documentId: string,
  content: Buffer,
  meta: { mimeType?: string; sourceUrl?: string | null } = {},
): Promise<DocumentSource> {
  return em.transactional(async (tx) => {
    const doc = await lockDocument(tx, documentId);
    if (!doc) throw notFound('document', 'documentId');
    const version = doc.latestVersion + 1;
    tx.assign(doc, { ...meta, latestVersion: version, byteSize: content.length, status: 'pending', stage: null, percent: 0, error: null });
    const source = tx.create(DocumentSource, { tenant: doc.tenant, document: doc.id, version, content, contentHash: sha256(content) });
    await tx.flush();
    return source;
  });
}

/** One version's bytes (the latest when `version` is omitted), for ingestion. */
export function getDocumentSource(em: EntityManager, documentId: string, version?: number): Promise<DocumentSource | null> {
  const where = version === undefined ? { document: documentId } : { document: documentId, version };
  return em.findOne(DocumentSource, where, { populate: ['content'], orderBy: { version: 'desc' } });
}

export const getDocument = (em: EntityManager, id: string) => em.findOne(Document, { id });
export const listDocuments = (em: EntityManager, knowledgeBaseId: string) =>
  em.find(Document, { knowledgeBase: knowledgeBaseId }, { orderBy: { createdAt: 'desc', id: 'asc' } });
/** Every document of the tenant (`em` is tenant-scoped), oldest first: what a change of embedder reindexes. */
export const listTenantDocuments = (em: EntityManager) => em.find(Document, {}, { orderBy: { createdAt: 'asc', id: 'asc' } });
export const deleteDocument = async (em: EntityManager, id: string) => (await em.nativeDelete(Document, { id })) > 0;

export interface DocumentProgress {
  status: DocumentStatus;
  stage?: string | null;
  percent?: number;
  error?: string | null;
  /** While processing: the chunk total of the version being indexed (activation sets the stored count). */
  chunkCount?: number;
}

export async function setDocumentProgress(em: EntityManager, documentId: string, progress: DocumentProgress): Promise<boolean> {
  return (await em.nativeUpdate(Document, { id: documentId }, { ...progress, updatedAt: new Date() })) > 0;
}

/** Multi-row INSERT … ON CONFLICT DO NOTHING, `BATCH_ROWS` rows per statement; returns rows inserted. */
const BATCH_ROWS = 200;
export async function insertIgnoringConflicts(em: EntityManager, sql: { into: string; row: string; conflict: string }, rows: unknown[][]): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < rows.length; i += BATCH_ROWS) {
    const batch = rows.slice(i, i + BATCH_ROWS);
    const values = batch.map(() => sql.row).join(', ');
    const result = await em.execute<{ affectedRows: number }>(
      `insert into ${sql.into} values ${values} on conflict ${sql.conflict} do nothing`,
      batch.flat(),
      'run',
    );
    inserted += result.affectedRows;
  }
  return inserted;
}

export function vectorSql(embedding: number[]): string {
  if (embedding.length !== EMBEDDING_DIMENSIONS) throw new Error(`embedding has ${embedding.length} dimensions, expected ${EMBEDDING_DIMENSIONS}`);
  return pgvector.toSql(embedding) as string;
}

export type EmbeddedChunk = DocumentChunk & { embedding: number[] };

/**
 * Stores one version's chunks, embedded by `embedderId`. Idempotent on (document, version,
 * ordinal): a retried ingestion activity inserts only what an earlier attempt did not. Returns the
 * number of rows inserted.
 */
export async function upsertChunks(em: EntityManager, tenantId: string, documentId: string, version: number, chunks: EmbeddedChunk[], embedderId: string): Promise<number> {
  const doc = await em.findOne(Document, { id: documentId }, { fields: ['knowledgeBase'] });
  if (!doc) throw notFound('document', 'documentId');
  const rows = chunks.map((c) => [
    tenantId, doc.knowledgeBase, documentId, version, c.ordinal, c.text, c.section, c.page, c.tokenCount, c.contentHash, vectorSql(c.embedding), embedderId,
  ]);
  return insertIgnoringConflicts(em, {
    into: 'chunks (tenant_id, knowledge_base_id, document_id, version, ordinal, text, section, page, token_count, content_hash, embedding, embedder_id)',
    row: '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::vector, ?)',
    conflict: '(document_id, version, ordinal)',
  }, rows);
}

/**
 * Makes `version` the one searches see, in one transaction: the pointer, the chunk count and the
 * status move together, then older versions' chunks go. Searches filter on `activeVersion`, so they
 * see either the old chunks or the new ones, never a mix. Newer versions (a reindex started since)
 * are kept; activating a version older than the active one is refused (returns false).
 */
export async function activateVersion(em: EntityManager, documentId: string, version: number): Promise<boolean> {
  return em.transactional(async (tx) => {
    const doc = await lockDocument(tx, documentId);
    if (!doc) throw notFound('document', 'documentId');
    if ((doc.activeVersion ?? 0) > version) return false;
    const chunkCount = await tx.count(Chunk, { document: documentId, version });
    tx.assign(doc, {
      activeVersion: version,
      chunkCount,
      // A newer source arrived meanwhile: its ingestion owns the status.
      ...(version >= doc.latestVersion ? { status: 'ready' as const, stage: null, percent: 100, error: null } : {}),
    });
    await tx.flush();
    await tx.nativeDelete(Chunk, { document: documentId, version: { $lt: version } });
    return true;
  });
}

/** Cached embeddings for the hashes that have one, by content hash. */
export async function getCachedEmbeddings(em: EntityManager, embedderId: string, hashes: string[]): Promise<Map<string, number[]>> {
  if (hashes.length === 0) return new Map();
  const rows = await em.find(EmbeddingCache, { embedderId, contentHash: { $in: [...new Set(hashes)] } });
  return new Map(rows.map((r) => [r.contentHash, r.embedding]));
}

/** First writer wins: two ingestions embedding the same text store one row. */
export async function putCachedEmbeddings(em: EntityManager, embedderId: string, entries: { contentHash: string; embedding: number[] }[]): Promise<number> {
  return insertIgnoringConflicts(em, {
    into: 'embedding_cache (embedder_id, content_hash, embedding)',
    row: '(?, ?, ?::vector)',
    conflict: '(embedder_id, content_hash)',
  }, entries.map((e) => [embedderId, e.contentHash, vectorSql(e.embedding)]));
}

/**
 * Replaces one version's bytes (a URL document's fetched body) and records what they are. The
 * version row already exists (createDocument / addSourceVersion); a retried fetch overwrites it.
 */
export async function setSourceContent(em: EntityManager, documentId: string, version: number, content: Buffer, mimeType: string): Promise<void> {
  await em.transactional(async (tx) => {
    const updated = await tx.nativeUpdate(DocumentSource, { document: documentId, version }, { content, contentHash: sha256(content) });
    if (updated === 0) throw notFound('document version', 'version');
    // The document row describes the newest version only: an older fetch must not overwrite it.
    await tx.nativeUpdate(Document, { id: documentId, latestVersion: version }, { mimeType, byteSize: content.length, updatedAt: new Date() });
  });
}

/** Deletes one version's chunks unless searches use it; returns rows deleted. */
export async function deleteVersionChunks(em: EntityManager, documentId: string, version: number): Promise<number> {
  const doc = await em.findOne(Document, { id: documentId }, { fields: ['activeVersion'] });
  if (!doc || doc.activeVersion === version) return 0;
  return em.nativeDelete(Chunk, { document: documentId, version });
}

/** `stage` of a document whose latest reindex failed while an older version stays searchable. */
export const REINDEX_FAILED_STAGE = 'reindex_failed';

/**
 * Records that `version` could not be indexed and deletes whatever chunks it wrote. How the
 * document reads afterwards:
 * - no version was ever active → `status 'failed'`, `error` = reason, `chunkCount` 0;
 * - an older version is active → it stays searchable: `status 'ready'`, `stage 'reindex_failed'`,
 *   `error` = reason, `chunkCount` of the active version (counted again: progress showed the failed one's);
 * - a newer version exists → its ingestion owns the status; only the chunks go.
 */
export async function failVersion(em: EntityManager, documentId: string, version: number, reason: string): Promise<void> {
  await em.transactional(async (tx) => {
    const doc = await lockDocument(tx, documentId);
    if (!doc || doc.activeVersion === version) return;
    await tx.nativeDelete(Chunk, { document: documentId, version });
    if (version < doc.latestVersion) return;
    tx.assign(
      doc,
      doc.activeVersion === null
        ? { status: 'failed' as const, stage: null, percent: 0, error: reason, chunkCount: 0 }
        : {
            status: 'ready' as const,
            stage: REINDEX_FAILED_STAGE,
            percent: 100,
            error: reason,
            // Progress showed the failed version's total; the searchable version's count is what stays.
            chunkCount: await tx.count(Chunk, { document: documentId, version: doc.activeVersion }),
          },
    );
    await tx.flush();
  });
}
