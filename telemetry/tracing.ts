/**
 * The process's tracer provider, installed only when an OTLP endpoint is configured
 * (OTEL_EXPORTER_OTLP_ENDPOINT): spans are batched and sent as OTLP/HTTP to `<endpoint>/v1/traces`.
 * Without one nothing is installed: the OpenTelemetry API stays on its no-op provider, the Temporal
 * interceptors are not added and the workflow bundle has no tracing code (see telemetry/temporal.ts).
 */
import { createRequire } from 'node:module';
import { context, propagation, trace } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Config } from '../core/config';

export type ProcessRole = 'api' | 'worker';

export interface Telemetry {
  resource: Resource;
  /** Also handed to the worker's sink, which turns the workflow sandbox's spans into exported ones. */
  spanProcessor: SpanProcessor;
  /** Sends every finished span now (tests; shutdown). */
  flush(): Promise<void>;
  /** Flushes, stops the exporter and uninstalls the global provider, context manager and propagator. */
  shutdown(): Promise<void>;
}

type TelemetryConfig = Pick<Config, 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_EXPORTER_OTLP_HEADERS' | 'OTEL_SERVICE_NAME'>;

export const tracingEnabled = (config: TelemetryConfig): boolean => Boolean(config.OTEL_EXPORTER_OTLP_ENDPOINT);

/** The collector's traces URL: the base endpoint plus `v1/traces`, as the OTLP exporter spec builds it. */
export const tracesUrl = (endpoint: string): string => `${endpoint.replace(/\/+$/, '')}/v1/traces`;

let installed: Telemetry | null = null;

/** The SDK (~45 MB with the OTLP exporter) is required only by a process that traces. */
function otelSdk() {
  const load = createRequire(import.meta.url);
  return {
    ...(load('@opentelemetry/context-async-hooks') as typeof import('@opentelemetry/context-async-hooks')),
    ...(load('@opentelemetry/core') as typeof import('@opentelemetry/core')),
    ...(load('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http')),
    ...(load('@opentelemetry/resources') as typeof import('@opentelemetry/resources')),
    ...(load('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base')),
  };
}

/**
 * Installs tracing for this process when configured, else returns null. Once per process: a second
 * call (the test stack runs the API and the worker in one process) gets the first one's.
 */
export function startTelemetry(config: TelemetryConfig, role: ProcessRole): Telemetry | null {
  if (!config.OTEL_EXPORTER_OTLP_ENDPOINT) return null;
  if (installed) return installed;
  const { AsyncLocalStorageContextManager, BasicTracerProvider, BatchSpanProcessor, CompositePropagator, OTLPTraceExporter, Resource, W3CBaggagePropagator, W3CTraceContextPropagator } = otelSdk();
  const resource = new Resource({ 'service.name': config.OTEL_SERVICE_NAME ?? `switchboard-${role}`, 'switchboard.process': role });
  const exporter = new OTLPTraceExporter({ url: tracesUrl(config.OTEL_EXPORTER_OTLP_ENDPOINT), headers: config.OTEL_EXPORTER_OTLP_HEADERS });
  const spanProcessor = new BatchSpanProcessor(exporter);
  const provider = new BasicTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register({
    contextManager: new AsyncLocalStorageContextManager().enable(),
    propagator: new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  });
  const telemetry: Telemetry = {
    resource,
    spanProcessor,
    flush: () => provider.forceFlush(),
    async shutdown() {
      if (installed !== telemetry) return;
      installed = null;
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
  installed = telemetry;
  return telemetry;
}
