/**
 * The embeddable web-chat widget: `/widget.js` (built from widget/ by scripts/build-widget.ts),
 * its public config, visitor sessions, uploads and signed file links. None of these take an API
 * key: the channel id is public, the visitor token is signed, origins are limited per channel.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBody, errorResponses } from '../../core/api/common';
import {
  WIDGET_SESSION_LIMIT,
  WIDGET_UPLOAD_LIMIT,
  WIDGET_UPLOAD_MAX_BYTES,
  WIDGET_UPLOAD_TYPES,
  WIDGET_VOICE_LIMIT,
  WIDGET_VOICE_MAX_BYTES,
  widgetChannelParams,
  widgetConfigSchema,
  widgetSessionBody,
  widgetSessionSchema,
  widgetUploadSchema,
  widgetVoiceSchema,
} from '../../core/api/widget';
import { AppError } from '../../core/errors';
import { allowOrigin, answerPreflight, requireWebchatChannel } from '../services/widget-channels';
import { enforceRateLimit } from '../services/rate-limit';
import { openVisitorConversation, signVisitorToken, verifyVisitorToken } from '../services/widget-sessions';
import { loadWidgetFile, readWidgetUpload, storeWidgetUpload, verifyFileSignature, widgetFileUrl } from '../services/widget-uploads';
import { readVoiceRecording, voiceTurn } from '../services/widget-voice';
import type { AppDeps } from '../deps';
import { quotasOf } from '../services/quotas';

export const WIDGET_SCRIPT = new URL('../public/widget.js', import.meta.url);

const tags = ['widget'];
const publicRoute = { public: true };
const uploadErrors = { 413: errorBody, 415: errorBody };

export const widgetRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    let script: string | null = null;
    app.get('/widget.js', { config: publicRoute, schema: { hide: true } }, async (_request, reply) => {
      script ??= await readFile(WIDGET_SCRIPT, 'utf8').catch(() => null);
      if (!script) throw new AppError('upstream_unavailable', 'the widget is not built: run `npm run build:widget`');
      return reply
        .type('text/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=300')
        .header('cross-origin-resource-policy', 'cross-origin')
        .send(script);
    });

    for (const url of ['/v1/widget/:channelId/config', '/v1/widget/:channelId/sessions', '/v1/widget/uploads', '/v1/widget/voice']) {
      app.options(url, { config: publicRoute, schema: { hide: true } }, answerPreflight);
    }

    app.get(
      '/v1/widget/:channelId/config',
      {
        config: publicRoute,
        schema: {
          tags,
          summary: "The widget's public settings (brand colour, position, greeting, avatar, language, title); CORS limited to the channel's allowedOrigins",
          params: widgetChannelParams,
          response: { 200: widgetConfigSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const channel = await requireWebchatChannel(deps.orm, request.params.channelId);
        allowOrigin(channel, request, reply);
        const { allowedOrigins: _allowedOrigins, voiceProfileId: _voiceProfileId, ...visible } = channel.settings;
        reply.header('cache-control', 'public, max-age=60');
        return { channelId: channel.id, ...visible, upload: { maxBytes: WIDGET_UPLOAD_MAX_BYTES, types: [...WIDGET_UPLOAD_TYPES] } };
      },
    );

    app.post(
      '/v1/widget/:channelId/sessions',
      {
        config: publicRoute,
        schema: {
          tags,
          summary: "A visitor token for the visitor's open conversation on the channel (created on the channel's flow the first time); rate-limited per IP",
          params: widgetChannelParams,
          body: widgetSessionBody,
          response: { 200: widgetSessionSchema, 201: widgetSessionSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const channel = await requireWebchatChannel(deps.orm, request.params.channelId);
        allowOrigin(channel, request, reply);
        await enforceRateLimit(deps.redis, `widget-session:${channel.id}:${request.ip}`, WIDGET_SESSION_LIMIT, reply);
        const visitorId = request.body?.visitorId ?? randomUUID();
        const { conversationId, resumed } = await openVisitorConversation(deps, channel, visitorId);
        const signed = signVisitorToken(deps.secretKey, { tenantId: channel.tenantId, conversationId, channelId: channel.id, visitorId });
        return reply.status(resumed ? 200 : 201).send({ ...signed, conversationId, visitorId, resumed });
      },
    );

    app.post(
      '/v1/widget/uploads',
      {
        config: publicRoute,
        schema: {
          tags,
          summary: `Attach a file (multipart field "file": ${WIDGET_UPLOAD_TYPES.join(', ')}; ${WIDGET_UPLOAD_MAX_BYTES / (1024 * 1024)} MB at most) with "Authorization: Bearer <visitor token>"; returns the link to put in the message`,
          response: { 201: widgetUploadSchema, ...errorResponses, ...uploadErrors },
        },
      },
      async (request, reply) => {
        const session = verifyVisitorToken(deps.secretKey, bearer(request));
        const channel = await requireWebchatChannel(deps.orm, session.channelId);
        allowOrigin(channel, request, reply);
        if (!channel.settings.fileUpload) throw new AppError('forbidden', 'file upload is turned off for this channel', { field: 'file' });
        await enforceRateLimit(deps.redis, `widget-upload:${session.conversationId}`, WIDGET_UPLOAD_LIMIT, reply);
        const upload = await readWidgetUpload(request);
        await quotasOf(deps).enforceStorage(channel.tenantId, upload.bytes.length);
        const asset = await storeWidgetUpload(deps.orm, session, upload);
        const url = widgetFileUrl(deps.secretKey, deps.config.PUBLIC_URL?.replace(/\/$/, '') ?? `${request.protocol}://${request.host}`, asset);
        return reply.status(201).send({ id: asset.id, url, name: upload.name, contentType: upload.contentType, size: upload.bytes.length });
      },
    );

    app.post(
      '/v1/widget/voice',
      {
        config: publicRoute,
        schema: {
          tags,
          summary: `Push-to-talk: a recording (multipart field "audio": WebM/Ogg Opus, MP4 audio or WAV; ${WIDGET_VOICE_MAX_BYTES / (1024 * 1024)} MB at most; optional field "clientId") with "Authorization: Bearer <visitor token>" is transcribed and sent as the visitor's message; answers the replies' text and their speech (MP3 URL)`,
          response: { 200: widgetVoiceSchema, ...errorResponses, ...uploadErrors },
        },
      },
      async (request, reply) => {
        const session = verifyVisitorToken(deps.secretKey, bearer(request));
        const channel = await requireWebchatChannel(deps.orm, session.channelId);
        allowOrigin(channel, request, reply);
        await enforceRateLimit(deps.redis, `widget-voice:${session.conversationId}`, WIDGET_VOICE_LIMIT, reply);
        const recording = await readVoiceRecording(request);
        await quotasOf(deps).enforceStorage(channel.tenantId, recording.bytes.length);
        return voiceTurn(deps, session, recording, channel.settings.voiceProfileId ?? null, request.log);
      },
    );

    app.get(
      '/v1/widget/files/:id/:name',
      {
        config: publicRoute,
        schema: {
          tags,
          summary: 'An attachment by its signed link (as put in the message by the widget)',
          params: z.object({ id: z.uuid({ message: 'id must be a UUID' }), name: z.string().max(300) }),
          querystring: z.object({ sig: z.string().min(1).max(100) }),
        },
      },
      async (request, reply) => {
        verifyFileSignature(deps.secretKey, request.params.id, request.query.sig);
        const asset = await loadWidgetFile(deps.orm, request.params.id);
        const disposition = asset.contentType.startsWith('image/') ? 'inline' : 'attachment';
        return reply
          .type(asset.contentType)
          .header('content-disposition', `${disposition}; filename*=UTF-8''${encodeURIComponent(asset.name ?? 'attachment')}`)
          .header('x-content-type-options', 'nosniff')
          .header('content-security-policy', "default-src 'none'; sandbox")
          .header('cache-control', 'private, max-age=86400')
          // The widget shows images and thumbnails on the embedding site's pages; the signed link is the access check.
          .header('cross-origin-resource-policy', 'cross-origin')
          .send(asset.content);
      },
    );
  };

function bearer(request: FastifyRequest): string {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (!match) throw new AppError('unauthorized', 'missing visitor token: send "Authorization: Bearer <token>" from POST /v1/widget/:channelId/sessions', { field: 'authorization' });
  return match[1];
}
