/** API process entrypoint: connects to Postgres, Redis and Temporal, then serves on PORT. */
import { Client } from '@temporalio/client';
import { Redis } from 'ioredis';
import { loadConfig } from '../core/config';
import { createOrm } from '../db/orm';
import { parseSecretKey } from '../db/secrets';
import { chatTokenKey } from './services/chat-token';
import { buildApp } from './app';
import { WorkflowGateway } from '../temporal/clients';
import { connectTemporal } from '../temporal/connection';
import { temporalClientInterceptors } from '../telemetry/temporal';
import { startTelemetry } from '../telemetry/tracing';

const config = loadConfig();
if (!config.DATABASE_URL) throw new Error('DATABASE_URL is not set (npm start sets it for the embedded database)');
if (!config.SWITCHBOARD_SECRET_KEY) throw new Error('SWITCHBOARD_SECRET_KEY is not set (npm start generates one under DATA_DIR)');

// Traces when OTEL_EXPORTER_OTLP_ENDPOINT is set (null otherwise): before the clients that carry them.
const telemetry = startTelemetry(config, 'api');
const orm = await createOrm(config.DATABASE_URL);
const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3 });
const connection = await connectTemporal(config.TEMPORAL_ADDRESS);
const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, interceptors: temporalClientInterceptors(telemetry) });
const app = await buildApp({
  config,
  orm,
  redis,
  createSubscriber: () => new Redis(config.REDIS_URL),
  temporal,
  workflows: new WorkflowGateway(temporal, config.TEMPORAL_TASK_QUEUE, { calendarSyncSeconds: config.CALENDAR_SYNC_SECONDS }),
  secretKey: chatTokenKey(parseSecretKey(config.SWITCHBOARD_SECRET_KEY)),
});

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down');
  await app.close();
  await telemetry?.shutdown();
  await Promise.allSettled([orm.close(), redis.quit(), connection.close()]);
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

await app.listen({ port: config.PORT, host: config.HOST });
