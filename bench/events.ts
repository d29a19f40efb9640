/**
 * Outbound webhooks under load: platform events queued at a target rate (open loop) go through the
 * events queue, the sink and the delivery worker — the worker process's own code, in this process —
 * to several subscriptions on a local receiver that answers a share of requests with 500. Then it
 * drains, and checks by delivery id that every delivery arrived, none twice. Prints and writes
 * bench/results/events.json: events/s queued and stored, deliveries/s, first-success latency
 * (event time → the receiver's 2xx) p50/p95/p99, attempts, lost and duplicated.
 *
 *   npm run bench:events [-- --rate 2000 --seconds 10 --subscriptions 5 --fail 0.1 --ordered 0.5 --conversations 200]
 *
 * `--ordered` is the share of events that belong to a conversation (delivered in order per
 * conversation and subscription); the rest (runs, documents) are not ordered.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig } from '../core/config';
import { systemEm, createOrm, tenantEm } from '../db/orm';
import { createWebhookSubscription, ensureTenant } from '../db/repos';
import { secretBoxFromConfig } from '../db/secrets';
import { eventJob, type EventJob } from '../events/queue';
import { startEventSink } from '../events/sink';
import { closeQueueWorker } from '../ingress/queue';
import { startWebhookDelivery } from '../webhooks/worker';
import { createScratchDatabase, DEFAULT_ADMIN_URL } from '../test/support/database';
import { summarize, writeResult } from './stats';

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '10' },
    subscriptions: { type: 'string', default: '5' },
    fail: { type: 'string', default: '0.1' },
    ordered: { type: 'string', default: '0.5' },
    conversations: { type: 'string', default: '200' },
    'drain-timeout': { type: 'string', default: '600' },
  },
});
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const subscriptionCount = Number(values.subscriptions);
const failShare = Number(values.fail);
const orderedShare = Number(values.ordered);
const conversations = Array.from({ length: Number(values.conversations) }, () => randomUUID());
const out = fileURLToPath(new URL('./results/events.json', import.meta.url));
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The receiver: answers `failShare` of requests 500 at random, the rest 204, and keeps what it accepted per delivery id. */
async function startReceiver() {
  const accepted = new Map<string, { count: number; at: number; eventAt: number }>();
  /** Per subscription and conversation, the event numbers in the order they were accepted. */
  const sequences = new Map<string, number[]>();
  let requests = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests++;
      if (Math.random() < failShare) {
        res.writeHead(500).end('scripted failure');
        return;
      }
      const id = String(req.headers['switchboard-delivery-id']);
      const seen = accepted.get(id);
      if (seen) seen.count++;
      else {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { createdAt: string; data: { conversationId?: string; n: number } };
        accepted.set(id, { count: 1, at: Date.now(), eventAt: Date.parse(body.createdAt) });
        if (body.data.conversationId) {
          const key = `${req.url}|${body.data.conversationId}`;
          sequences.set(key, [...(sequences.get(key) ?? []), body.data.n]);
        }
      }
      res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    accepted,
    sequences,
    requests: () => requests,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

const scratch = await createScratchDatabase(DEFAULT_ADMIN_URL, 'bench_events');
const suffix = randomBytes(4).toString('hex');
const config = loadConfig({
  ...process.env,
  DATABASE_URL: scratch.url,
  REDIS_URL: redisUrl,
  SWITCHBOARD_SECRET_KEY: randomBytes(32).toString('hex'),
  OUTBOUND_ALLOWED_PRIVATE: '127.0.0.1',
  WEBHOOK_QUEUE_NAME: `bench-webhooks-${suffix}`,
  // Retries within the run: a failed attempt is tried again after at most 2 s.
  WEBHOOK_BACKOFF_BASE_MS: '200',
  WEBHOOK_BACKOFF_CAP_MS: '2000',
  // One sink: order comes from its per-conversation serializer, no settle needed.
  WEBHOOK_ORDER_SETTLE_MS: '0',
  WEBHOOK_CONCURRENCY: process.env.WEBHOOK_CONCURRENCY ?? '50',
});
const orm = await createOrm(scratch.url);
const receiver = await startReceiver();
const tenant = await ensureTenant(systemEm(orm), `bench-${suffix}`, 'Events benchmark');
const box = secretBoxFromConfig(config);
for (let i = 0; i < subscriptionCount; i++) {
  // The query tells the receiver which subscription a request is for (order is per subscription).
  await createWebhookSubscription(tenantEm(orm, tenant.id), tenant.id, { url: `${receiver.url}?s=${i}`, eventTypes: ['*'], description: `bench ${i}`, enabled: true, secretEncrypted: box.encrypt(randomBytes(24).toString('hex')) });
}

const connection = () => new Redis(redisUrl, { maxRetriesPerRequest: null });
const [queueRedis, sinkRedis, hookRedis] = [connection(), connection(), connection()];
const eventsQueueName = `bench-events-${suffix}`;
const events = new Queue<EventJob>(eventsQueueName, { connection: queueRedis });
const webhooks = startWebhookDelivery({ connection: hookRedis, orm, config, mailer: null, log: () => undefined, sweepEveryMs: 5_000 });
let stored = 0;
const sink = startEventSink({
  connection: sinkRedis,
  orm,
  queue: eventsQueueName,
  concurrency: 20,
  afterStore: async (e) => {
    stored++;
    await webhooks.fanOut(e);
  },
});

// Open loop: every 10 ms the events due by then are queued in one addBulk, whatever the backlog.
const total = Math.round(rate * seconds);
const started = Date.now();
let queued = 0;
while (queued < total) {
  const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * rate));
  if (due > queued) {
    const batch = Array.from({ length: due - queued }, (_, i) => {
      const n = queued + i;
      const ordered = (n % 100) / 100 < orderedShare;
      const type = ordered ? 'message.sent' : 'run.completed';
      const data = ordered ? { conversationId: conversations[n % conversations.length], n } : { n };
      return { name: type, data: eventJob({ tenantId: tenant.id, type, workflowId: `bench:${n}`, data }), opts: { jobId: `e${n}`, removeOnComplete: true } };
    });
    await events.addBulk(batch);
    queued = due;
  }
  await new Promise((done) => setTimeout(done, 10));
}
const queueSeconds = (Date.now() - started) / 1000;
console.log(`queued ${queued} events in ${queueSeconds.toFixed(1)} s (${Math.round(queued / queueSeconds)}/s)`);

