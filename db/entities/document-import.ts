import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { RejectedRow } from '../../core/api/knowledge-import';
import { createdAt, uuidPk } from './common';
import { KnowledgeBase } from './knowledge-base';
import { Tenant } from './tenant';

/**
 * One bulk import: its documents carry its id, so its progress is counted from their statuses
 * (nothing to keep in step); the rows refused at parse time are kept here for the report.
 */
export const DocumentImport = defineEntity({
  name: 'DocumentImport',
  tableName: 'document_imports',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk().index(),
    knowledgeBase: p.manyToOne(KnowledgeBase).mapToPk().deleteRule('cascade').index(),
    total: p.integer(),
    rejected: p.json<RejectedRow[]>(),
    createdAt: createdAt(),
  },
});
export type DocumentImport = InferEntity<typeof DocumentImport>;
