/**
 * Prometheus metrics, scraped and parsed with a Prometheus text parser: the API's (requests by
 * route pattern, synchronous turns) behind METRICS_TOKEN, and a worker process's own endpoint
 * (model calls and tokens, webhook deliveries, queue depths) beside the Temporal SDK's worker
 * metrics from its runtime telemetry.
 */
import { readFileSync } from 'node:fs';
import parsePrometheusTextFormat, { type PrometheusMetricFamily } from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboundQueueName } from '../../ingress/queue';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server';
import { freePort } from '../support/ports';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { waitUntil } from '../support/wait';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';
import { openLlmChat } from '../support/ws';
import { startReceiver, subscribe, type Receiver } from '../webhooks/support';

const TOKEN = 'metrics-token-for-tests-0123456789';
let stack: Stack;
let fake: FakeOpenAI;
let worker: WorkerProcess;
let receiver: Receiver;
let workerMetrics: string;
let sdkMetrics: string;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  receiver = await startReceiver();
  stack = await startStack({ ...sharedServers(), worker: false, env: { METRICS_TOKEN: TOKEN } });
  const [port, sdkPort] = [await freePort(), await freePort()];
  workerMetrics = `http://127.0.0.1:${port}/metrics`;
  sdkMetrics = `http://127.0.0.1:${sdkPort}/metrics`;
  worker = await startWorkerProcess({ ...stack.workerEnv(), METRICS_TOKEN: TOKEN, WORKER_METRICS_PORT: String(port), TEMPORAL_SDK_METRICS_PORT: String(sdkPort) });
}, 120_000);

afterAll(async () => {
  await worker?.kill('SIGTERM');
  await stack?.close();
  await fake?.close();
  await receiver?.close();
});

/**
 * The families as typed, plus every histogram's `_count`, `_sum` and `_bucket` samples as families
 * of their own: the parser keeps a labelled histogram's labels only when it reads its samples untyped.
 */
async function scrape(url: string, token: string | null = TOKEN): Promise<PrometheusMetricFamily[]> {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  expect(res.status).toBe(200);
  const text = await res.text();
  const typed = parsePrometheusTextFormat(text);
  const histogramSamples = parsePrometheusTextFormat(text.replace(/^# TYPE \S+ histogram$/gm, '')).filter((f) => /_(count|sum|bucket)$/.test(f.name));
  return [...typed, ...histogramSamples];
}

const family = (all: PrometheusMetricFamily[], name: string) => all.find((f) => f.name === name);
/** Untyped, one histogram's samples of a name come back as several families (one per label set): all of them. */
const series = (all: PrometheusMetricFamily[], name: string, labels: Record<string, string>) =>
  all.filter((f) => f.name === name).flatMap((f) => f.metrics.filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v)));
/** A counter's value, or a histogram's number of observations (its `_count`), summed over matching series. */
const total = (all: PrometheusMetricFamily[], name: string, labels: Record<string, string>) => {
  const typed = family(all, name)?.type;
  const samples = typed === 'HISTOGRAM' ? series(all, `${name}_count`, labels) : series(all, name, labels);
  return samples.reduce((sum, m) => sum + Number(m.value ?? 0), 0);
};

