import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAt, updatedAt, uuidPk } from './common';
import { KnowledgeBase } from './knowledge-base';
import { Tenant } from './tenant';

export const DOCUMENT_SOURCE_TYPES = ['upload', 'url', 'text'] as const;
export const DOCUMENT_STATUSES = ['pending', 'processing', 'ready', 'failed'] as const;
export type DocumentSourceType = (typeof DOCUMENT_SOURCE_TYPES)[number];
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/**
 * A document in a knowledge base. Each (re)index writes a new version of its chunks; searches see
 * only `activeVersion`, so a reindex in progress never mixes old and new chunks.
 */
export const Document = defineEntity({
  name: 'Document',
  tableName: 'documents',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk().index(),
    knowledgeBase: p.manyToOne(KnowledgeBase).mapToPk().deleteRule('cascade').index(),
    name: p.string(),
    sourceType: p.enum(DOCUMENT_SOURCE_TYPES),
    mimeType: p.string(),
    sourceUrl: p.text().nullable(),
    byteSize: p.integer(),
    status: p.enum(DOCUMENT_STATUSES).default('pending'),
    /** Ingestion step shown with the progress bar ("extracting", "embedding"…). */
    stage: p.string().nullable(),
    percent: p.integer().default(0),
    error: p.text().nullable(),
    /** The version searches see; null until the first index completes. */
    activeVersion: p.integer().nullable(),
    /** The newest source version (the one being indexed while it differs from activeVersion). */
    latestVersion: p.integer().default(1),
    chunkCount: p.integer().default(0),
    /** The bulk import that created it (document_imports; set null if that record goes). */
    importId: p.uuid().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type Document = InferEntity<typeof Document>;
