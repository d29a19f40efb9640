/**
 * Temporal with tracing: the client interceptor puts the caller's span context into the headers of
 * every start, signal, update and update-with-start (so a workflow's spans continue the API request's
 * trace); the worker's activity interceptors open a span per activity under the workflow's, and the
 * workflow interceptors (a module inside the workflow bundle) record the sandbox's spans, which leave it
 * through the `exporter` sink into this process's span processor. All of it only with a Telemetry.
 */
import { createRequire } from 'node:module';
import type * as OtelInterceptors from '@temporalio/interceptors-opentelemetry';
import type { OpenTelemetrySinks } from '@temporalio/interceptors-opentelemetry';
import type { ClientInterceptors } from '@temporalio/client';
import type { InjectedSinks, WorkerInterceptors } from '@temporalio/worker';
import type { Telemetry } from './tracing';

/** The workflow interceptors' module, bundled into the workflow code only when tracing is on. */
export const WORKFLOW_TRACING_MODULE = createRequire(import.meta.url).resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');

/** The interceptors (~23 MB with the OpenTelemetry SDK) are required only by a process that traces. */
const otelInterceptors = (): typeof OtelInterceptors => createRequire(import.meta.url)('@temporalio/interceptors-opentelemetry');

export function temporalClientInterceptors(telemetry: Telemetry | null): ClientInterceptors | undefined {
  return telemetry ? { workflow: [new (otelInterceptors().OpenTelemetryWorkflowClientInterceptor)()] } : undefined;
}

export function temporalWorkerTracing(telemetry: Telemetry): { interceptors: WorkerInterceptors; sinks: InjectedSinks<OpenTelemetrySinks> } {
  const { makeWorkflowExporter, OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor } = otelInterceptors();
  return {
    interceptors: {
      // The activities' own client (Context.client) carries the activity's span to what it starts or signals.
      client: temporalClientInterceptors(telemetry),
      activity: [(ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) })],
    },
    sinks: { exporter: makeWorkflowExporter(telemetry.spanProcessor, telemetry.resource) },
  };
}
