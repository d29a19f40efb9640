/**
 * Prometheus metrics of one process (prom-client), declared once: the API records HTTP requests
 * and turns, the worker channel sends, model calls, webhook deliveries and queue depths. Each
 * process serves only what it records (plus Node's process metrics); the Temporal SDK's worker
 * metrics come from its own runtime endpoint (worker/main.ts, TEMPORAL_SDK_METRICS_PORT).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'switchboard_' });

/** Seconds: fast API answers to slow model turns. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export const httpDuration = new Histogram({
  name: 'switchboard_http_request_duration_seconds',
  help: 'API requests by method, route pattern and status code',
  labelNames: ['method', 'route', 'status_code'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

export const turnDuration = new Histogram({
  name: 'switchboard_turn_duration_seconds',
  help: 'Synchronous conversation turns (web chat, API) from the update to the reply, by channel and outcome',
  labelNames: ['channel', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

export const channelSends = new Counter({
  name: 'switchboard_channel_sends_total',
  help: 'Outbound channel messages by channel type and outcome (sent, failed, retry)',
  labelNames: ['channel', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const llmDuration = new Histogram({
  name: 'switchboard_llm_request_duration_seconds',
  help: 'Model calls by provider host, model and whether they succeeded',
  labelNames: ['provider', 'model', 'ok'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

export const llmTokens = new Counter({
  name: 'switchboard_llm_tokens_total',
  help: 'Model tokens by provider host, model and kind (prompt, completion)',
  labelNames: ['provider', 'model', 'kind'] as const,
  registers: [metricsRegistry],
});

export const webhookDeliveries = new Counter({
  name: 'switchboard_webhook_deliveries_total',
  help: 'Outbound webhook delivery attempts by outcome (succeeded, retry, dead)',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

export const webhookLatency = new Histogram({
  name: 'switchboard_webhook_attempt_duration_seconds',
  help: 'Outbound webhook attempts, from the request to the answer or the timeout',
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

export const quotaRefusals = new Counter({
  name: 'switchboard_quota_refusals_total',
  help: 'Calls held back by a tenant quota, by quota (messages refused or held, model calls answered offline, campaign pages deferred, uploads refused)',
  labelNames: ['quota'] as const,
  registers: [metricsRegistry],
});

/** What a queue depth gauge reads on each scrape: BullMQ's `Queue.getJobCounts`. */
export interface CountableQueue {
  name: string;
  getJobCounts(...types: string[]): Promise<Record<string, number>>;
}

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/** Queue depths read from Redis when scraped (never cached: a scrape shows the backlog now). */
export function watchQueues(queues: CountableQueue[]): void {
  metricsRegistry.removeSingleMetric('switchboard_queue_jobs');
  new Gauge({
    name: 'switchboard_queue_jobs',
    help: 'BullMQ jobs by queue and state, read at scrape time',
    labelNames: ['queue', 'state'] as const,
    registers: [metricsRegistry],
    async collect() {
      this.reset();
      for (const q of queues) {
        const counts = await q.getJobCounts(...QUEUE_STATES).catch(() => null);
        if (counts) for (const state of QUEUE_STATES) this.set({ queue: q.name, state }, counts[state] ?? 0);
      }
    },
  });
}

export const METRICS_CONTENT_TYPE = metricsRegistry.contentType;
export const renderMetrics = () => metricsRegistry.metrics();
