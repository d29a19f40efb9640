/**
 * Traces as deployed: the API and the worker as two OS processes (api/main.ts, worker/main.ts), each
 * exporting to the same in-process OTLP/HTTP receiver under its own service name. The trace of one
 * turn crosses from the API's process to the worker's through Temporal's headers alone, and both
 * processes' pino lines written inside a span carry its trace id.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { waitUntil } from '../support/wait';
import { startApiProcess, startWorkerProcess, type ApiProcess, type WorkerProcess } from '../support/worker-process';
import { openLlmChat } from '../support/ws';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './otlp-receiver';

let stack: Stack;
let fake: FakeOpenAI;
let receiver: OtlpReceiver;
let api: ApiProcess;
let worker: WorkerProcess;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  receiver = await startOtlpReceiver();
  // The in-process stack only sets up the tenant, the flow and the conversation; its API is untraced.
  stack = await startStack({ ...sharedServers(), worker: false });
  const traced = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url };
  [api, worker] = await Promise.all([
    startApiProcess({ ...stack.workerEnv(), ...traced }),
    startWorkerProcess({ ...stack.workerEnv(), ...traced, LOG_LEVEL: 'debug' }, 120_000),
  ]);
}, 180_000);

afterAll(async () => {
  await Promise.allSettled([api?.kill('SIGTERM'), worker?.kill('SIGTERM')]);
  await stack?.close();
  await fake?.close();
  await receiver?.close();
});

const jsonLines = (output: string) =>
  output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

it('carries one turn from the API process to the worker process in one trace, with trace ids in both logs', async () => {
  const { apiKey, conversationId, chat } = await openLlmChat(stack, `${fake.url}/v1`);
  chat.close();
  fake.enqueue({ content: 'Across processes.' });
  const res = await fetch(`${api.url}/v1/conversations/${conversationId}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ text: 'hello' }),
  });
  expect(res.status).toBe(200);

  // Batched: each process sends within its export interval (5 s), on its own schedule, so wait for
  // the whole path from the provider's HTTP span up to a root.
  let root: ReceivedSpan | undefined;
  let chain: ReceivedSpan[] = [];
  await waitUntil(() => {
    root = receiver.spans.find((s) => s.name === 'POST /v1/conversations/:id/messages');
    const byId = new Map(receiver.spans.filter((s) => s.traceId === root?.traceId).map((s) => [s.spanId, s]));
    chain = [];
    for (let s = [...byId.values()].find((x) => x.name === 'HTTP POST'); s; s = s.parentSpanId ? byId.get(s.parentSpanId) : undefined) chain.unshift(s);
    return chain.length > 0 && chain[0] === root;
  }, 20_000, 'the path from the model call to the request');
  expect(chain.map((s) => `${s.service} ${s.name}`)).toEqual([
    'switchboard-api POST /v1/conversations/:id/messages',
    'switchboard-api StartWorkflowUpdate:turn',
    'switchboard-worker HandleUpdate:turn',
    'switchboard-worker StartActivity:llmChat',
    'switchboard-worker RunActivity:llmChat',
    'switchboard-worker chat gpt-test',
    'switchboard-worker HTTP POST',
  ]);

  // Each span lasts at least as long as its child: the request covers the model call.
  for (let i = 1; i < chain.length; i++) expect(chain[i - 1].durationMs).toBeGreaterThanOrEqual(chain[i].durationMs);

  // The API's "request completed" line, and the model call's line in the activity (debug), name the trace and span.
  const apiLines = jsonLines(api.output()).filter((l) => l.trace_id === root!.traceId);
  expect(apiLines.map((l) => l.msg)).toContain('request completed');
  // One line a request, naming the request as well as the response (api/plugins/request-log.ts).
  expect(apiLines.find((l) => l.msg === 'request completed')).toMatchObject({ req: { method: 'POST', url: expect.stringMatching(/^\/v1\/conversations\/[\w-]+\/messages$/) }, res: { statusCode: 200 } });
  expect(jsonLines(api.output()).filter((l) => l.msg === 'incoming request')).toEqual([]);
  const run = chain.find((s) => s.name === 'RunActivity:llmChat')!;
  const workerLines = jsonLines(worker.output()).filter((l) => l.trace_id === root!.traceId);
  expect(workerLines.find((l) => l.msg === 'model answered')).toMatchObject({ span_id: run.spanId, activityType: 'llmChat', model: 'gpt-test' });
});
