import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAt, uuidPk } from './common';
import { Document } from './document';
import { Tenant } from './tenant';

/** The raw bytes of one document version, as ingestion reads them (text and fetched URLs too). */
export const DocumentSource = defineEntity({
  name: 'DocumentSource',
  tableName: 'document_sources',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk().index(),
    document: p.manyToOne(Document).mapToPk().deleteRule('cascade'),
    version: p.integer(),
    // Lazy: listing versions must not pull every file's bytes.
    content: p.blob().lazy(),
    /** sha256 hex of `content`: a reindex of identical bytes can be skipped. */
    contentHash: p.string().length(64),
    createdAt: createdAt(),
  },
  uniques: [{ properties: ['document', 'version'] }],
});
export type DocumentSource = InferEntity<typeof DocumentSource>;
