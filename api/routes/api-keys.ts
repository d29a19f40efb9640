/** The tenant's API keys (admin only): listed by prefix, the full key shown once at creation, with a scope and an optional expiry. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiKeyList, createApiKeyBody, createdApiKey, type ApiKeyScope } from '../../core/api/admin';
import { errorResponses, uuidParam } from '../../core/api/common';
import { AppError } from '../../core/errors';
import { iso } from '../services/serialize';
import { createApiKey, listApiKeys, revokeApiKey } from '../../db/repos';

export const apiKeyRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['api keys'];

  app.get('/v1/api-keys', { schema: { tags, summary: 'List API keys (never the keys themselves)', response: { 200: apiKeyList, ...errorResponses } } }, async (request) => ({
    items: (await listApiKeys(request.em)).map((k) => ({
      id: k.id,
      name: k.name,
      prefix: k.prefix,
      scope: k.scope as ApiKeyScope,
      expiresAt: iso(k.expiresAt),
      createdAt: iso(k.createdAt)!,
      lastUsedAt: iso(k.lastUsedAt),
      revokedAt: iso(k.revokedAt),
    })),
  }));

  app.post(
    '/v1/api-keys',
    { schema: { tags, summary: 'Create an API key: the response is the only time the key is shown', body: createApiKeyBody, response: { 201: createdApiKey, ...errorResponses } } },
    async (request, reply) => {
      const { name, scope, expiresAt } = request.body;
      const { apiKey, key } = await createApiKey(request.em, request.tenantId, name, { scope, expiresAt: expiresAt ? new Date(expiresAt) : null });
      return reply.status(201).send({ id: apiKey.id, name: apiKey.name, prefix: apiKey.prefix, scope, expiresAt: iso(apiKey.expiresAt), key });
    },
  );

  app.delete(
    '/v1/api-keys/:id',
    { schema: { tags, summary: 'Revoke an API key (it stops working at once on every API instance)', params: uuidParam, response: { 204: z.null(), ...errorResponses } } },
    async (request, reply) => {
      if (!(await revokeApiKey(request.em, request.params.id))) throw new AppError('not_found', 'API key not found or already revoked', { field: 'id' });
      await app.forgetApiKey(request.params.id);
      return reply.status(204).send(null);
    },
  );
};
