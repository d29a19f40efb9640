/**
 * Outbound webhook test rig: the real API (no Temporal worker), the event sink and the delivery
 * worker on private queues, and a local HTTP receiver whose answers each test scripts.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, inject } from 'vitest';
import { startEventSink, type StoredEvent } from '../../events/sink';
import { eventJob, type EventJob } from '../../events/queue';
import { closeQueueWorker } from '../../ingress/queue';
import { startWebhookDelivery } from '../../webhooks/worker';
import type { SystemMailer } from '../../webhooks/mailer';
import { startStack, type Stack } from '../support/stack';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  json: { id: string; type: string; createdAt: string; tenantId: string; data: Record<string, unknown> };
  at: number;
}

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
  delayMs?: number;
}

/** A receiver: `answer` decides each response (by the request and how many came before); every request is kept. */
export async function startReceiver(answer: (r: Received, n: number) => Answer = () => ({ status: 200 })) {
  const received: Received[] = [];
  let decide = answer;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const r: Received = { headers: req.headers, body, json: JSON.parse(body), at: Date.now() };
      const a = decide(r, received.length);
      received.push(r);
      if (a.delayMs) await new Promise((done) => setTimeout(done, a.delayMs));
      res.writeHead(a.status, { 'content-type': 'text/plain', ...a.headers });
      res.end(a.body ?? `status ${a.status}`);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    respond(next: typeof answer) {
      decide = next;
    },
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/**
 * Small numbers so a delivery runs out of attempts in about a second. No order settle: the order
 * tests hold a chain to its events' seq without it (the settle gives a late-stored earlier event
 * time to be fanned out before the later one's first attempt).
 */
export const FAST_RETRIES = {
  WEBHOOK_MAX_ATTEMPTS: '3',
  WEBHOOK_BACKOFF_BASE_MS: '100',
  WEBHOOK_BACKOFF_CAP_MS: '200',
  WEBHOOK_ORDER_SETTLE_MS: '0',
  WEBHOOK_DISABLE_AFTER_DEAD: '2',
};

export interface Rig {
  stack: Stack;
  /** Queues a platform event as emitEvent does; the sink stores it and fans it out. */
  emit(tenantId: string, type: string, data?: Record<string, unknown>, occurredAt?: Date): Promise<void>;
  /** Fans stored events out in one call, as the message activity does after storing them. */
  fanOutMany(events: StoredEvent[]): Promise<void>;
  close(): Promise<void>;
}

export async function startRig(opts: { env?: Record<string, string>; mailer?: SystemMailer | null } = {}): Promise<Rig> {
  const suffix = randomBytes(4).toString('hex');
  const stack = await startStack({
    temporalAddress: inject('temporalAddress'),
    databaseUrl: inject('databaseUrl'),
    redisUrl: inject('redisUrl'),
    worker: false,
    env: { WEBHOOK_QUEUE_NAME: `webhooks-test-${suffix}`, ...FAST_RETRIES, ...opts.env },
  });
  const redis = () => new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
  const [sinkRedis, hookRedis, queueRedis] = [redis(), redis(), redis()];
  const eventsQueueName = `events-webhooks-${suffix}`;
  const events = new Queue<EventJob>(eventsQueueName, { connection: queueRedis });
  const webhooks = startWebhookDelivery({ connection: hookRedis, orm: stack.orm, config: stack.config, mailer: opts.mailer, log: () => undefined });
  const sink = startEventSink({ connection: sinkRedis, orm: stack.orm, queue: eventsQueueName, afterStore: webhooks.fanOut });
  return {
    stack,
    async emit(tenantId, type, data = {}, occurredAt = new Date()) {
      await events.add(type, eventJob({ tenantId, type, workflowId: `conv:${tenantId}:test`, data }, occurredAt), { jobId: randomUUID(), attempts: 5, backoff: { type: 'fixed', delay: 200 } });
    },
    fanOutMany: (stored) => webhooks.fanOutMany(stored),
    async close() {
      await closeQueueWorker(sink);
      await webhooks.close(closeQueueWorker);
      await events.obliterate({ force: true }).catch(() => undefined);
      await events.close();
      await stack.close();
      await Promise.allSettled([sinkRedis.quit(), hookRedis.quit(), queueRedis.quit()]);
    },
  };
}

/** Creates a subscription through the API; answers its id and secret. */
export async function subscribe(stack: Stack, apiKey: string, url: string, eventTypes: string[] = ['*']): Promise<{ id: string; secret: string }> {
  const res = await stack.request('POST', '/v1/webhooks/subscriptions', { apiKey, body: { url, eventTypes } });
  if (res.status !== 201) throw new Error(`subscribe failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id, secret: res.body.secret };
}

/** A rig and an always-200 receiver for the whole file (started in beforeAll, closed in afterAll). */
export function rigForFile(): { readonly rig: Rig; readonly receiver: Receiver } {
  const state = {} as { rig: Rig; receiver: Receiver };
  beforeAll(async () => {
    state.rig = await startRig();
    state.receiver = await startReceiver();
  });
  afterAll(async () => {
    await state.rig?.close();
    await state.receiver?.close();
  });
  return state;
}
