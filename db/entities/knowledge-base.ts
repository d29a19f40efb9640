import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { DEFAULT_RETRIEVAL, type RetrievalSettings } from '../../core/knowledge/types';
import { createdAt, updatedAt, uuidPk } from './common';
import { Tenant } from './tenant';

/** A searchable collection of documents, with its own chunking and retrieval settings. */
export const KnowledgeBase = defineEntity({
  name: 'KnowledgeBase',
  tableName: 'knowledge_bases',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk().index(),
    name: p.string(),
    description: p.text().nullable(),
    retrieval: p.json<RetrievalSettings>().onCreate(() => ({ ...DEFAULT_RETRIEVAL })),
    /** Tokens per chunk and overlap; changing them takes effect on the next (re)index. */
    chunkSize: p.integer().default(400),
    chunkOverlap: p.integer().default(60),
    /** Text-search configuration of its chunks and queries (stemming, stop words); see KNOWLEDGE_LANGUAGES. */
    language: p.string().length(32).default('english'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type KnowledgeBase = InferEntity<typeof KnowledgeBase>;
