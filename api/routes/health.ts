import { readFileSync } from 'node:fs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../deps';

const partState = z.enum(['ok', 'down']);
const supervisedPart = z.object({
  state: z.enum(['starting', 'running', 'restarting', 'stopped', 'failed']),
  restarts: z.number().int(),
  lastExit: z.string().optional(),
  since: z.string(),
});
/** Under `npm start`: each process it runs, as its supervisor last wrote (scripts/supervisor.ts). */
const supervised = z.record(z.string(), supervisedPart).optional();

/** The supervisor's state file, or nothing when there is none or it cannot be read whole. */
function readSupervised(file: string | undefined): z.infer<typeof supervised> {
  if (!file) return undefined;
  try {
    const parsed = supervised.safeParse((JSON.parse(readFileSync(file, 'utf8')) as { parts?: unknown }).parts);
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

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
            200: z.object({ status: z.literal('ok'), temporal: partState, db: partState, redis: partState, supervised }),
            503: z.object({ status: z.literal('degraded'), temporal: partState, db: partState, redis: partState, supervised }),
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
        const parts = { temporal, db, redis, supervised: readSupervised(deps.config.SUPERVISOR_STATE_FILE) };
        if ([temporal, db, redis].every((s) => s === 'ok')) return reply.status(200).send({ status: 'ok', ...parts });
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
