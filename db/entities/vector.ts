/** The pgvector column type, sized by the embedding contract so the schema and the embedders agree. */
import { p } from '@mikro-orm/core';
import { VectorType } from 'pgvector/mikro-orm';
import { EMBEDDING_DIMENSIONS } from '../../core/knowledge/types';

export const embeddingVector = () => p.type(VectorType).columnType(`vector(${EMBEDDING_DIMENSIONS})`).$type<number[]>();
