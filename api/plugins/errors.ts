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

/**
 * Errors the router raises before any route or hook runs (a path that is not valid percent-encoding,
 * a parameter over the length limit): the same error shape as everything else.
 */
export function frameworkError(err: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 400;
  return reply.status(status).send({ error: { code: 'bad_request', message: err.message, field: 'path' } });
}
