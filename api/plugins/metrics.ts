/**
 * Prometheus for the API: every request's duration by route pattern (never the raw URL, whose ids
 * would make a series per object), and `GET /metrics` for the scraper, open only with
 * METRICS_TOKEN set and sent as a Bearer token (404 without one configured: nothing is exposed by default).
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../core/errors';
import { httpDuration, METRICS_CONTENT_TYPE, renderMetrics } from '../../metrics';
import { metricsAuthorized } from '../../metrics/server';

export function registerMetrics(app: FastifyInstance, token: string | undefined): void {
  app.addHook('onResponse', async (request, reply) => {
    httpDuration.observe({ method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { schema: { hide: true }, config: { public: true } }, async (request, reply) => {
    if (!token) throw new AppError('not_found', 'metrics are off: set METRICS_TOKEN to scrape them');
    if (!metricsAuthorized(request.headers.authorization, token)) throw new AppError('unauthorized', 'send "Authorization: Bearer <METRICS_TOKEN>"', { field: 'authorization' });
    return reply.type(METRICS_CONTENT_TYPE).send(await renderMetrics());
  });
}
