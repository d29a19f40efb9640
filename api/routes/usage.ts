/**
 * `GET /v1/usage`: the caller's tenant's quotas, used against limit with the period's reset time
 * (the console's Usage page and its banner). Every signed-in role may read it.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../core/api/common';
import { usageResponse } from '../../core/api/quotas';
import type { AppDeps } from '../deps';
import { quotasOf } from '../services/quotas';

export const usageRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/v1/usage',
      { schema: { tags: ['usage'], summary: "The tenant's quotas: used, limit (null = unlimited), level (ok, warning at 80 %, exceeded) and when each period resets", response: { 200: usageResponse, ...errorResponses } } },
      async (request) => ({ quotas: await quotasOf(deps).usage(request.tenantId) }),
    );
  };
