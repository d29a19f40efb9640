import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../deps';

const partState = z.enum(['ok', 'down']);

/** `GET /health`: each dependency's state; 503 when any is down, so load balancers stop routing here. */
export const healthRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/health',
      {
        config: { public: true },
        schema: {
          tags: ['system'],
          security: [],
          response: {
            200: z.object({ status: z.literal('ok'), temporal: partState, db: partState, redis: partState }),
            503: z.object({ status: z.literal('degraded'), temporal: partState, db: partState, redis: partState }),
          },
        },
      },
      async (_request, reply) => {
        const check = (p: Promise<unknown>) =>
          withTimeout(p, 2000).then(
            () => 'ok' as const,
            () => 'down' as const,
          );
        const [temporal, db, redis] = await Promise.all([
          check(deps.temporal.workflowService.getSystemInfo({})),
          check(deps.orm.em.getConnection().execute('select 1')),
          check(deps.redis.ping()),
        ]);
        const parts = { temporal, db, redis };
        if (Object.values(parts).every((s) => s === 'ok')) return reply.status(200).send({ status: 'ok', ...parts });
        return reply.status(503).send({ status: 'degraded', ...parts });
      },
    );
  };

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    p.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e) => (clearTimeout(timer), reject(e)),
    );
  });
}
