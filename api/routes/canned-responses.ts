/** Canned responses for the inbox: everyone reads them, builders and admins write them. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, uuidParam } from '../../core/api/common';
import { cannedResponseBody, cannedResponseList, cannedResponsePatch, cannedResponseSchema } from '../../core/api/inbox';
import { AppError } from '../../core/errors';
import type { CannedResponse } from '../../db/entities';
import { createCannedResponse, deleteCannedResponse, listCannedResponses, updateCannedResponse } from '../../db/repos';

const dto = (c: CannedResponse) => ({ id: c.id, shortcut: c.shortcut, text: c.text });
const notFound = () => new AppError('not_found', 'canned response not found', { field: 'id' });

export const cannedResponseRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['inbox'];

  app.get('/v1/canned-responses', { schema: { tags, summary: 'Canned responses, by shortcut', response: { 200: cannedResponseList, ...errorResponses } } }, async (request) => ({
    items: (await listCannedResponses(request.em)).map(dto),
  }));

  app.post(
    '/v1/canned-responses',
    { schema: { tags, summary: 'Add a canned response', body: cannedResponseBody, response: { 201: cannedResponseSchema, ...errorResponses } } },
    async (request, reply) => reply.status(201).send(dto(await createCannedResponse(request.em, request.tenantId, request.body))),
  );

  app.put(
    '/v1/canned-responses/:id',
    { schema: { tags, summary: 'Change a canned response', params: uuidParam, body: cannedResponsePatch, response: { 200: cannedResponseSchema, ...errorResponses } } },
    async (request) => {
      const row = await updateCannedResponse(request.em, request.params.id, request.body);
      if (!row) throw notFound();
      return dto(row);
    },
  );

  app.delete(
    '/v1/canned-responses/:id',
    { schema: { tags, summary: 'Delete a canned response', params: uuidParam, response: { 204: z.null(), ...errorResponses } } },
    async (request, reply) => {
      if (!(await deleteCannedResponse(request.em, request.params.id))) throw notFound();
      return reply.status(204).send(null);
    },
  );
};
