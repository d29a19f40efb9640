/**
 * The knowledge base's shared shapes: what extraction produces, what chunking makes of it, the
 * embedding contract every embedder (provider or offline) honours, and what a search returns.
 */

/** Every embedder returns vectors of this many dimensions; the `chunks.embedding` column is sized by it. */
export const EMBEDDING_DIMENSIONS = 384;

/** A run of text under one heading (and, for paged formats, on one page). */
export interface ExtractedSection {
  text: string;
  /** Nearest heading above the text ("Opening hours", "2.1 Refunds"); null when there is none. */
  heading: string | null;
  /** 1-based page number for PDFs; null for formats without pages. */
  page: number | null;
}

export interface ExtractedDocument {
  title: string | null;
  sections: ExtractedSection[];
  pageCount: number | null;
}

export interface ChunkOptions {
  /** Target size of a chunk in tokens (cl100k-style tokenizer). */
  maxTokens: number;
  /** Tokens repeated from the end of the previous chunk, for context across boundaries. */
  overlapTokens: number;
}

/**
 * What an ingestion pins when its version starts, so every attempt (a retry, a resumed worker)
 * chunks and embeds the same way even if the knowledge base's or tenant's settings change meanwhile.
 */
export interface IngestPin {
  chunking: ChunkOptions;
  /** `Embedder.id` of the tenant's embedder at the start. */
  embedderId: string;
}

export interface DocumentChunk {
  /** 0-based position in the document. */
  ordinal: number;
  text: string;
  /** The heading the chunk sits under: shown in citations. */
  section: string | null;
  /** Page of the chunk's first line, for paged formats. */
  page: number | null;
  tokenCount: number;
  /** sha256 hex of `text`: the embedding cache key (with the embedder id). */
  contentHash: string;
}

export interface Embedder {
  /** Stable name of the model and its settings, e.g. `offline:hashed-ngrams-v2` or `openai:text-embedding-3-small@384`. */
  readonly id: string;
  readonly dimensions: number;
  /** One unit-length vector per text, in order. */
  embed(texts: string[]): Promise<number[][]>;
}

/**
 * Text-search languages a knowledge base can have: PostgreSQL text-search configurations (Snowball
 * stemmer and stop words), present in PostgreSQL 15 and in the embedded PGlite alike. `simple`
 * lowercases only, for languages without a stemmer here.
 */
export const KNOWLEDGE_LANGUAGES = ['english', 'spanish', 'french', 'german', 'portuguese', 'italian', 'dutch', 'simple'] as const;
export type KnowledgeLanguage = (typeof KNOWLEDGE_LANGUAGES)[number];

/** Retrieval knobs, stored per knowledge base. */
export interface RetrievalSettings {
  /** Hits returned. */
  topK: number;
  /** Weight of the vector ranking and of the full-text ranking in reciprocal rank fusion. */
  vectorWeight: number;
  textWeight: number;
  /** RRF constant: score = Σ weight / (rrfK + rank). */
  rrfK: number;
  /** Candidates each method contributes before fusion. */
  candidates: number;
  /** Hits whose fused score is below this are dropped. */
  minScore: number;
  /** Score the fused candidates again with the tenant's reranker (when one is configured). */
  rerank?: boolean;
  /** Fused candidates handed to the reranker, of which `topK` are kept (default 20). */
  rerankCandidates?: number;
  /** BM25 term-frequency saturation and length normalisation of the full-text ranking (knowledge/bm25.ts defaults). */
  bm25K1?: number;
  bm25B?: number;
  /** Rows the rarest query words may match before commoner ones stop adding candidates (they still score). */
  bm25MatchRows?: number;
}

export const DEFAULT_RETRIEVAL: RetrievalSettings = { topK: 5, vectorWeight: 1, textWeight: 1, rrfK: 60, candidates: 40, minScore: 0 };

export interface SearchHit {
  chunkId: string;
  documentId: string;
  documentName: string;
  section: string | null;
  page: number | null;
  text: string;
  /** Fused RRF score (higher is better). */
  score: number;
  /** 1-based rank in each method; null when the method did not find the chunk. */
  vectorRank: number | null;
  textRank: number | null;
  /** The reranker's relevance score, when the reranking step ran. */
  rerankScore?: number;
}

/** One batch of a bulk import (core/api/knowledge-import.ts): documents already created, indexed together. */
export interface IngestBatchInput {
  tenantId: string;
  knowledgeBaseId: string;
  importId: string;
  /** 0-based position of this batch in its import (part of the workflow id). */
  batch: number;
  documentIds: string[];
  pin: IngestPin;
}
