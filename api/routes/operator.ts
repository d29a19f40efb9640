/**
 * The platform operator's API (not a tenant's): `GET|PUT /v1/operator/tenants/:tenantId/quotas`
 * reads and changes one tenant's limits. It takes no tenant credentials — only
 * `Authorization: Bearer <OPERATOR_TOKEN>`, compared in constant time; without OPERATOR_TOKEN the
 * routes answer 404. Every change is written to the tenant's audit log as the operator's.
 */
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../core/api/common';
import { operatorQuotaBody, operatorQuotaResponse, operatorTenantParams } from '../../core/api/quotas';
import { constantTimeEqual } from '../../core/constant-time';
import { AppError, notFound } from '../../core/errors';
import { effectiveLimits } from '../../core/quotas';
import { systemEm } from '../../db/orm';
import { findTenantId } from '../../db/repos';
import type { AppDeps } from '../deps';
import { quotasOf } from '../services/quotas';

const tags = ['operator'];

export const operatorRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const quotas = quotasOf(deps);

    /** 404 when the operator API is off; 401 without the right token; then the tenant must exist. */
    async function operatorTenant(request: FastifyRequest): Promise<string> {
      const token = deps.config.OPERATOR_TOKEN;
      if (!token) throw new AppError('not_found', 'the operator API is off: set OPERATOR_TOKEN to use it');
      const given = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
      if (!constantTimeEqual(given, token)) throw new AppError('unauthorized', 'send "Authorization: Bearer <OPERATOR_TOKEN>"', { field: 'authorization' });
      const tenantId = await findTenantId(systemEm(deps.orm), (request.params as { tenantId: string }).tenantId);
      if (!tenantId) throw notFound('tenant', 'tenantId');
      return tenantId;
    }

    const view = async (tenantId: string) => {
      const overrides = await quotas.store.overrides(tenantId);
      const defaults = quotas.store.defaults();
      return { tenantId, defaults, overrides, effective: effectiveLimits(defaults, overrides), usage: await quotas.usage(tenantId) };
    };

    app.get(
      '/v1/operator/tenants/:tenantId/quotas',
      {
        config: { public: true },
        schema: { tags, summary: "A tenant's quota defaults, overrides, effective limits and usage (Bearer OPERATOR_TOKEN)", params: operatorTenantParams, response: { 200: operatorQuotaResponse, ...errorResponses } },
      },
      async (request) => view(await operatorTenant(request)),
    );

    app.put(
      '/v1/operator/tenants/:tenantId/quotas',
      {
        config: { public: true },
        schema: {
          tags,
          summary: "Raise, lower or lift a tenant's limits (Bearer OPERATOR_TOKEN): a number sets a quota (0 = unlimited), null returns it to the default; audited",
          params: operatorTenantParams,
          body: operatorQuotaBody,
          response: { 200: operatorQuotaResponse, ...errorResponses },
        },
      },
      async (request) => {
        const tenantId = await operatorTenant(request);
        await quotas.store.setOverrides(tenantId, request.body, {
          label: 'operator (API)',
          method: request.method,
          route: request.routeOptions.url ?? '',
          path: request.url.split('?')[0],
          ip: request.ip,
          userAgent: request.headers['user-agent']?.slice(0, 500) ?? null,
        });
        return view(tenantId);
      },
    );
  };
