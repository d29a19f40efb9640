/**
 * One chat turn through the real API, a real worker on the test Temporal server and the fake OpenAI
 * server, with OTEL_EXPORTER_OTLP_ENDPOINT pointing at an in-process OTLP/HTTP receiver: one trace
 * from the API request through the workflow update and its activities to the model call, each span
 * the child of the one before; and trace ids in the log lines written while a span is active.
 */
import { Writable } from 'node:stream';
import { context, trace } from '@opentelemetry/api';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporalPinoLogger, traceLogFields } from '../../telemetry/log';
import { workflowBundle } from '../../worker/create';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { openLlmChat } from '../support/ws';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './otlp-receiver';

let stack: Stack;
let fake: FakeOpenAI;
let receiver: OtlpReceiver;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  receiver = await startOtlpReceiver();
  stack = await startStack({ ...sharedServers(), env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'switchboard-test' } });
}, 120_000);

afterAll(async () => {
  await stack?.close();
  await fake?.close();
  await receiver?.close();
});

/** Flushes the process's spans until `found` sees what it needs (workflow spans arrive through the worker's sink). */
async function spansUntil<T>(found: (spans: ReceivedSpan[]) => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await stack.telemetry!.flush();
    const result = found(receiver.spans);
    if (result !== undefined) return result;
    if (Date.now() > deadline) throw new Error(`spans not found; received: ${receiver.spans.map((s) => s.name).join(', ')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('a chat turn with an OTLP endpoint configured', () => {
  it('is one trace: API request → update → workflow update → activity → model call → HTTP', async () => {
    const { apiKey, tenantId, conversationId, chat } = await openLlmChat(stack, `${fake.url}/v1`);
    chat.close();
    fake.enqueue({ content: 'Traced all the way.', usage: { promptTokens: 30, completionTokens: 5 } });
    const turn = await stack.request('POST', `/v1/conversations/${conversationId}/messages`, { apiKey, body: { text: 'secret-body-text please answer' } });
    expect(turn.status).toBe(200);

    const root = await spansUntil((spans) => spans.find((s) => s.name === 'POST /v1/conversations/:id/messages'));
    const inTrace = (spans: ReceivedSpan[]) => spans.filter((s) => s.traceId === root.traceId);
    const llm = await spansUntil((spans) => inTrace(spans).find((s) => s.name === 'chat gpt-test'));
    const byId = new Map(inTrace(receiver.spans).map((s) => [s.spanId, s]));
    const chain = (span: ReceivedSpan): string[] => {
      const parent = span.parentSpanId ? byId.get(span.parentSpanId) : undefined;
      return parent ? [...chain(parent), span.name] : [span.name];
    };

    // The request span is the root: no parent, the route pattern, the status and the tenant.
    expect(root.parentSpanId).toBeUndefined();
    expect(root.attributes).toMatchObject({ 'http.route': '/v1/conversations/:id/messages', 'http.request.method': 'POST', 'http.response.status_code': 200, 'switchboard.tenant_id': tenantId });
    expect(root.service).toBe('switchboard-test');

    // Every hop a child of the one before, from the request to the provider's HTTP call.
    const activity = chain(llm);
    expect(activity[0]).toBe('POST /v1/conversations/:id/messages');
    expect(activity[1]).toBe('StartWorkflowUpdate:turn');
    expect(activity[2]).toBe('HandleUpdate:turn');
    expect(activity.slice(3)).toEqual(['StartActivity:llmChat', 'RunActivity:llmChat', 'chat gpt-test']);
    const http = inTrace(receiver.spans).find((s) => s.parentSpanId === llm.spanId);
    expect(http).toMatchObject({ name: 'HTTP POST', attributes: { 'http.response.status_code': 200, 'server.address': '127.0.0.1' } });
    expect(llm.attributes).toMatchObject({ 'gen_ai.usage.input_tokens': 30, 'gen_ai.usage.output_tokens': 5 });

    // The turn's other activities (storing the messages) are in the same trace, under the update.
    const handleUpdate = inTrace(receiver.spans).find((s) => s.name === 'HandleUpdate:turn')!;
    const activities = inTrace(receiver.spans).filter((s) => s.name.startsWith('StartActivity:') && s.parentSpanId === handleUpdate.spanId);
    expect(activities.length).toBeGreaterThanOrEqual(2);

    // Nothing from the request body, the key or a URL path lands in an attribute.
    const attributeText = JSON.stringify(receiver.spans.map((s) => s.attributes));
    expect(attributeText).not.toContain('secret-body-text');
    expect(attributeText).not.toContain(apiKey);
    expect(attributeText).not.toContain('/chat/completions');
    expect(receiver.requests.every((r) => r.path === '/v1/traces' && r.contentType === 'application/json')).toBe(true);
    // The worker ran the bundle with the workflow interceptors in it (the one off.test.ts checks lacks them).
    expect((await workflowBundle(true)).code).toContain('OpenTelemetryInboundInterceptor');
  });
});

describe('a turn sent on the chat socket', () => {
  it('is a trace of its own, rooted at the socket turn, down to the model call', async () => {
    const { tenantId, chat } = await openLlmChat(stack, `${fake.url}/v1`);
    fake.enqueue({ content: 'Over the socket.' });
    chat.send({ text: 'hello over the socket' });
    await chat.waitFor((f) => f.type === 'message' && f.message?.text === 'Over the socket.');
    chat.close();

    const root = await spansUntil((spans) => spans.find((s) => s.name === 'WS /v1/chat turn' && s.attributes['switchboard.tenant_id'] === tenantId));
    const llm = await spansUntil((spans) => spans.find((s) => s.traceId === root.traceId && s.name === 'chat gpt-test'));
    expect(root.parentSpanId).toBeUndefined();
    const byId = new Map(receiver.spans.filter((s) => s.traceId === root.traceId).map((s) => [s.spanId, s]));
    const names: string[] = [];
    for (let s: ReceivedSpan | undefined = llm; s; s = s.parentSpanId ? byId.get(s.parentSpanId) : undefined) names.unshift(s.name);
    expect(names).toEqual(['WS /v1/chat turn', 'StartWorkflowUpdate:turn', 'HandleUpdate:turn', 'StartActivity:llmChat', 'RunActivity:llmChat', 'chat gpt-test']);
  });
});

describe('logs while a span is active', () => {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const log = pino({ mixin: traceLogFields }, sink);

  it('carry its trace_id and span_id, in the API logger and the worker’s Temporal logger alike', async () => {
    const span = trace.getTracer('test').startSpan('work');
    context.with(trace.setSpan(context.active(), span), () => {
      log.info('inside');
      temporalPinoLogger(log).warn('activity line', { activityId: 'a1' });
    });
    span.end();
    log.info('outside');
    const { traceId, spanId } = span.spanContext();
    expect(lines[0]).toMatchObject({ msg: 'inside', trace_id: traceId, span_id: spanId });
    expect(lines[1]).toMatchObject({ msg: 'activity line', level: 40, activityId: 'a1', trace_id: traceId });
    expect(lines[2]).not.toHaveProperty('trace_id');
  });
});
