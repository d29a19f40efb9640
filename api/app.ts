/**
 * The Fastify application: plugins (errors, auth, security headers, OpenAPI, websockets), then routes. Dependencies
 * come in from outside so tests and the benchmark build the same app against their own servers.
 */
import { readFile } from 'node:fs/promises';
import Fastify, { type FastifyServerOptions } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import websocket from '@fastify/websocket';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { AppError } from '../core/errors';
import { registerAudit } from './plugins/audit';
import { registerAuth } from './plugins/auth';
import { registerMetrics } from './plugins/metrics';
import { registerConsole } from './plugins/console';
import { frameworkError, registerErrorHandling } from './plugins/errors';
import { registerJsonBody } from './plugins/json-body';
import { registerOpenApi } from './plugins/openapi';
import { OneLinePerRequest } from './plugins/request-log';
import { cspWithScript, registerSecurityHeaders } from './plugins/security-headers';
import { analyticsRoutes } from './routes/analytics';
import { apiKeyRoutes } from './routes/api-keys';
import { auditLogRoutes } from './routes/audit-log';
import { campaignRoutes } from './routes/campaigns';
import { appointmentRoutes } from './routes/appointments';
import { authRoutes } from './routes/auth';
import { calendarFeedRoutes, maskFeedToken } from './routes/calendar-feeds';
import { cannedResponseRoutes } from './routes/canned-responses';
import { brandVoiceRoutes } from './routes/brand-voices';
import { contentRoutes } from './routes/content';
import { whatsappTemplateRoutes } from './routes/whatsapp-templates';
import { avatarRoutes } from './routes/avatars';
import { renderSettingsRoutes } from './routes/render-settings';
import { videoRoutes } from './routes/videos';
import { presenceRoutes } from './routes/presence';
import { presenceShareRoutes } from './routes/presence-share';
import { publicGraderRoutes } from './routes/public-grader';
import { listingSettingsRoutes } from './routes/listing-settings';
import { voiceRoutes } from './routes/voices';
import { channelRoutes } from './routes/channels';
import { chatRoutes } from './routes/chat';
import { contactRoutes } from './routes/contacts';
import { privacyRoutes } from './routes/privacy';
import { openingHoursRoutes } from './routes/opening-hours';
import { voiceWhisperRoutes } from './routes/voice-whisper';
import { callTakeOverRoutes } from './routes/call-takeover';
import { conversationRoutes } from './routes/conversations';
import { documentImportRoutes } from './routes/document-imports';
import { documentRoutes } from './routes/documents';
import { flowRoutes } from './routes/flows';
import { healthRoutes } from './routes/health';
import { inboxRoutes } from './routes/inbox';
import { knowledgeBaseRoutes } from './routes/knowledge-bases';
import { outboundWebhookRoutes } from './routes/outbound-webhooks';
import { publicBookingRoutes } from './routes/public-booking';
import { campaignLinkRoutes } from './routes/campaign-links';
import { runRoutes } from './routes/runs';
import { schedulingAnalyticsRoutes } from './routes/scheduling-analytics';
import { schedulingRoutes } from './routes/scheduling';
import { segmentRoutes } from './routes/segments';
import { defaultPublicUrl, webhookRoutes } from './routes/webhooks';
import { voiceWebhookRoutes } from './routes/voice-webhooks';
import { callRoutes } from './routes/calls';
import { settingsRoutes } from './routes/settings';
import { templateRoutes } from './routes/templates';
import { userRoutes } from './routes/users';
import { widgetRoutes } from './routes/widget';
import { alertRoutes } from './routes/alerts';
import { reportRoutes } from './routes/reports';
import { operatorRoutes } from './routes/operator';
import { usageRoutes } from './routes/usage';
import { intentRoutes } from './routes/intents';
import { assistantRoutes } from './routes/assistant';
import { menuRoutes } from './routes/menu';
import { MAX_DOCUMENT_BYTES } from '../core/api/knowledge';
import { LiveHub } from './services/live-hub';
import { SocketGate } from './services/socket-guard';
import type { AppDeps } from './deps';
import { registerTracing } from './plugins/tracing';
import { traceLogFields } from '../telemetry/log';
import { maskMediaSignature, mediaRoutes } from './routes/media';

const CHAT_PAGE = new URL('./public/chat.html', import.meta.url);

/** Fastify's request fields, with secrets that travel in a path (a calendar feed's token) masked. */
function requestForLog(req: { method: string; url: string; host?: string; ip?: string; socket?: { remotePort?: number } }) {
  return { method: req.method, url: maskMediaSignature(maskFeedToken(req.url)), host: req.host, remoteAddress: req.ip, remotePort: req.socket?.remotePort };
}

/** Every logger the API is given (tests pass their own) logs requests through requestForLog. */
const withRequestSerializer = (logger: FastifyServerOptions['logger']) =>
  logger && typeof logger === 'object' && !('info' in logger) ? { ...logger, serializers: { ...logger.serializers, req: requestForLog } } : logger;

/** Lines written while a span is active carry its trace_id and span_id (telemetry/log.ts). */
const withTraceIds = (logger: FastifyServerOptions['logger']) => (logger && typeof logger === 'object' && !('info' in logger) ? { mixin: traceLogFields, ...logger } : logger);

