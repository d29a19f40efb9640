/**
 * `GET|POST /v1/webhooks/:type/:channelId`: provider webhooks. The request is verified against
 * the exact bytes received (raw-body parsing is scoped to this plugin), parsed by the channel's
 * adapter, recorded in `inbound_messages` (deduplicated by the database) and answered at once;
 * the worker dispatches the rows. A failure to queue loses nothing: the sweeper finds the row.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../core/errors';
import { createInboundQueue, enqueueInbound } from '../../ingress/queue';
import { channelLoader } from '../../channels/directory';
import type { InboundRequest, WebhookAck } from '../../channels/types';
import { InboundRecorder } from '../../ingress/recorder';
import { claimOnce } from '../../ingress/once-tokens';
import type { AppDeps } from '../deps';
import { isUuid } from '../../core/ids';

const DEFAULT_ACK: WebhookAck = { status: 200, contentType: 'application/json', body: '{"ok":true}' };
const params = z.object({ type: z.string(), channelId: z.string() });
const emailParams = z.object({ channelId: z.string() });

export const webhookRoutes = (deps: AppDeps) => async (app: FastifyInstance) => {
  const channels = channelLoader(deps.orm, deps.config);
  const queue = createInboundQueue(deps.redis, deps.config);
  app.addHook('onClose', () => queue.close());
  const recorder = new InboundRecorder(deps.orm, (ids) => {
    enqueueInbound(queue, ids).catch((err) => app.log.warn({ err }, 'inbound rows not queued: the sweeper will dispatch them'));
  });

  // Signatures are computed over the bytes as sent: every body stays a Buffer here (JSON and forms alike).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  /** `type` comes from the path, or from the route when the route names it (email). */
  async function load(request: FastifyRequest, routeType?: string) {
    const { type, channelId } = params.parse({ ...(request.params as object), ...(routeType ? { type: routeType } : {}) });
    const loaded = isUuid(channelId) ? await channels.get(channelId) : null;
    if (!loaded || loaded.row.type !== type) throw new AppError('not_found', 'channel not found', { field: 'channelId' });
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    const inbound: InboundRequest = {
      method: request.method as 'GET' | 'POST',
      url: `${loaded.config.webhookUrl}${query}`,
      headers: request.headers as Record<string, string | undefined>,
      query: request.query as Record<string, string | undefined>,
      rawBody: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
    };
    return { ...loaded, inbound };
  }

  const config = { public: true };
  const schema = { tags: ['webhooks'], params };
  // Request logs would carry hub.verify_token (in the query) and cost time on the hottest route.
  const logLevel = 'warn';

  app.get('/v1/webhooks/:type/:channelId', { config, logLevel, schema: { ...schema, summary: "A provider's subscription handshake (Meta's hub.challenge)" } }, async (request, reply) => {
    const { adapter, config: channel, inbound } = await load(request);
    if (!adapter.handshake) throw new AppError('bad_request', `${channel.type} webhooks have no GET handshake`, { field: 'method' });
    return reply.type('text/plain; charset=utf-8').send(adapter.handshake(inbound, channel));
  });

  async function receive(request: FastifyRequest, reply: FastifyReply, routeType?: string) {
    const { adapter, config: channel, row, inbound } = await load(request, routeType);
    const verified = await adapter.verify(inbound, channel);
    const release = verified ? await claimOnce(deps.redis, row.id, verified) : null;
    try {
      const parsed = await adapter.parse(inbound, channel);
      const { events, rejected } = Array.isArray(parsed) ? { events: parsed, rejected: [] } : parsed;
      if (rejected.length) request.log.warn({ channelId: row.id, type: row.type, rejected }, 'webhook parts not understood: the rest was recorded');
      await recorder.record(row.tenant, row.id, events);
    } catch (err) {
      await release?.();
      throw err;
    }
    const ack = adapter.ack ?? DEFAULT_ACK;
    return reply.status(ack.status).type(ack.contentType).send(ack.body);
  }

  const summary = 'Provider webhook: verified, recorded once, answered at once';
  // Raw MIME carries its attachments; every other provider sends links to its media, so 1 MB is plenty.
  app.post('/v1/webhooks/email/:channelId', { config, logLevel, bodyLimit: deps.config.EMAIL_INBOUND_MAX_BYTES, schema: { ...schema, params: emailParams, summary } }, (request, reply) =>
    receive(request, reply, 'email'),
  );
  app.post('/v1/webhooks/:type/:channelId', { config, logLevel, schema: { ...schema, summary } }, (request, reply) => receive(request, reply));
};

/** Providers are told `{PUBLIC_URL}/v1/webhooks/…`; without PUBLIC_URL that is where the API listens. */
export function defaultPublicUrl(app: FastifyInstance, deps: AppDeps): void {
  if (deps.config.PUBLIC_URL) return;
  app.addHook('onListen', async () => {
    const address = app.server.address();
    if (!address || typeof address === 'string') return;
    const host = ['0.0.0.0', '::', '127.0.0.1', '::1'].includes(address.address) ? 'localhost' : address.address;
    deps.config.PUBLIC_URL = `http://${host}:${address.port}`;
  });
}
