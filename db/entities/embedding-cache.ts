import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { embeddingVector } from './vector';

/**
 * Embeddings by (embedder, sha256 of the text), so reindexing unchanged text costs no model call.
 * Shared across tenants on purpose: a row holds a hash and a vector, not the text, and a tenant can
 * only hit it by already having the same text.
 */
export const EmbeddingCache = defineEntity({
  name: 'EmbeddingCache',
  tableName: 'embedding_cache',
  properties: {
    embedderId: p.string().primary(),
    contentHash: p.string().length(64).primary(),
    embedding: embeddingVector(),
  },
});
export type EmbeddingCache = InferEntity<typeof EmbeddingCache>;
