/**
 * The one place that reads the environment (DESIGN.md §6). Defaults are the embedded mode.
 * `loadConfig(env)` is pure so tests can build configs without touching process.env.
 */
import { z } from 'zod';

const splitCsv = (s: string | undefined) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : []);
const csv = z.string().optional().transform(splitCsv);
/** A list with a default; set it to "" for an empty list. */
const csvOr = (fallback: string) => z.string().default(fallback).transform(splitCsv);
/** `k=v,k2=v2` (OTLP's header list, values percent-encoded) → a record; entries without a key are dropped. */
const keyValues = (pairs: string[]): Record<string, string> =>
  Object.fromEntries(pairs.map((p) => p.split(/=(.*)/s, 2)).filter(([k, v]) => k.trim() && v !== undefined).map(([k, v]) => [k.trim(), decodeURIComponent(v.trim())]));
/** Compose passes an unset `${VAR:-}` as "": for an optional setting that means unset. */
const unsetIfEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema);

const envSchema = z.object({
  NODE_ENV: z.string().default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Address the API listens on: loopback unless set (containers set 0.0.0.0). */
  HOST: z.string().default('127.0.0.1'),
  /**
   * Proxies in front of the API whose X-Forwarded-For/-Proto to believe (Fastify's `trustProxy`):
   * `true`, a hop count, or addresses/CIDRs (`10.0.0.0/8,127.0.0.1`). Unset: none, so `request.ip`
   * is the peer and the session cookie is `Secure` only on a direct TLS connection.
   */
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((s): boolean | number | string[] => {
      const v = s?.trim() ?? '';
      if (v === '' || v === 'false') return false;
      if (v === 'true') return true;
      if (/^\d+$/.test(v)) return Number(v);
      return v.split(',').map((x) => x.trim()).filter(Boolean);
    }),
  /** Requests a minute each API key or signed-in user may make to the authenticated API; 0 turns it off. */
  API_RATE_LIMIT: z.coerce.number().int().min(0).default(3000),
  /** Failed credentials (unknown API keys, dead session cookies) per client address in 10 minutes before it gets 429s; 0 turns it off. */
  AUTH_FAILURE_LIMIT: z.coerce.number().int().min(0).default(100),
  /** Absolute lifetime of a console session in hours, however active it stays (the 12-hour idle expiry slides within it). */
  SESSION_MAX_HOURS: z.coerce.number().positive().max(24 * 90).default(24),
  /** Public base URL printed and used in links; defaults to http://localhost:PORT. */
  PUBLIC_URL: z.string().url().optional(),
  /** Unset → embedded PGlite (started by `npm start`). */
  DATABASE_URL: z.string().optional(),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('switchboard'),
  /** Ports of the Temporal dev server `npm start` runs (frontend, web UI). */
  TEMPORAL_PORT: z.coerce.number().int().min(1).max(65535).default(7233),
  TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233),
  /** Scheduling priority (nice, 0–19) of the Temporal dev server `npm start` runs (scripts/priorities.ts). */
  TEMPORAL_NICE: z.coerce.number().int().min(0).max(19).default(10),
  /** Port of the embedded PGlite server `npm start` runs when DATABASE_URL is unset. */
  PGLITE_PORT: z.coerce.number().int().min(0).max(65535).default(54329),
  /**
   * The embedded database runs as one backend with no background checkpointer, so without an explicit
   * CHECKPOINT a killed server replays every write since it started (15 s after 60 MB of writes).
   * 0 turns the periodic checkpoint off.
   */
  PGLITE_CHECKPOINT_SECONDS: z.coerce.number().min(0).max(3600).default(10),
  /**
   * The embedded database's buffer cache. PGlite's WASM Postgres touches all of shared_buffers at
   * start, so initdb's 128MB was 128 MB of resident memory for a database of tens of MB; pages
   * beyond the cache are read from the data directory through the OS page cache.
   */
  PGLITE_SHARED_BUFFERS: z
    .string()
    .regex(/^\d+(kB|MB|GB)$/, 'a size such as 32MB (kB, MB or GB)')
    .default('32MB'),
  DATA_DIR: z.string().default('.data'),
  /** Set by `npm start`: the workflow bundle it built (worker/bundle.ts), so a restarted worker skips webpack. */
  WORKFLOW_BUNDLE_PATH: z.string().optional(),
  /** Set by `npm start`: where its supervisor writes each part's state, shown by `GET /health`. */
  SUPERVISOR_STATE_FILE: z.string().optional(),
  LOG_LEVEL: z.string().default('info'),
  /** 32-byte key (hex or base64) for secrets at rest and chat tokens; embedded mode generates one under DATA_DIR. */
  SWITCHBOARD_SECRET_KEY: z.string().optional(),
  /** Key rotation: the version name of SWITCHBOARD_SECRET_KEY, and older keys (`v1:<key>,…`) that still decrypt. */
  SWITCHBOARD_SECRET_KEY_VERSION: z.string().regex(/^v\d+$/, 'must look like v2').default('v1'),
  SWITCHBOARD_PREVIOUS_SECRET_KEYS: csv,
  SWITCHBOARD_DEMO_API_KEY: z.string().optional(),
  /** Password of the demo console user admin@demo.local; generated once into DATA_DIR when unset. */
  SWITCHBOARD_DEMO_PASSWORD: z.string().min(10, 'SWITCHBOARD_DEMO_PASSWORD must be at least 10 characters').optional(),
  /** Hosts httpRequest nodes and LLM tools may call, for every tenant (tenants add their own). `*` allows all. */
  HTTP_ALLOWED_HOSTS: csv,
  /**
   * Every outbound connection (flows, URL ingestion, model providers, channel providers, SMTP)
   * refuses private, loopback, link-local, CGNAT, multicast and cloud-metadata addresses
   * (net/address-policy.ts). Entries here may be private anyway: CIDRs or addresses
   * (`10.0.0.0/8`, `127.0.0.1`), host names or `*.suffix` (`ollama.internal`), e.g. a local Ollama.
   */
  OUTBOUND_ALLOWED_PRIVATE: csv,
  /** Hosts inbound attachment URLs may name, per provider (`*.suffix` for subdomains); redirects are address-checked like any fetch. */
  MESSENGER_MEDIA_HOSTS: csvOr('*.fbcdn.net,*.fbsbx.com,*.facebook.com'),
  TWILIO_MEDIA_HOSTS: csvOr('api.twilio.com,*.twilio.com,*.twiliocdn.com'),
  /** Default LLM provider for the seeded demo tenant; unset → offline responder. */
  LLM_BASE_URL: unsetIfEmpty(z.string().url().optional()),
  LLM_API_KEY: unsetIfEmpty(z.string().optional()),
  LLM_MODEL: z.string().default('gpt-4o-mini'),
  /** Meta's Graph API (WhatsApp Cloud API, Messenger Send API); tests point it at a local fake. */
  META_GRAPH_URL: z.string().url().default('https://graph.facebook.com'),
  META_GRAPH_VERSION: z.string().regex(/^v\d+\.\d+$/).default('v21.0'),
  /**
   * Provider base URLs a channel may name besides the provider's own hosts (Twilio: https://*.twilio.com),
   * as origins; `*` stands for any port (`http://127.0.0.1:*`). Tests point channels at local fakes.
   */
  CHANNEL_PROVIDER_URLS_ALLOWED: csv,
  /** Largest inbound email (raw MIME, attachments included) the webhook accepts; 413 above it. */
  /** Between two syncs of a staff member's CalDAV calendar (workflows/calendarSync.ts). */
  CALENDAR_SYNC_SECONDS: z.coerce.number().int().min(10).max(86_400).default(120),
  EMAIL_INBOUND_MAX_BYTES: z.coerce.number().int().positive().default(25 * 1024 * 1024),
  /** Largest attachment downloaded from a provider (or carried in an email); larger ones are noted on the message, not stored. */
  CHANNEL_MEDIA_MAX_BYTES: z.coerce.number().int().positive().default(20 * 1024 * 1024),
  /**
   * Attempts at downloading an inbound attachment, in the background after its message reached the
   * flow, the first retry CHANNEL_MEDIA_RETRY_SECONDS after the first failure, doubling up to 5
   * minutes (10 attempts: ~22 minutes); after the last the attachment is marked failed with the reason.
   */
  CHANNEL_MEDIA_DOWNLOAD_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(10),
  CHANNEL_MEDIA_RETRY_SECONDS: z.coerce.number().positive().default(5),
  /** Open WebSockets (chat, inbox) per API process: per token, per client address, per tenant. */
  WS_MAX_PER_TOKEN: z.coerce.number().int().positive().default(8),
  WS_MAX_PER_IP: z.coerce.number().int().positive().default(64),
  WS_MAX_PER_TENANT: z.coerce.number().int().positive().default(1000),
  /** Frames a client may send on one socket: a burst, then so many a second. */
  WS_FRAME_BURST: z.coerce.number().int().positive().default(20),
  WS_FRAMES_PER_SECOND: z.coerce.number().positive().default(5),
  /**
   * Outbound webhooks: attempts per delivery, and the full-jitter exponential backoff between them
   * (a random wait in [0, min(cap, base·2^(n-1))]). The defaults (15 attempts, 1 min, 8 h) spread the
   * attempts over ~24 h on average; tests shrink them to run in seconds.
   */
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(15),
  WEBHOOK_BACKOFF_BASE_MS: z.coerce.number().int().min(1).default(60_000),
  WEBHOOK_BACKOFF_CAP_MS: z.coerce.number().int().min(1).default(8 * 3600_000),
  /** Longest a receiver may take to answer one delivery. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /** A Retry-After longer than this is cut to it. */
  WEBHOOK_RETRY_AFTER_MAX_MS: z.coerce.number().int().min(0).default(6 * 3600_000),
  /** Consecutive dead deliveries (each one ~24 h of failures) after which a subscription is disabled and the tenant's admins are emailed. */
  WEBHOOK_DISABLE_AFTER_DEAD: z.coerce.number().int().min(1).default(5),
  /**
   * The events sink stores events concurrently, so the deliveries of one conversation can be created
   * a few milliseconds out of order: a conversation's first attempt waits this long, and the chain
   * sends by event time.
   */
  WEBHOOK_ORDER_SETTLE_MS: z.coerce.number().int().min(0).default(500),
  /** The BullMQ queue of delivery attempts (tests run each on its own). */
  WEBHOOK_QUEUE_NAME: z.string().default('webhook-deliveries'),
  /** The BullMQ queue platform events travel on to the worker's sink (events/queue.ts). */
  EVENTS_QUEUE_NAME: z.string().default('events'),
  /** Delivery attempts one worker process runs at once. */
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).default(20),
  /**
   * Analytics rollups (worker/analytics.ts): every ANALYTICS_REFRESH_SECONDS the last
   * ANALYTICS_RECENT_HOURS hours are recomputed, and every hour the last ANALYTICS_SETTLE_HOURS
   * (late events after a sink outage, sends that fail hours later); ARCHITECTURE.md "Analytics".
   */
  ANALYTICS_REFRESH_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  ANALYTICS_RECENT_HOURS: z.coerce.number().int().min(1).max(48).default(3),
  ANALYTICS_SETTLE_HOURS: z.coerce.number().int().min(1).max(24 * 31).default(72),
  /** The BullMQ queue of rollup jobs (tests run each on its own). */
  ANALYTICS_QUEUE_NAME: z.string().default('analytics'),
  /** The platform's own mail (notices to a tenant's admins): `smtp://user:pass@host:587` or `smtps://…:465`; unset → notices are logged only. */
  SMTP_URL: z.string().url().optional(),
  SMTP_FROM: z.string().default('Switchboard <no-reply@switchboard.local>'),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().positive().default(100),
  /**
   * Workflow tasks one worker holds at once (a task holds its slot while its local activities run).
   * Enough for every conversation's turn to find a waiting poll: Temporal writes a task no poll
   * waits for to its backlog and reads it back (worker/workflow-slots.ts).
   */
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().positive().default(100),
  /**
   * Workflow task polls one worker keeps open, two of them on the task queue and the rest on its
   * sticky queue (worker/create.ts): the SDK's ten left most of fifty conversations' turns without
   * a waiting poll, each written to Temporal's backlog and read back.
   */
  WORKER_WORKFLOW_TASK_POLLS: z.coerce.number().int().min(3).default(25),
  /**
   * Of those, tasks taken from the task queue rather than the worker's sticky queue: a new run's
   * first, or a run the worker does not hold, which replays its whole history. Few: after a restart
   * every conversation's task replays, and with 100 slots the 20 of a chaos run all replayed at
   * once on two cores, each outlived its 10 s timeout, was retried and replayed again; meanwhile
   * Temporal refused updates ("Workflow Task in failed state") for minutes. Tasks beyond the slots
   * wait on the server, where no timeout runs.
   */
  WORKER_MAX_COLD_WORKFLOW_TASKS: z.coerce.number().int().positive().default(8),
  /**
   * Scheduling priority (nice, 0–19) the worker process lowers itself to. On a machine shared with
   * the API, a positive value lets webhooks and chat requests be answered first while turns queue;
   * `npm start` runs its worker at 10 when this is unset (scripts/priorities.ts).
   */
  WORKER_NICE: z.coerce.number().int().min(0).max(19).default(0),
  /**
   * On SIGTERM the worker stops polling and lets in-flight activities (a model call, a send) finish
   * for this long before cancelling them; after 10 s more it gives up and exits.
   */
  WORKER_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(20_000),
  /**
   * `true`: the compiled worker's workflow threads keep the SDK's promise hook, which records a stack
   * for every workflow promise so the stack-trace query (Temporal UI's Stack Trace tab) can answer.
   * Read by the threads' preload (worker/workflow-threads.ts); listed here so a typo fails the start.
   */
  WORKFLOW_STACK_TRACES: z.enum(['true', 'false']).default('false'),
  /**
   * Bearer token a Prometheus scrape must send to `/metrics` (the API's, and the worker's when
   * WORKER_METRICS_PORT is set). Unset: the API's `/metrics` answers 404 and the worker's is open
   * to whoever reaches its port (bound to WORKER_METRICS_HOST, loopback by default).
   */
  METRICS_TOKEN: unsetIfEmpty(z.string().min(16, 'METRICS_TOKEN needs at least 16 characters').optional()),
  /** The worker serves its metrics on this port (`/metrics`); unset: not at all. */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  WORKER_METRICS_HOST: z.string().default('127.0.0.1'),
  /** The Temporal SDK's own worker metrics (task slots, poll latency, sticky cache) as Prometheus on this port; unset: off. */
  TEMPORAL_SDK_METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /**
   * OpenTelemetry traces (telemetry/): the OTLP/HTTP collector's base URL (spans go to `<url>/v1/traces`,
   * e.g. http://jaeger:4318). Unset: no tracer is installed and nothing is recorded or sent.
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: unsetIfEmpty(z.string().url().regex(/^https?:\/\//, 'must be an http(s) URL such as http://jaeger:4318').optional()),
  /** Headers for the collector (`key=value,key2=value2`, e.g. an API key of a hosted backend); never logged. */
  OTEL_EXPORTER_OTLP_HEADERS: csv.transform(keyValues),
  /** `service.name` of the spans; unset: switchboard-api and switchboard-worker. */
  OTEL_SERVICE_NAME: unsetIfEmpty(z.string().optional()),
  /** A conversation's next workflow task waits this long for the worker that ran its last one (which may be dead). */
  WORKER_STICKY_TIMEOUT_MS: z.coerce.number().int().min(1000).default(3_000),
  /** How often the alert Schedule evaluates every tenant's alert rules (ARCHITECTURE.md "Reports and alerts"). */
  ALERT_EVALUATION_SECONDS: z.coerce.number().int().min(10).max(3600).default(60),
  /** The hour (UTC, 0-23) the daily retention run starts (the `retention` schedule, set at worker start). */
  RETENTION_HOUR_UTC: z.coerce.number().int().min(0).max(23).default(3),
  /** Where rendered media lives: `local` (files under MEDIA_DIR, the default) or `s3` (any S3-compatible service). */
  MEDIA_STORE: z.enum(['local', 's3']).default('local'),
  /** The local media store's directory; unset: `DATA_DIR/media` (0700, files 0600 like the rest of the data). */
  MEDIA_DIR: unsetIfEmpty(z.string().optional()),
  /** Lifetime of a signed media URL handed to a browser or a channel provider. */
  MEDIA_URL_TTL_SECONDS: z.coerce.number().int().min(60).max(7 * 86_400).default(24 * 3600),
  /** Media URLs start here instead of PUBLIC_URL/media (a CDN whose origin is PUBLIC_URL/media, or the bucket). */
  MEDIA_CDN_BASE_URL: unsetIfEmpty(z.string().url().optional()),
  /** The S3-compatible store: endpoint (unset: AWS), bucket, region, path-style addressing (MinIO, Ceph), credentials. */
  S3_ENDPOINT: unsetIfEmpty(z.string().url().optional()),
  S3_BUCKET: unsetIfEmpty(z.string().optional()),
  S3_REGION: z.string().default('us-east-1'),
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  S3_ACCESS_KEY_ID: unsetIfEmpty(z.string().optional()),
  S3_SECRET_ACCESS_KEY: unsetIfEmpty(z.string().optional()),
  /** `true`: signed URLs are S3 presigned URLs (browsers fetch from the bucket); `false`: the API serves them at /media. */
  S3_PRESIGNED_URLS: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  /**
   * Quotas per tenant (README "Quotas"): the defaults a tenant gets unless the operator sets its own
   * (`/v1/operator/tenants/:id/quotas`, `npm run quota`). 0 = unlimited, the default of each.
   */
  QUOTA_MESSAGES_PER_MINUTE: z.coerce.number().int().min(0).default(0),
  QUOTA_LLM_TOKENS_PER_MONTH: z.coerce.number().int().min(0).default(0),
  QUOTA_CAMPAIGN_SENDS_PER_DAY: z.coerce.number().int().min(0).default(0),
  QUOTA_STORAGE_MB: z.coerce.number().int().min(0).default(0),
  /** How often the worker writes the month's and day's counters from Redis to PostgreSQL and sends 80 %/100 % notices. */
  QUOTA_FLUSH_SECONDS: z.coerce.number().int().min(1).max(3600).default(15),
  /** Bearer token of the platform operator's API (`/v1/operator/…`); unset: those routes answer 404. */
  OPERATOR_TOKEN: unsetIfEmpty(z.string().min(32, 'OPERATOR_TOKEN needs at least 32 characters').optional()),
  /**
   * Conversation labels (worker/labels.ts): a conversation is labelled LABEL_DEBOUNCE_SECONDS after a
   * contact message (later messages within the window join the same run) and at its close. Below
   * INTENT_CONFIDENCE_THRESHOLD the offline classifier says `unknown`.
   */
  LABEL_DEBOUNCE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  INTENT_CONFIDENCE_THRESHOLD: z.coerce.number().min(0).max(1).default(0.3),
  LABELS_QUEUE_NAME: z.string().default('labels'),
  /** ElevenLabs text-to-speech (renders/voices): the API base URL, the platform's key (tenants may set their own), the model. Unset key: espeak-ng speaks. */
  ELEVENLABS_API_URL: z.string().url().default('https://api.elevenlabs.io'),
  ELEVENLABS_API_KEY: unsetIfEmpty(z.string().optional()),
  ELEVENLABS_MODEL_ID: z.string().default('eleven_multilingual_v2'),
  /** Speech to text (voice/stt.ts): the model asked of the tenant's OpenAI-compatible `/audio/transcriptions`; without a provider PocketSphinx transcribes. */
  TRANSCRIPTION_MODEL: z.string().default('whisper-1'),
  /** D-ID talking-avatar renders (renders/d-id): the API base URL and key (`user:secret` as D-ID issues it, sent as Basic auth). Unset key: the offline renderer. */
  DID_API_URL: z.string().url().default('https://api.d-id.com'),
  DID_API_KEY: unsetIfEmpty(z.string().optional()),
  /** How often a render waiting for D-ID asks for its status when no webhook came (a durable timer, no worker slot held). */
  DID_POLL_SECONDS: z.coerce.number().positive().default(15),
  /** A render still not done at D-ID after this long fails as transient-exhausted. */
  DID_RENDER_TIMEOUT_MINUTES: z.coerce.number().positive().default(30),
  /** Largest presenter image an avatar accepts. */
  AVATAR_MAX_BYTES: z.coerce.number().int().positive().default(10 * 1024 * 1024),
  /** Square's API (menu/square.ts): production, or https://connect.squareupsandbox.com for sandbox tokens; tenants bring their own access token. */
  SQUARE_API_URL: z.string().url().default('https://connect.squareup.com'),
}).refine((c) => c.WORKER_MAX_COLD_WORKFLOW_TASKS <= c.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS, {
  path: ['WORKER_MAX_COLD_WORKFLOW_TASKS'],
  message: 'must not exceed WORKER_MAX_CONCURRENT_WORKFLOW_TASKS (cold tasks are some of them)',
}).refine((c) => c.WORKER_WORKFLOW_TASK_POLLS <= c.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS, {
  path: ['WORKER_WORKFLOW_TASK_POLLS'],
  message: 'must not exceed WORKER_MAX_CONCURRENT_WORKFLOW_TASKS (a poll holds a slot)',
});

export type Config = z.infer<typeof envSchema>;

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid environment variable ${String(issue.path[0])}: ${issue.message}`);
  }
  return parsed.data;
}

export const publicUrl = (c: Config) => c.PUBLIC_URL ?? `http://localhost:${c.PORT}`;
