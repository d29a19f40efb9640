/**
 * Spans around the platform's own work: outbound calls (HTTP, model, channel providers) and turns
 * sent on a socket. They go through the global tracer: with no tracer provider installed (no OTLP
 * endpoint configured) it is the API's no-op one, so these cost a function call and record nothing.
 */
import { SpanKind, SpanStatusCode, trace, type Attributes, type Span, type SpanOptions } from '@opentelemetry/api';

export const TRACER_NAME = 'switchboard';

/**
 * `fn` inside a span named `name`, active for whatever `fn` calls (an HTTP span under a model call
 * is its child); a throw marks it failed. Attributes are names, hosts, counts: never URLs with
 * paths, bodies or keys.
 */
export function inSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
  return trace.getTracer(TRACER_NAME).startActiveSpan(name, options, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err instanceof Error ? { name: err.name, message: err.message } : String(err));
      span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
      throw err;
    } finally {
      span.end();
    }
  });
}

/** An outbound call as a client span. */
export const clientSpan = <T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>): Promise<T> => inSpan(name, { kind: SpanKind.CLIENT, attributes }, fn);
