import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { createdAt, uuidPk } from './common';
import { Document } from './document';
import { KnowledgeBase } from './knowledge-base';
import { Tenant } from './tenant';
import { embeddingVector } from './vector';

/**
 * A searchable piece of one document version. Rows are written in bulk by `upsertChunks` and read
 * by the SQL in knowledge/search.ts; the entity gives the tenant filter and the schema.
 */
export const Chunk = defineEntity({
  name: 'Chunk',
  tableName: 'chunks',
  properties: {
    id: uuidPk(),
    // No index of its own: every query on chunks also names the knowledge base or the document.
    tenant: p.manyToOne(Tenant).mapToPk(),
    // Denormalized from the document so search filters chunks without a join.
    knowledgeBase: p.manyToOne(KnowledgeBase).mapToPk().deleteRule('cascade').index(),
    document: p.manyToOne(Document).mapToPk().deleteRule('cascade'),
    version: p.integer(),
    ordinal: p.integer(),
    text: p.text(),
    section: p.text().nullable(),
    page: p.integer().nullable(),
    tokenCount: p.integer(),
    contentHash: p.string().length(64),
    embedding: embeddingVector().lazy(),
    /** `Embedder.id` of the model that made `embedding`: searches compare a query only with vectors of its own embedder. */
    embedderId: p.string(),
    // Set by a trigger in the knowledge base's language; the heading is searchable along with the text.
    tsv: p.type('tsvector').lazy().nullable(),
    /** Lexeme occurrences in `tsv`: the chunk's length for BM25 (set by the same trigger). */
    termCount: p.integer().default(0).lazy(),
    createdAt: createdAt(),
  },
  // The unique index doubles as the (document, version) index: its leading columns.
  uniques: [{ properties: ['document', 'version', 'ordinal'] }],
  indexes: [
    { name: 'chunks_embedding_hnsw', expression: 'create index "chunks_embedding_hnsw" on "chunks" using hnsw ("embedding" vector_cosine_ops)' },
    { name: 'chunks_tsv_gin', expression: 'create index "chunks_tsv_gin" on "chunks" using gin ("tsv")' },
  ],
});
export type Chunk = InferEntity<typeof Chunk>;
