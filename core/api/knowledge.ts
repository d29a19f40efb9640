import { z } from 'zod';
import { KNOWLEDGE_LANGUAGES } from '../knowledge/types';
import { text } from './common';

/** Uploads and pasted text larger than this are refused (413); the extractor applies the same limit. */
export const MAX_DOCUMENT_BYTES = 25 * 1024 * 1024;

export const retrievalSettings = z.object({
  topK: z.number().int().min(1).max(50),
  vectorWeight: z.number().min(0).max(10),
  textWeight: z.number().min(0).max(10),
  rrfK: z.number().int().min(1).max(1000),
  candidates: z.number().int().min(1).max(1000),
  minScore: z.number().min(0),
  rerank: z.boolean().optional().describe("Score the fused candidates again with the tenant's reranker (settings.reranker)"),
  rerankCandidates: z.number().int().min(1).max(100).optional().describe('Fused candidates given to the reranker (default 20)'),
  bm25K1: z.number().min(0).max(5).optional().describe('BM25 term-frequency saturation of the full-text ranking (default 1.2)'),
  bm25B: z.number().min(0).max(1).optional().describe('BM25 length normalisation of the full-text ranking (default 0.6)'),
  bm25MatchRows: z.number().int().min(50).max(100_000).optional().describe('Rows the rarest query words may match before commoner words stop adding full-text candidates (default 500)'),
});

const language = z.enum(KNOWLEDGE_LANGUAGES).describe('Text-search language: stemming and stop words of its chunks and queries');

const chunking = {
  /** Tokens per chunk; a chunk must stay well inside an embedding model's input window. */
  chunkSize: z.number().int().min(50).max(4000).optional(),
  chunkOverlap: z.number().int().min(0).max(1000).optional(),
};

const overlapBelowSize = (b: { chunkSize?: number; chunkOverlap?: number }) =>
  b.chunkSize === undefined || b.chunkOverlap === undefined || b.chunkOverlap < b.chunkSize;
const overlapMessage = { message: 'chunkOverlap must be smaller than chunkSize', path: ['chunkOverlap'] };

export const createKnowledgeBaseBody = z
  .object({
    name: text().trim().min(1, 'name is required').max(200),
    description: text().max(2000).optional(),
    ...chunking,
    language: language.optional(),
    retrieval: retrievalSettings.partial().optional(),
  })
  .refine(overlapBelowSize, overlapMessage);

export const updateKnowledgeBaseBody = z
  .object({
    name: text().trim().min(1).max(200).optional(),
    description: text().max(2000).nullable().optional(),
    ...chunking,
    language: language.optional().describe('Changing it parses the knowledge base\'s chunks again'),
    retrieval: retrievalSettings.partial().optional(),
  })
  .refine(overlapBelowSize, overlapMessage)
  .refine((b) => Object.values(b).some((v) => v !== undefined), {
    message: 'nothing to update: send name, description, chunkSize, chunkOverlap, language or retrieval',
    path: ['name'],
  });

export const knowledgeBaseDto = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  chunkSize: z.number().int(),
  chunkOverlap: z.number().int(),
  language,
  retrieval: retrievalSettings,
  documentCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const httpUrl = text()
  .max(2000)
  .refine((value) => {
    try {
      return ['http:', 'https:'].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, 'url must be an http:// or https:// address');

/**
 * The JSON forms of "add a document": a URL to fetch, or pasted text. (Files come as
 * multipart/form-data with a `file` field and an optional `name`.) One object rather than a union,
 * so a bad request names the one field to fix instead of listing every alternative.
 */
export const addDocumentJsonBody = z
  .object({
    url: httpUrl.optional(),
    text: text().optional(),
    name: text().trim().min(1, 'name must not be empty').max(200).optional(),
  })
  .superRefine((b, ctx) => {
    if (b.url !== undefined && b.text !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'send either url or text, not both', path: ['text'] });
    } else if (b.url === undefined) {
      if (!b.text?.trim()) ctx.addIssue({ code: 'custom', message: 'text is required (or send url, or upload a file as multipart/form-data)', path: ['text'] });
      else if (b.name === undefined) ctx.addIssue({ code: 'custom', message: 'name is required for pasted text', path: ['name'] });
    }
  });

export const knowledgeBaseList = z.object({ knowledgeBases: z.array(knowledgeBaseDto) });

export const documentAccepted = z.object({ id: z.string(), version: z.number().int(), workflowId: z.string() });

export const documentDto = z.object({
  id: z.string(),
  knowledgeBaseId: z.string(),
  name: z.string(),
  sourceType: z.enum(['upload', 'url', 'text']),
  mimeType: z.string(),
  status: z.enum(['pending', 'processing', 'ready', 'failed']),
  /** Ingestion step while processing ("extracting", "embedding"…). */
  stage: z.string().nullable(),
  percent: z.number().int(),
  /** Why ingestion failed, worded for the person who uploaded the file. */
  error: z.string().nullable(),
  chunkCount: z.number().int(),
  /** The version searches see (null until the first index completes). */
  activeVersion: z.number().int().nullable(),
  latestVersion: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const documentList = z.object({ documents: z.array(documentDto) });

export const searchBody = z.object({
  query: text().trim().min(1, 'query is required').max(2000),
  topK: z.number().int().min(1).max(50).optional(),
  vectorWeight: z.number().min(0).max(10).optional(),
  textWeight: z.number().min(0).max(10).optional(),
  minScore: z.number().min(0).optional(),
  rerank: z.boolean().optional(),
});

export const searchResult = z.object({
  hits: z.array(
    z.object({
      text: z.string(),
      score: z.number(),
      vectorRank: z.number().int().nullable(),
      textRank: z.number().int().nullable(),
      /** Present when the reranking step ran. */
      rerankScore: z.number().optional(),
      document: z.object({ id: z.string(), name: z.string() }),
      section: z.string().nullable(),
      page: z.number().int().nullable(),
    }),
  ),
});
