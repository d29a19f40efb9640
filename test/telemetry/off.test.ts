/**
 * Without an OTLP endpoint (unset, or the empty value compose passes) tracing is off and free: no
 * tracer provider, context manager or propagator is installed, the worker runs without the tracing
 * interceptors and sink, and its workflow bundle holds no tracing code; a chat turn works as ever.
 */
import { propagation, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { workflowBundle } from '../../worker/create';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { openLlmChat } from '../support/ws';

let stack: Stack;
let fake: FakeOpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  stack = await startStack({ ...sharedServers(), env: { OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_SERVICE_NAME: 'switchboard-test' } });
}, 120_000);

afterAll(async () => {
  await stack?.close();
  await fake?.close();
});

it('installs no tracer and records nothing, and a turn still answers', async () => {
  const { apiKey, conversationId, chat } = await openLlmChat(stack, `${fake.url}/v1`);
  chat.close();
  fake.enqueue({ content: 'Untraced.' });
  const turn = await stack.request('POST', `/v1/conversations/${conversationId}/messages`, { apiKey, body: { text: 'hello' } });
  expect(turn.status).toBe(200);
  expect(turn.body.replies.map((r: { text: string }) => r.text)).toContain('Untraced.');

  expect(stack.telemetry).toBeNull();
  // The OpenTelemetry API's own no-op provider: spans do not record, nothing propagates.
  const span = trace.getTracer('probe').startSpan('probe');
  expect(span.isRecording()).toBe(false);
  expect(trace.isSpanContextValid(span.spanContext())).toBe(false);
  expect(propagation.fields()).toEqual([]);
  // No exporter sink and no activity interceptors on the worker, no interceptors in its workflow code.
  expect(Object.keys(stack.worker!.options.sinks ?? {})).not.toContain('exporter');
  expect(stack.worker!.options.interceptors.activity ?? []).toHaveLength(0);
  expect((await workflowBundle()).code).not.toContain('OpenTelemetryInboundInterceptor');
});
