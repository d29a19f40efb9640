/**
 * Every error leaves as `{error: {code, message, field?}}` with a 4xx/5xx status; nothing
 * crashes the process and no stack trace reaches a client.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError } from '../../core/errors';

export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError | AppError | Error, request, reply) => {
    if (err instanceof AppError) {
      const body: Record<string, unknown> = err.toJSON();
      if (err.details !== undefined) body.details = err.details;
      // A quota refusal says when to come back (core/quotas.ts QuotaRefusal).
      const retryAfter = (err.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
      if (typeof retryAfter === 'number') reply.header('retry-after', String(Math.max(1, Math.ceil(retryAfter))));
      return reply.status(err.status).send({ error: body });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const first = err.validation[0];
      const path = (first?.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
      const where = (err as FastifyError).validationContext ?? 'body';
      const field = path || (first?.params as { issue?: { path?: unknown[] } })?.issue?.path?.join('.') || where;
      return reply.status(400).send({
        error: { code: 'validation_failed', message: `${field}: ${first?.message ?? 'invalid value'}`, field },
      });
    }
    if (isResponseSerializationError(err)) {
      request.log.error({ err: err.cause }, 'response did not match its schema');
      return reply.status(500).send({ error: { code: 'internal', message: 'internal error' } });
    }
    if (isTransientOutage(err)) {
      // A part is restarting (the database, Temporal) or a workflow is recovering from a worker's
      // death: the same request succeeds shortly, so say so instead of an opaque 500.
      request.log.warn({ err }, 'transient outage');
      reply.header('retry-after', '1');
      return reply.status(503).send({ error: { code: 'upstream_unavailable', message: 'a part of the platform is restarting: retry in a moment (with the same idempotencyKey)' } });
    }
    const status = (err as FastifyError).statusCode;
    if (status && status >= 400 && status < 500) {
      // Fastify's own client errors: malformed JSON, wrong content type, body too large.
      const code = status === 429 ? 'rate_limited' : status === 413 ? 'payload_too_large' : 'bad_request';
      return reply.status(status).send({ error: { code, message: err.message } });
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'internal', message: 'internal error' } });
  });

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: { code: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` } }),
  );
}

/** Connection errors of the database's and Redis's clients, and PostgreSQL's "starting up / shutting down" states. */
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', '57P01', '57P03', '08001', '08006']);
/** gRPC UNAVAILABLE: the Temporal server is not answering. */
const GRPC_UNAVAILABLE = 14;

/**
 * Whether an error (or its cause, as the ORM and the Temporal client wrap them) says a dependency is
 * briefly away: a refused or dropped connection, Temporal unavailable, or an update refused while the
 * workflow's task is being retried after its worker died ("Workflow Task in failed state").
 */
export function isTransientOutage(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
    if (code === GRPC_UNAVAILABLE) return true;
    if (typeof message === 'string' && (message.includes('Workflow Task in failed state') || message.startsWith('Connection terminated'))) return true;
  }
  return false;
}

/**
 * Errors the router raises before any route or hook runs (a path that is not valid percent-encoding,
 * a parameter over the length limit): the same error shape as everything else.
 */
export function frameworkError(err: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
  return reply.status(status).send({ error: { code: 'bad_request', message: err.message, field: 'path' } });
}
