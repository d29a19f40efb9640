/** Tenant settings (admin only): the language model and its fallbacks. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { llmSettingsBody, llmSettingsView as viewSchema, llmTestBody, llmTestResult } from '../../core/api/admin';
import { errorResponses } from '../../core/api/common';
import { Tenant } from '../../db/entities';
import { systemEm } from '../../db/orm';
import { tenantById, updateTenantSettings } from '../../db/repos';
import { llmSettingsView, mergeLlmSettings, testLlmEndpoint } from '../services/llm-settings';
import type { AppDeps } from '../deps';

export const settingsRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['settings'];
    const currentLlm = async (tenantId: string) => (await tenantById(systemEm(deps.orm), tenantId))?.settings.llm;

    app.get('/v1/settings/llm', { schema: { tags, summary: 'The language model (never its key)', response: { 200: viewSchema, ...errorResponses } } }, async (request) =>
      llmSettingsView(await currentLlm(request.tenantId)),
    );

    app.put(
      '/v1/settings/llm',
      { schema: { tags, summary: 'Set the language model; an omitted apiKey keeps the stored one', body: llmSettingsBody, response: { 200: viewSchema, ...errorResponses } } },
      async (request) => {
        const llm = mergeLlmSettings(deps.config, await currentLlm(request.tenantId), request.body);
        const tenant = await updateTenantSettings(systemEm(deps.orm), request.tenantId, { llm });
        return llmSettingsView(tenant.settings.llm);
      },
    );

    app.delete(
      '/v1/settings/llm',
      { schema: { tags, summary: 'Remove the language model: the offline responder answers again', response: { 204: z.null(), ...errorResponses } } },
      async (request, reply) => {
        const em = systemEm(deps.orm);
        const tenant = await em.findOneOrFail(Tenant, { id: request.tenantId });
        const { llm: _removed, ...rest } = tenant.settings;
        tenant.settings = rest;
        await em.flush();
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/v1/settings/llm/test',
      { schema: { tags, summary: 'One tiny completion against the stored (or given) endpoint', body: llmTestBody.nullish(), response: { 200: llmTestResult, ...errorResponses } } },
      async (request) => testLlmEndpoint(deps.config, await currentLlm(request.tenantId), request.body ?? {}),
    );
  };
