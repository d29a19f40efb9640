/**
 * A server span per API request (`POST /v1/conversations/:id/messages`): the route pattern (never
 * the raw URL, which may carry ids and tokens), the status code and the tenant, nothing from headers
 * or bodies. It is the active span for the request's hooks and handler, so a workflow the handler
 * starts, updates or signals carries it (telemetry/temporal.ts) and its spans join the same trace.
 * Only `/v1/` routes: console assets, `/health` and `/metrics` would drown the traces; a chat
 * socket's turns get a span each (`tracedSocketTurn`). Without a tracer provider (no OTLP endpoint)
 * the spans are the API's no-op ones.
 */
import { context, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { inSpan, TRACER_NAME } from '../../telemetry/spans';

const traced = new WeakMap<FastifyRequest, { span: Span; ctx: Context }>();

export function registerTracing(app: FastifyInstance): void {
  const tracer = trace.getTracer(TRACER_NAME);
  app.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url;
    // A socket upgrade outlives its request: its turns are traced from their workflow updates.
    if (!route?.startsWith('/v1/') || request.headers.upgrade) return done();
    const span = tracer.startSpan(`${request.method} ${route}`, {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': request.method, 'http.route': route },
    });
    const ctx = trace.setSpan(context.active(), span);
    traced.set(request, { span, ctx });
    context.with(ctx, done);
  });
  // A content parser may resume on a stream's events, outside the context (multipart): entered again before the handler.
  app.addHook('preHandler', (request, _reply, done) => {
    const entry = traced.get(request);
    if (!entry) return done();
    context.with(entry.ctx, done);
  });
  app.addHook('onResponse', (request, reply, done) => {
    const entry = traced.get(request);
    if (entry) end(entry.span, request, reply.statusCode);
    done();
  });
  app.addHook('onRequestAbort', (request, done) => {
    const entry = traced.get(request);
    if (entry) {
      entry.span.setStatus({ code: SpanStatusCode.ERROR, message: 'client went away' });
      end(entry.span, request, 499);
    }
    done();
  });
}

/**
 * A turn sent on a socket (`{text}` on /v1/chat) as a root server span of its own: the upgrade's
 * request is not traced, since it lasts as long as the socket.
 */
export const tracedSocketTurn = (route: string, tenantId: string, turn: () => Promise<void>): Promise<void> =>
  inSpan(`WS ${route} turn`, { kind: SpanKind.SERVER, attributes: { 'http.route': route, 'switchboard.tenant_id': tenantId } }, turn);

function end(span: Span, request: FastifyRequest, status: number): void {
  traced.delete(request);
  span.setAttribute('http.response.status_code', status);
  if (request.tenantId) span.setAttribute('switchboard.tenant_id', request.tenantId);
  if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}