export async function buildApp(deps: AppDeps, opts: { logger?: FastifyServerOptions['logger'] } = {}) {
  const app = Fastify({
    logger: withRequestSerializer(
      withTraceIds(opts.logger ?? {
        level: deps.config.LOG_LEVEL,
        redact: ['req.headers.authorization', 'req.headers.cookie', 'req.query.token'],
      }),
    ),
    logController: new OneLinePerRequest(),
    bodyLimit: 1024 * 1024,
    // Run ids are workflow ids: a media download's (`media:{tenant}:{channel}:{provider message id}`)
    // passes Fastify's default of 100 characters, which answered "no route" for its run page.
    routerOptions: { maxParamLength: 500 },
    // Behind a TLS-terminating balancer: the client's address (rate limits) and protocol (Secure cookie).
    trustProxy: typeof deps.config.TRUST_PROXY === 'number' ? trustHops(deps.config.TRUST_PROXY) : deps.config.TRUST_PROXY,
    frameworkErrors: frameworkError,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  // First of the request hooks: the request's span is active for every later hook and the handler.
  registerTracing(app);
  // Cookies are parsed in an onRequest hook that must run before authentication's.
  await app.register(cookie);
  // Before authentication too: its onRequest hook marks upgrades, so a refused one has its socket closed.
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
  // Headers first, so even a refused request gets them.
  await registerSecurityHeaders(app);
  // Every live socket of this process shares one Redis subscriber and one set of caps (and API-key revocations the subscriber).
  const live = { hub: new LiveHub(deps.createSubscriber, app.log), gate: new SocketGate(deps.config) };
  app.addHook('onClose', () => live.hub.close());
  // Before any route: it records every route's access and denies anonymous calls to non-public ones.
  registerAuth(app, deps, live.hub);
  // After authentication: an entry names the caller it decided on.
  registerAudit(app);
  registerMetrics(app, deps.config.METRICS_TOKEN);
  registerJsonBody(app);
  await registerOpenApi(app);
  // Document uploads: one file and a name field at most; a larger file stops at the limit (413).
  await app.register(multipart, { limits: { fileSize: MAX_DOCUMENT_BYTES, files: 1, fields: 2, fieldSize: 4 * 1024, parts: 3 } });
  // Only routes that ask for it (sign-in); counters live in Redis so every API instance shares them.
  await app.register(rateLimit, {
    global: false,
    redis: deps.redis,
    nameSpace: 'ratelimit:',
    errorResponseBuilder: (_request, ctx) => new AppError('rate_limited', `too many attempts: try again in ${ctx.after}`),
  });

  await app.register(healthRoutes(deps));
  await app.register(flowRoutes(deps));
  await app.register(conversationRoutes(deps));
  await app.register(runRoutes(deps));
  await app.register(appointmentRoutes(deps));
  await app.register(chatRoutes(deps, live));
  await app.register(knowledgeBaseRoutes(deps));
  await app.register(documentRoutes(deps));
  await app.register(documentImportRoutes(deps));
  await app.register(channelRoutes(deps));
  await app.register(webhookRoutes(deps));
  await app.register(voiceWebhookRoutes(deps));
  await app.register(outboundWebhookRoutes(deps));
  defaultPublicUrl(app, deps);
  await app.register(widgetRoutes(deps));
  await app.register(authRoutes(deps));
  await app.register(userRoutes);
  await app.register(apiKeyRoutes);
  await app.register(settingsRoutes(deps));
  await app.register(templateRoutes);
  await app.register(inboxRoutes(deps, live));
  await app.register(cannedResponseRoutes);
  await app.register(auditLogRoutes);
  await app.register(calendarFeedRoutes(deps));
  await app.register(schedulingAnalyticsRoutes);
  await app.register(analyticsRoutes(deps));
  await app.register(contactRoutes);
  await app.register(segmentRoutes);
  await app.register(publicBookingRoutes(deps));
  await app.register(campaignLinkRoutes(deps));
  await app.register(schedulingRoutes);
  await app.register(campaignRoutes(deps));
  await app.register(brandVoiceRoutes(deps));
  await app.register(contentRoutes(deps));
  await app.register(whatsappTemplateRoutes(deps));
  await app.register(reportRoutes(deps));
  await app.register(alertRoutes(deps));
  await app.register(privacyRoutes(deps));
  await app.register(mediaRoutes(deps));
  await app.register(usageRoutes(deps));
  await app.register(operatorRoutes(deps));
  await app.register(intentRoutes(deps));
  await app.register(voiceRoutes(deps));
  await app.register(avatarRoutes(deps));
  await app.register(videoRoutes(deps));
  await app.register(renderSettingsRoutes(deps));
  await app.register(menuRoutes(deps));
  await app.register(presenceRoutes(deps));
  await app.register(presenceShareRoutes(deps));
  await app.register(publicGraderRoutes(deps));
  await app.register(listingSettingsRoutes(deps));
  await app.register(callRoutes(deps));
  await app.register(openingHoursRoutes(deps));
  await app.register(voiceWhisperRoutes(deps));
  await app.register(callTakeOverRoutes(deps));
  await app.register(assistantRoutes(deps));

  const chatPage = await readFile(CHAT_PAGE, 'utf8');
  app.get('/chat', { schema: { hide: true }, config: { public: true, securityHeaders: cspWithScript(chatPage) } }, async (_request, reply) => reply.type('text/html; charset=utf-8').send(chatPage));
  // The console at `/` (and its client-side routes); the chat page stays at /chat.
  await registerConsole(app);

  return app;
}

/** `TRUST_PROXY=<n>`: believe the nearest n proxies (what a hop count means to proxy-addr). */
const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;