describe('the API', () => {
  it('counts requests by route pattern and turns by channel, for a scraper with the token only', async () => {
    const { apiKey, conversationId, chat } = await openLlmChat(stack, `${fake.url}/v1`);
    chat.close();
    await subscribe(stack, apiKey, receiver.url, ['message.sent']);
    fake.enqueue({ content: 'Metrics are on.', usage: { promptTokens: 40, completionTokens: 6 } });
    const turn = await stack.request('POST', `/v1/conversations/${conversationId}/messages`, { apiKey, body: { text: 'are you measured?' } });
    expect(turn.status).toBe(200);

    const api = await scrape(`${stack.url}/metrics`);
    expect(total(api, 'switchboard_http_request_duration_seconds', { method: 'POST', route: '/v1/conversations/:id/messages', status_code: '200' })).toBeGreaterThanOrEqual(1);
    // Never the raw URL: one series per route, not per conversation.
    expect(series(api, 'switchboard_http_request_duration_seconds_count', {}).some((m) => m.labels?.route?.includes(conversationId))).toBe(false);
    expect(total(api, 'switchboard_turn_duration_seconds', { channel: 'webchat', outcome: 'replied' })).toBeGreaterThanOrEqual(1);
    expect(Number(family(api, 'switchboard_process_resident_memory_bytes')!.metrics[0].value)).toBeGreaterThan(10_000_000);

    expect((await fetch(`${stack.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${stack.url}/metrics`, { headers: { authorization: 'Bearer not-the-token-at-all-000000' } })).status).toBe(401);
  }, 60_000);

  it('exposes nothing when no token is configured', async () => {
    const off = await startStack({ ...sharedServers(), worker: false });
    try {
      const res = await fetch(`${off.url}/metrics`);
      expect(res.status).toBe(404);
      expect((await res.json()).error.message).toMatch(/METRICS_TOKEN/);
    } finally {
      await off.close();
    }
  });
});

describe('the worker', () => {
  it('serves model calls, webhook deliveries and queue depths on its own port, and the SDK its worker metrics', async () => {
    // The turn above: one model call, one message.sent delivered to the receiver.
    await waitUntil(() => receiver.received.length >= 1, 20_000, 'the webhook delivery');
    const ours = await scrape(workerMetrics);
    const host = new URL(fake.url).host;
    expect(total(ours, 'switchboard_llm_request_duration_seconds', { provider: host, ok: 'true' })).toBeGreaterThanOrEqual(1);
    expect(total(ours, 'switchboard_llm_tokens_total', { provider: host, kind: 'prompt' })).toBeGreaterThanOrEqual(40);
    expect(total(ours, 'switchboard_llm_tokens_total', { provider: host, kind: 'completion' })).toBeGreaterThanOrEqual(6);
    await waitUntil(async () => total(await scrape(workerMetrics), 'switchboard_webhook_deliveries_total', { outcome: 'succeeded' }) >= 1, 10_000, 'the delivery counted');
    const queues = series(ours, 'switchboard_queue_jobs', { state: 'waiting' }).map((m) => m.labels!.queue);
    expect(queues).toEqual(expect.arrayContaining([stack.workerEnv().EVENTS_QUEUE_NAME, stack.workerEnv().WEBHOOK_QUEUE_NAME, inboundQueueName({ TEMPORAL_TASK_QUEUE: stack.workerEnv().TEMPORAL_TASK_QUEUE })]));
    expect((await fetch(workerMetrics)).status).toBe(401);

    const sdk = parsePrometheusTextFormat(await (await fetch(sdkMetrics)).text());
    expect(sdk.some((f) => f.name.startsWith('temporal_'))).toBe(true);
  }, 60_000);
});

describe('the Grafana dashboard', () => {
  it('plots only metrics the API, the worker and the Temporal SDK export', async () => {
    const dashboard = JSON.parse(readFileSync(new URL('../../monitoring/grafana/dashboards/switchboard.json', import.meta.url), 'utf8')) as { panels: { title: string; targets: { expr: string }[] }[] };
    const exported = new Set([...(await scrape(`${stack.url}/metrics`)), ...(await scrape(workerMetrics)), ...parsePrometheusTextFormat(await (await fetch(sdkMetrics)).text())].map((f) => f.name));
    const plotted = dashboard.panels.flatMap((p) => p.targets.flatMap((t) => [...t.expr.matchAll(/\b(?:switchboard|temporal)_[a-z_]+/g)].map((m) => m[0])));
    expect(plotted.length).toBeGreaterThan(10);
    // A histogram is exported under its name and plotted through its _bucket/_count series.
    const missing = plotted.filter((name) => !exported.has(name) && !exported.has(name.replace(/_(bucket|count|sum)$/, '')));
    expect(missing).toEqual([]);
  });
});
