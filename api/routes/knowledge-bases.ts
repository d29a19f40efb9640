/** Knowledge bases: their settings, their document list and hybrid search over them. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { searchByText } from '../../knowledge/retrieve';
import { createdId, errorResponses, uuidParam } from '../../core/api/common';
import { createKnowledgeBaseBody, documentList, knowledgeBaseDto as knowledgeBaseSchema, knowledgeBaseList, searchBody, searchResult, updateKnowledgeBaseBody } from '../../core/api/knowledge';
import { Document } from '../../db/entities';
import { createKnowledgeBase, deleteKnowledgeBase, listDocuments, listKnowledgeBases, updateKnowledgeBase } from '../../db/repos';
import { documentDto, knowledgeBaseDto } from '../services/knowledge';
import { requireKnowledgeBase } from '../services/lookups';
import type { AppDeps } from '../deps';

export const knowledgeBaseRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['knowledge bases'];

    app.post(
      '/v1/knowledge-bases',
      { schema: { tags, summary: 'Create a knowledge base', body: createKnowledgeBaseBody, response: { 201: createdId, ...errorResponses } } },
      async (request, reply) => {
        const kb = await createKnowledgeBase(request.em, request.tenantId, request.body);
        return reply.status(201).send({ id: kb.id });
      },
    );

    app.get(
      '/v1/knowledge-bases',
      { schema: { tags, summary: 'List knowledge bases', response: { 200: knowledgeBaseList, ...errorResponses } } },
      async (request) => {
        const kbs = await listKnowledgeBases(request.em);
        // One narrow read for every count: document rows are fetched with their knowledge base only.
        const rows = kbs.length ? await request.em.find(Document, { knowledgeBase: { $in: kbs.map((kb) => kb.id) } }, { fields: ['knowledgeBase'] }) : [];
        const counts = new Map<string, number>();
        for (const row of rows) counts.set(row.knowledgeBase, (counts.get(row.knowledgeBase) ?? 0) + 1);
        return { knowledgeBases: kbs.map((kb) => knowledgeBaseDto(kb, counts.get(kb.id) ?? 0)) };
      },
    );

    app.get(
      '/v1/knowledge-bases/:id',
      { schema: { tags, summary: 'A knowledge base with its settings and document count', params: uuidParam, response: { 200: knowledgeBaseSchema, ...errorResponses } } },
      async (request) => {
        const kb = await requireKnowledgeBase(request.em, request.params.id);
        return knowledgeBaseDto(kb, await request.em.count(Document, { knowledgeBase: kb.id }));
      },
    );

    app.patch(
      '/v1/knowledge-bases/:id',
      {
        schema: {
          tags,
          summary: 'Update a knowledge base (retrieval settings merge; chunking applies from the next index)',
          params: uuidParam,
          body: updateKnowledgeBaseBody,
          response: { 200: knowledgeBaseSchema, ...errorResponses },
        },
      },
      async (request) => {
        await requireKnowledgeBase(request.em, request.params.id);
        const kb = (await updateKnowledgeBase(request.em, request.params.id, request.body))!;
        return knowledgeBaseDto(kb, await request.em.count(Document, { knowledgeBase: kb.id }));
      },
    );

    app.delete(
      '/v1/knowledge-bases/:id',
      { schema: { tags, summary: 'Delete a knowledge base with its documents and chunks', params: uuidParam, response: { 204: z.null(), ...errorResponses } } },
      async (request, reply) => {
        const kb = await requireKnowledgeBase(request.em, request.params.id);
        const inFlight = (await listDocuments(request.em, kb.id)).filter((d) => d.status === 'pending' || d.status === 'processing');
        await deleteKnowledgeBase(request.em, kb.id);
        await deps.workflows.ingest.cancel(request.tenantId, inFlight);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/v1/knowledge-bases/:id/documents',
      { schema: { tags, summary: "The knowledge base's documents with their ingestion progress", params: uuidParam, response: { 200: documentList, ...errorResponses } } },
      async (request) => {
        const kb = await requireKnowledgeBase(request.em, request.params.id);
        return { documents: (await listDocuments(request.em, kb.id)).map(documentDto) };
      },
    );

    app.post(
      '/v1/knowledge-bases/:id/search',
      {
        schema: {
          tags,
          summary: 'Hybrid search (vector + full text, fused by reciprocal rank); request fields override the stored retrieval settings',
          params: uuidParam,
          body: searchBody,
          response: { 200: searchResult, ...errorResponses },
        },
      },
      async (request) => {
        const kb = await requireKnowledgeBase(request.em, request.params.id);
        const { query, ...overrides } = request.body;
        const settings = { ...kb.retrieval, ...definedOnly(overrides) };
        const hits = await searchByText(deps, request.em, request.tenantId, [kb.id], query, settings, (err) =>
          request.log.warn({ err }, 'reranking failed; hits keep the fused order'),
        );
        return {
          hits: hits.map((h) => ({
            text: h.text,
            score: h.score,
            vectorRank: h.vectorRank,
            textRank: h.textRank,
            ...(h.rerankScore !== undefined ? { rerankScore: h.rerankScore } : {}),
            document: { id: h.documentId, name: h.documentName },
            section: h.section,
            page: h.page,
          })),
        };
      },
    );
  };

/** An absent override must not replace a stored setting with `undefined`. */
function definedOnly<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
