/**
 * Worker process entrypoint: runs workflows and activities on the task queue, plus the event sink
 * with outbound webhook delivery after it, and the dispatch of recorded channel webhooks (queue +
 * sweeper) to conversation workflows.
 */
import { Client } from '@temporalio/client';
import { Runtime } from '@temporalio/worker';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { loadConfig } from '../core/config';
import { createActivities } from '../activities';
import { createEventsQueue } from '../events/queue';
import { startEventSink, type StoredEvent } from '../events/sink';
import type { EnabledSubscription } from '../db/repos/webhooks';
import { startWebhookDelivery } from '../webhooks/worker';
import { closeQueueWorker, createInboundQueue, enqueueInbound, startInboundProcessing } from '../ingress/queue';
import { resumeCalendarSyncs, resumeImapPolls } from '../ingress/resume-loops';
import { createOrm } from '../db/orm';
import { watchQueues } from '../metrics';
import { startMetricsServer } from '../metrics/server';
import { createWorker } from './create';
import { startAnalyticsRollups } from './analytics';
import { ensurePresenceSchedules, ensureReportAndAlertSchedules } from './schedules';
import { startQuotaUpkeep } from './quotas';
import { startLabelling } from './labels';
import { temporalPinoLogger, traceLogFields } from '../telemetry/log';
import { temporalClientInterceptors } from '../telemetry/temporal';
import { startTelemetry } from '../telemetry/tracing';
import { RetentionClient } from '../temporal/retention';
import { lazyTemporalConnection } from '../temporal/connection';
import { lowerProcessPriority } from './priority';

const config = loadConfig();
if (config.WORKER_NICE > 0) lowerProcessPriority(config.WORKER_NICE);
// Traces when OTEL_EXPORTER_OTLP_ENDPOINT is set (null otherwise); logs are pino lines with the active span's ids.
const telemetry = startTelemetry(config, 'worker');
const logger = temporalPinoLogger(pino({ level: config.LOG_LEVEL, mixin: traceLogFields }));
// Before any connection or worker exists: the SDK's runtime is created once, with its telemetry.
Runtime.install({
  logger,
  ...(config.TEMPORAL_SDK_METRICS_PORT ? { telemetryOptions: { metrics: { prometheus: { bindAddress: `${config.WORKER_METRICS_HOST}:${config.TEMPORAL_SDK_METRICS_PORT}` } } } } : {}),
});
if (!config.DATABASE_URL) throw new Error('DATABASE_URL is not set (npm start sets it for the embedded database)');

const orm = await createOrm(config.DATABASE_URL);
const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
const eventsQueue = createEventsQueue(redis, config.EVENTS_QUEUE_NAME);
// IMAP polls record mail in activities and queue it for dispatch, as the webhook route does.
const inboundQueue = createInboundQueue(redis, config);
// BullMQ never closes a connection it was handed: keep it to close on shutdown.
const sinkRedis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
const webhookRedis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
const webhooks = startWebhookDelivery({ connection: webhookRedis, orm, config });
const labelsRedis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
const labels = startLabelling({ connection: labelsRedis, orm, config, eventsQueue });
/** After events are stored, by the sink (a queued event) or by the activity that stored them with their data (a message's). */
async function afterEventsStored(events: StoredEvent[], subscriptions?: EnabledSubscription[]): Promise<void> {
  await webhooks.fanOutMany(events, subscriptions);
  for (const event of events) await labels.schedule(event);
}
const sink = startEventSink({ connection: sinkRedis, orm, queue: config.EVENTS_QUEUE_NAME, afterStore: (event) => afterEventsStored([event]) });
const analyticsRedis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
const analytics = await startAnalyticsRollups({ connection: analyticsRedis, orm, config });
// Quota usage into PostgreSQL and the 80 %/100 % notices.
const quotaUpkeep = startQuotaUpkeep({ orm, redis, config, eventsQueue });
watchQueues([eventsQueue, inboundQueue, webhooks.queue, analytics.queue, labels.queue]);
const metricsServer =
  config.WORKER_METRICS_PORT === undefined ? null : await startMetricsServer({ port: config.WORKER_METRICS_PORT, host: config.WORKER_METRICS_HOST, token: config.METRICS_TOKEN });
if (metricsServer) console.log(`worker metrics on http://${config.WORKER_METRICS_HOST}:${metricsServer.port}/metrics`);

const { worker, connection } = await createWorker({
  address: config.TEMPORAL_ADDRESS,
  namespace: config.TEMPORAL_NAMESPACE,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  activities: createActivities({
    orm,
    redis,
    eventsQueue,
    config,
    enqueueInbound: (ids) => enqueueInbound(inboundQueue, ids),
    afterEventsStored,
  }),
  maxConcurrentActivityTaskExecutions: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
  workflowTaskSlots: { total: config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS, cold: config.WORKER_MAX_COLD_WORKFLOW_TASKS },
  workflowTaskPolls: config.WORKER_WORKFLOW_TASK_POLLS,
  workflowBundlePath: config.WORKFLOW_BUNDLE_PATH,
  shutdownGraceMs: config.WORKER_SHUTDOWN_GRACE_MS,
  stickyTimeoutMs: config.WORKER_STICKY_TIMEOUT_MS,
  telemetry,
});
// Lazy: a Temporal that is briefly away delays dispatch (rows stay pending), it does not stop the worker.
const clientConnection = lazyTemporalConnection(config.TEMPORAL_ADDRESS);
const temporalClient = new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE, interceptors: temporalClientInterceptors(telemetry) });
const inbound = startInboundProcessing({ orm, config, temporal: temporalClient });
// Not awaited: the worker serves its task queue at once; a Temporal still away is retried by the next start.
resumeImapPolls(orm, temporalClient, config.TEMPORAL_TASK_QUEUE).catch((err) => console.warn(`IMAP polls not resumed: ${(err as Error).message}`));
resumeCalendarSyncs(orm, temporalClient, config.TEMPORAL_TASK_QUEUE, config.CALENDAR_SYNC_SECONDS).catch((err) => console.warn(`calendar syncs not resumed: ${(err as Error).message}`));
ensureReportAndAlertSchedules({ orm, client: temporalClient, config }).catch((err) => console.warn(`report and alert schedules not ensured: ${(err as Error).message}`));
ensurePresenceSchedules({ orm, client: temporalClient, config }).catch((err) => console.warn(`re-audit schedules not ensured: ${(err as Error).message}`));
new RetentionClient(temporalClient, config.TEMPORAL_TASK_QUEUE).ensureSchedule(config.RETENTION_HOUR_UTC).catch((err) => console.warn(`retention schedule not set: ${(err as Error).message}`));

// Worker.run() installs its own SIGINT/SIGTERM handling: it stops polling, lets in-flight
// activities finish within WORKER_SHUTDOWN_GRACE_MS, then resolves.
console.log(`worker ready on task queue ${config.TEMPORAL_TASK_QUEUE}`);
await worker.run();
await inbound.close();
await metricsServer?.close();
await closeQueueWorker(sink);
await webhooks.close(closeQueueWorker);
await analytics.close(closeQueueWorker);
await quotaUpkeep.close();
await labels.close(closeQueueWorker);
await eventsQueue.close();
await inboundQueue.close();
await telemetry?.shutdown();
await Promise.allSettled([sinkRedis.quit(), webhookRedis.quit(), analyticsRedis.quit(), labelsRedis.quit(), redis.quit(), orm.close(), connection.close(), clientConnection.close()]);
console.log('worker stopped');
