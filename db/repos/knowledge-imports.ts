/**
 * Bulk imports: many small text documents created in one transaction and indexed a batch at a
 * time (`ingestBatch`). Set-based SQL throughout — a row at a time is what made small documents
 * slow. `em` must be tenant-scoped; the raw SQL repeats the tenant condition.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { notFound } from '../../core/errors';
import type { RejectedRow } from '../../core/api/knowledge-import';
import type { DocumentChunk } from '../../core/knowledge/types';
import { DocumentImport, KnowledgeBase } from '../entities';
import { insertIgnoringConflicts, sha256, vectorSql } from './knowledge';

const TEXT_MIME = 'text/plain; charset=utf-8';
const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** The import record and one pending text document (source version 1) per row; returns the documents' ids in row order. */
export async function createImport(
  em: EntityManager,
  tenantId: string,
  knowledgeBaseId: string,
  rows: { name: string; text: string }[],
  rejected: RejectedRow[],
): Promise<{ importId: string; documentIds: string[] }> {
  return em.transactional(async (tx) => {
    if (!(await tx.findOne(KnowledgeBase, { id: knowledgeBaseId }, { fields: ['id'] }))) throw notFound('knowledge base', 'knowledgeBaseId');
    const record = tx.create(DocumentImport, { tenant: tenantId, knowledgeBase: knowledgeBaseId, total: rows.length, rejected });
    await tx.flush();
    const documentIds = rows.map(() => randomUUID());
    const contents = rows.map((r) => Buffer.from(r.text, 'utf8'));
    await insertIgnoringConflicts(tx, {
      into: 'documents (id, tenant_id, knowledge_base_id, name, source_type, mime_type, byte_size, status, latest_version, import_id)',
      row: "(?, ?, ?, ?, 'text', ?, ?, 'pending', 1, ?)",
      conflict: '(id)',
    }, rows.map((r, i) => [documentIds[i], tenantId, knowledgeBaseId, r.name, TEXT_MIME, contents[i].length, record.id]));
    await insertIgnoringConflicts(tx, {
      into: 'document_sources (tenant_id, document_id, version, content, content_hash)',
      row: '(?, ?, 1, ?, ?)',
      conflict: '(document_id, version)',
    }, contents.map((content, i) => [tenantId, documentIds[i], content, sha256(content)]));
    return { importId: record.id, documentIds };
  });
}

/** The documents of a batch not indexed yet (a retried attempt skips what an earlier one finished), with their text. */
export async function unindexedImportDocuments(em: EntityManager, tenantId: string, documentIds: string[]): Promise<{ id: string; name: string; text: string }[]> {
  if (documentIds.length === 0) return [];
  const rows = await em.execute<{ id: string; name: string; content: Buffer }[]>(
    `select d.id, d.name, s.content from documents d join document_sources s on s.document_id = d.id and s.version = 1
      where d.tenant_id = ? and d.id in (${placeholders(documentIds.length)}) and d.active_version is null and d.latest_version = 1 and d.status <> 'failed'
      order by d.id`,
    [tenantId, ...documentIds],
  );
  return rows.map((r) => ({ id: r.id, name: r.name, text: Buffer.from(r.content).toString('utf8') }));
}

/** Version 1's chunks of many documents in multi-row inserts; idempotent like `upsertChunks`. */
export async function upsertImportChunks(
  em: EntityManager,
  tenantId: string,
  knowledgeBaseId: string,
  chunks: (DocumentChunk & { documentId: string; embedding: number[] })[],
  embedderId: string,
): Promise<number> {
  return insertIgnoringConflicts(em, {
    into: 'chunks (tenant_id, knowledge_base_id, document_id, version, ordinal, text, section, page, token_count, content_hash, embedding, embedder_id)',
    row: '(?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?::vector, ?)',
    conflict: '(document_id, version, ordinal)',
  }, chunks.map((c) => [tenantId, knowledgeBaseId, c.documentId, c.ordinal, c.text, c.section, c.page, c.tokenCount, c.contentHash, vectorSql(c.embedding), embedderId]));
}

/**
 * Makes version 1 of many documents searchable in one statement (the BM25 trigger still sees each
 * row's activation). Only documents never activated and never reindexed: a reindex started
 * meanwhile owns its document through the single-document path.
 */
export async function activateImportDocuments(em: EntityManager, tenantId: string, documentIds: string[]): Promise<number> {
  if (documentIds.length === 0) return 0;
  const result = await em.execute<{ affectedRows: number }>(
    `update documents d set active_version = 1, status = 'ready', stage = null, percent = 100, error = null, updated_at = now(),
        chunk_count = (select count(*) from chunks c where c.document_id = d.id and c.version = 1)
      where d.tenant_id = ? and d.id in (${placeholders(documentIds.length)}) and d.active_version is null and d.latest_version = 1`,
    [tenantId, ...documentIds],
    'run',
  );
  return result.affectedRows;
}

/** Marks documents not yet active failed with their reason: one statement per reason and 1,000 documents. */
export async function failImportDocuments(em: EntityManager, tenantId: string, failures: { id: string; reason: string }[]): Promise<void> {
  const byReason = new Map<string, string[]>();
  for (const f of failures) {
    const ids = byReason.get(f.reason) ?? [];
    ids.push(f.id);
    byReason.set(f.reason, ids);
  }
  for (const [reason, ids] of byReason) {
    for (let i = 0; i < ids.length; i += 1_000) {
      const slice = ids.slice(i, i + 1_000);
      await em.execute(
        `update documents set status = 'failed', stage = null, error = ?, updated_at = now() where tenant_id = ? and id in (${placeholders(slice.length)}) and active_version is null`,
        [reason, tenantId, ...slice],
        'run',
      );
    }
  }
}

export async function importProgress(em: EntityManager, tenantId: string, importId: string) {
  const record = await em.findOne(DocumentImport, { id: importId });
  if (!record) return null;
  const counts = await em.execute<{ status: string; n: string }[]>(
    `select status, count(*) as n from documents where tenant_id = ? and import_id = ? group by status`,
    [tenantId, importId],
  );
  const by = Object.fromEntries(counts.map((c) => [c.status, Number(c.n)]));
  const failures = await em.execute<{ id: string; name: string; error: string | null }[]>(
    `select id, name, error from documents where tenant_id = ? and import_id = ? and status = 'failed' order by name, id limit 100`,
    [tenantId, importId],
  );
  const ready = by.ready ?? 0;
  const failed = by.failed ?? 0;
  // Rows whose document was deleted since count as settled: nothing is left to index.
  const pending = (by.pending ?? 0) + (by.processing ?? 0);
  return { record, ready, failed, pending, failures: failures.map((f) => ({ documentId: f.id, name: f.name, error: f.error })) };
}
