/** Segments (saved filters over contacts) and the live audience count the editors call while typing. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { audienceCount, audienceCountBody, segmentBody, segmentList, segmentPatch, segmentSchema } from '../../core/api/audiences';
import { errorResponses, uuidParam } from '../../core/api/common';
import { AppError } from '../../core/errors';
import type { Segment } from '../../db/entities';
import { countAudience, createSegment, deleteSegment, getSegment, listSegments, updateSegment } from '../../db/repos';

const tags = ['contacts'];
const notFound = () => new AppError('not_found', 'segment not found', { field: 'id' });
const dto = (s: Segment) => ({
  id: s.id,
  name: s.name,
  description: s.description ?? null,
  filter: s.filter,
  createdAt: new Date(s.createdAt).toISOString(),
  updatedAt: new Date(s.updatedAt).toISOString(),
});

export const segmentRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/v1/segments', { schema: { tags, summary: 'Segments, by name', response: { 200: segmentList, ...errorResponses } } }, async (request) => ({
    items: (await listSegments(request.em)).map(dto),
  }));

  app.post('/v1/segments', { schema: { tags, summary: 'Save a segment', body: segmentBody, response: { 201: segmentSchema, ...errorResponses } } }, async (request, reply) =>
    reply.status(201).send(dto(await createSegment(request.em, request.tenantId, request.body))),
  );

  app.post(
    '/v1/segments/count',
    { schema: { tags, summary: 'How many contacts a filter selects, and how many each channel can reach (address and opt-in)', body: audienceCountBody, response: { 200: audienceCount, ...errorResponses } } },
    async (request) => countAudience(request.em, request.body.filter),
  );

  app.get('/v1/segments/:id', { schema: { tags, summary: 'A segment', params: uuidParam, response: { 200: segmentSchema, ...errorResponses } } }, async (request) => {
    const segment = await getSegment(request.em, request.params.id);
    if (!segment) throw notFound();
    return dto(segment);
  });

  app.patch('/v1/segments/:id', { schema: { tags, summary: 'Change a segment', params: uuidParam, body: segmentPatch, response: { 200: segmentSchema, ...errorResponses } } }, async (request) => {
    const segment = await updateSegment(request.em, request.params.id, request.body);
    if (!segment) throw notFound();
    return dto(segment);
  });

  app.delete('/v1/segments/:id', { schema: { tags, summary: 'Delete a segment', params: uuidParam, response: { 204: z.null(), ...errorResponses } } }, async (request, reply) => {
    try {
      if (!(await deleteSegment(request.em, request.params.id))) throw notFound();
    } catch (err) {
      if ((err as { code?: string }).code === '23503') throw new AppError('conflict', 'a campaign uses this segment', { field: 'id' });
      throw err;
    }
    return reply.status(204).send(null);
  });
};