const expected = total * subscriptionCount;
const deadline = Date.now() + Number(values['drain-timeout']) * 1000;
let lastReport = 0;
while (receiver.accepted.size < expected && Date.now() < deadline) {
  if (Date.now() - lastReport > 5_000) {
    lastReport = Date.now();
    console.log(`  ${receiver.accepted.size} / ${expected} deliveries accepted, ${stored} events stored, ${receiver.requests()} requests`);
  }
  await new Promise((done) => setTimeout(done, 200));
}
const elapsed = (Date.now() - started) / 1000;
// Anything still in flight would show as a duplicate in a moment: wait, then count.
await new Promise((done) => setTimeout(done, 2_000));

const records = [...receiver.accepted.values()];
// A conversation's events reach each subscription in the order they happened.
const outOfOrder = [...receiver.sequences.values()].reduce((n, seq) => n + seq.filter((v, i) => i > 0 && v < seq[i - 1]).length, 0);
const duplicates = records.reduce((n, r) => n + (r.count - 1), 0);
const latency = summarize(records.map((r) => r.at - r.eventAt));
const deliveriesPerSecond = records.length / ((Math.max(...records.map((r) => r.at)) - started) / 1000);
const result = {
  at: new Date().toISOString(),
  settings: { rate, seconds, subscriptions: subscriptionCount, failShare, orderedShare, conversations: conversations.length, webhookConcurrency: config.WEBHOOK_CONCURRENCY },
  events: { queued, queuedPerSecond: Math.round(queued / queueSeconds), stored },
  deliveries: { expected, accepted: records.length, lost: expected - records.length, duplicates, outOfOrder, perSecond: Math.round(deliveriesPerSecond), requests: receiver.requests(), attemptsPerDelivery: Math.round((receiver.requests() / Math.max(1, records.length)) * 100) / 100 },
  latencyMs: latency,
  elapsedSeconds: Math.round(elapsed),
};
console.log(JSON.stringify(result, null, 2));
writeResult(out, result);

await closeQueueWorker(sink);
await webhooks.queue.obliterate({ force: true }).catch(() => undefined);
await webhooks.close(closeQueueWorker);
await events.obliterate({ force: true }).catch(() => undefined);
await events.close();
await receiver.close();
await orm.close(true);
await Promise.allSettled([queueRedis.quit(), sinkRedis.quit(), hookRedis.quit()]);
await scratch.drop();
process.exit(result.deliveries.lost === 0 && duplicates === 0 && outOfOrder === 0 ? 0 : 1);
