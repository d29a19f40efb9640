/** Shapes of the knowledge API, inferred from its schemas (core/api/knowledge.ts). */
import type { z } from 'zod';
import type { createdId } from '../../../../core/api/common';
import type { documentAccepted, documentDto, documentList, knowledgeBaseDto, knowledgeBaseList, searchResult } from '../../../../core/api/knowledge';
import type { importAccepted, importProgressDto } from '../../../../core/api/knowledge-import';
import type { Tone } from '../../ui';

export type KnowledgeBase = z.infer<typeof knowledgeBaseDto>;
export type KnowledgeDocument = z.infer<typeof documentDto>;
export type DocumentStatus = KnowledgeDocument['status'];
export type DocumentAccepted = z.infer<typeof documentAccepted>;
export type SearchResult = z.infer<typeof searchResult>;
export type SearchHit = SearchResult['hits'][number];
export type KnowledgeBaseList = z.infer<typeof knowledgeBaseList>;
export type DocumentList = z.infer<typeof documentList>;
export type Created = z.infer<typeof createdId>;
export type ImportAccepted = z.infer<typeof importAccepted>;
export type ImportProgress = z.infer<typeof importProgressDto>;

export const inFlight = (d: KnowledgeDocument) => d.status === 'pending' || d.status === 'processing';

export const DOCUMENT_TONES: Record<DocumentStatus, Tone> = { pending: 'neutral', processing: 'info', ready: 'success', failed: 'danger' };

/** Mirrors core/api/knowledge.ts MAX_DOCUMENT_BYTES so a too-large file is refused before uploading. */
export { MAX_DOCUMENT_BYTES } from '../../../../core/api/knowledge';
