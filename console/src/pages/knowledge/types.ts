/** Shapes of the knowledge API (core/api/knowledge.ts). */
import type { Tone } from '../../ui';

export interface KnowledgeBase {
  id: string;
  name: string;
  description: string | null;
  chunkSize: number;
  chunkOverlap: number;
  retrieval: { topK: number; vectorWeight: number; textWeight: number; rrfK: number; candidates: number; minScore: number };
  documentCount: number;
  createdAt: string;
  updatedAt: string;
}

export type DocumentStatus = 'pending' | 'processing' | 'ready' | 'failed';

export interface KnowledgeDocument {
  id: string;
  knowledgeBaseId: string;
  name: string;
  sourceType: 'upload' | 'url' | 'text';
  mimeType: string;
  status: DocumentStatus;
  stage: string | null;
  percent: number;
  error: string | null;
  chunkCount: number;
  activeVersion: number | null;
  latestVersion: number;
  createdAt: string;
  updatedAt: string;
}

export interface DocumentAccepted {
  id: string;
  version: number;
  workflowId: string;
}

export interface SearchHit {
  text: string;
  score: number;
  vectorRank: number | null;
  textRank: number | null;
  document: { id: string; name: string };
  section: string | null;
  page: number | null;
}

export const inFlight = (d: KnowledgeDocument) => d.status === 'pending' || d.status === 'processing';

export const DOCUMENT_TONES: Record<DocumentStatus, Tone> = { pending: 'neutral', processing: 'info', ready: 'success', failed: 'danger' };

/** Mirrors core/api/knowledge.ts MAX_DOCUMENT_BYTES so a too-large file is refused before uploading. */
export { MAX_DOCUMENT_BYTES } from '../../../../core/api/knowledge';
