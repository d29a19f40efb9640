/**
 * The whole platform in-process for integration tests and benchmarks: the real API (listening on
 * a loopback port) and, optionally, a real worker with the real activities — against the Temporal
 * server, PostgreSQL and Redis the caller points it at.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { Redis } from 'ioredis';
import { loadConfig, type Config } from '../../core/config';
import { createActivities } from '../../activities';
import { createEventsQueue } from '../../events/queue';
import { buildApp } from '../../api/app';
import { chatTokenKey } from '../../api/services/chat-token';
import { WorkflowGateway } from '../../temporal/clients';
import { connectTemporal } from '../../temporal/connection';
import { createOrm, systemEm, tenantEm, type Orm } from '../../db/orm';
import { createApiKey, ensureTenant, updateTenantSettings } from '../../db/repos';
import { parseSecretKey, secretBoxFromConfig } from '../../db/secrets';
import { createWorker } from '../../worker/create';
import { temporalClientInterceptors } from '../../telemetry/temporal';
import { startTelemetry, type Telemetry } from '../../telemetry/tracing';

export interface StackOptions {
  temporalAddress: string;
  databaseUrl: string;
  redisUrl: string;
  /** Run an in-process worker (default true). */
  worker?: boolean;
  taskQueue?: string;
  env?: Record<string, string>;
  /** A prebuilt workflow bundle for the worker; unset: it bundles the code itself (once per process). */
  workflowBundlePath?: string;
}

export interface Stack {
  url: string;
  /** The API itself (its route table, for the security tests). */
  app: Awaited<ReturnType<typeof buildApp>>;
  config: Config;
  orm: Orm;
  temporal: Client;
  worker: Worker | null;
  /** Tracing, when `env` configures an OTLP endpoint (the API and the in-process worker share it). */
  telemetry: Telemetry | null;
  /** CLIENT SETNAME of the API's Redis subscriber connections (CLIENT LIST shows them). */
  subscriberName: string;
  /** A new tenant with its own API key; `llm` points it at an OpenAI-compatible server. */
  createTenant(opts?: { llm?: { baseURL: string; apiKey?: string; model?: string } }): Promise<{ tenantId: string; apiKey: string }>;
  /** Environment for a worker process (test/support/worker-process.ts) serving this stack. */
  workerEnv(): Record<string, string>;
  /** JSON request against the API; returns status and parsed body. */
  request<T = any>(method: string, path: string, opts?: { apiKey?: string; body?: unknown }): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  const taskQueue = opts.taskQueue ?? `it-${randomBytes(4).toString('hex')}`;
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: opts.databaseUrl,
    REDIS_URL: opts.redisUrl,
    TEMPORAL_ADDRESS: opts.temporalAddress,
    TEMPORAL_TASK_QUEUE: taskQueue,
    SWITCHBOARD_SECRET_KEY: process.env.SWITCHBOARD_SECRET_KEY ?? randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
    PORT: '0',
    // Off unless a test sets them: every run on the machine shares one Redis and calls from 127.0.0.1,
    // so one test's failed keys would throttle another's, and benchmarks would measure the limiter.
    API_RATE_LIMIT: '0',
    AUTH_FAILURE_LIMIT: '0',
    // Its own delivery queue: another test file's worker would take this stack's deliveries and
    // fail them, since it cannot decrypt this stack's signing secrets (a different secret key).
    WEBHOOK_QUEUE_NAME: `webhook-deliveries-${taskQueue}`,
    // Its own events queue, for the same reason: another stack's sink would store this stack's
    // events in its own database, or fail them on the tenant's foreign key and retry them.
    EVENTS_QUEUE_NAME: `events-${taskQueue}`,
    ...opts.env,
  });
  const telemetry = startTelemetry(config, 'api');
  const orm = await createOrm(opts.databaseUrl);
  const redis = new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
  const subscribers: Redis[] = [];
  const subscriberName = `live-${taskQueue}`;
  const connection = await connectTemporal(opts.temporalAddress);
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, interceptors: temporalClientInterceptors(telemetry) });
  const eventsQueue = createEventsQueue(redis, config.EVENTS_QUEUE_NAME);

  let worker: Worker | null = null;
  let workerRun: Promise<void> | null = null;
  let workerConnection: { close(): Promise<void> } | null = null;
  if (opts.worker !== false) {
    const created = await createWorker({
      address: opts.temporalAddress,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue,
      // This worker runs no sink, webhook delivery or labelling: events are stored, not fanned out.
      activities: createActivities({ orm, redis, eventsQueue, config, afterEventsStored: async () => {} }),
      telemetry,
      workflowBundlePath: opts.workflowBundlePath,
    });
    worker = created.worker;
    workerConnection = created.connection;
    workerRun = worker.run();
  }

  const app = await buildApp(
    {
      config,
      orm,
      redis,
      createSubscriber: () => {
        const sub = new Redis(opts.redisUrl, { connectionName: subscriberName });
        subscribers.push(sub);
        return sub;
      },
      temporal,
      workflows: new WorkflowGateway(temporal, taskQueue, { calendarSyncSeconds: config.CALENDAR_SYNC_SECONDS }),
      secretKey: chatTokenKey(parseSecretKey(config.SWITCHBOARD_SECRET_KEY!)),
    },
    { logger: process.env.TEST_API_LOG ? { level: process.env.TEST_API_LOG } : false },
  );
  // PORT 0 unless a test needs a known address (its PUBLIC_URL, for signed media URLs a fake provider fetches).
  await app.listen({ port: config.PORT, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const box = secretBoxFromConfig(config);

  return {
    url,
    app,
    config,
    orm,
    temporal,
    worker,
    telemetry,
    subscriberName,
    async createTenant(tenantOpts = {}) {
      const slug = `t-${randomBytes(6).toString('hex')}`;
      const tenant = await ensureTenant(systemEm(orm), slug, `Tenant ${slug}`);
      const em = tenantEm(orm, tenant.id);
      const { key } = await createApiKey(em, tenant.id, 'test');
      if (tenantOpts.llm) {
        await updateTenantSettings(systemEm(orm), tenant.id, {
          llm: {
            baseURL: tenantOpts.llm.baseURL,
            model: tenantOpts.llm.model ?? 'gpt-test',
            apiKeyEncrypted: box.encrypt(tenantOpts.llm.apiKey ?? 'sk-test'),
            pricing: { inputPer1M: 0.15, outputPer1M: 0.6 },
          },
        });
      }
      return { tenantId: tenant.id, apiKey: key };
    },
    workerEnv: () => ({
      DATABASE_URL: opts.databaseUrl,
      REDIS_URL: config.REDIS_URL,
      TEMPORAL_ADDRESS: opts.temporalAddress,
      TEMPORAL_TASK_QUEUE: taskQueue,
      SWITCHBOARD_SECRET_KEY: config.SWITCHBOARD_SECRET_KEY!,
      OUTBOUND_ALLOWED_PRIVATE: config.OUTBOUND_ALLOWED_PRIVATE.join(','),
      // Its own labelling queue: worker processes of other test files share this Redis and would
      // otherwise label this stack's conversations with this stack's model (and the reverse).
      LABELS_QUEUE_NAME: `labels-${taskQueue}`,
      WEBHOOK_QUEUE_NAME: config.WEBHOOK_QUEUE_NAME,
      EVENTS_QUEUE_NAME: config.EVENTS_QUEUE_NAME,
      // Links the worker signs (media-store URLs Twilio fetches) must name the API the stack serves.
      ...(config.PUBLIC_URL ? { PUBLIC_URL: config.PUBLIC_URL } : {}),
      LOG_LEVEL: 'warn',
    }),
    async request(method, path, reqOpts = {}) {
      const res = await fetch(url + path, {
        method,
        headers: {
          ...(reqOpts.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(reqOpts.apiKey ? { authorization: `Bearer ${reqOpts.apiKey}` } : {}),
        },
        body: reqOpts.body !== undefined ? JSON.stringify(reqOpts.body) : undefined,
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    async close() {
      await app.close();
      if (worker) {
        worker.shutdown();
        await workerRun;
        await workerConnection!.close();
      }
      await Promise.allSettled([...subscribers.map((s) => s.quit()), eventsQueue.close(), connection.close()]);
      await redis.quit();
      await orm.close();
      await telemetry?.shutdown();
    },
  };
}
