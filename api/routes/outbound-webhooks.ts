/**
 * Outbound webhooks of API clients (admin only, reads included: api/plugins/roles.ts): `/v1/webhooks/subscriptions` (the signing secret
 * is shown on create and on rotation, never again) and `/v1/webhooks/deliveries` (the delivery log;
 * `status=dead` is the dead-letter queue, replayed with the same delivery id).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, uuidParam } from '../../core/api/common';
import {
  bulkReplayBody,
  createSubscriptionBody,
  deliveryList,
  deliveryQuery,
  deliveryWithAttempts,
  replayResult,
  subscriptionList,
  subscriptionSchema,
  subscriptionWithSecret,
  updateSubscriptionBody,
} from '../../core/api/webhooks';
import { AppError } from '../../core/errors';
import type { WebhookAttempt, WebhookDelivery, WebhookSubscription } from '../../db/entities';
import {
  createWebhookSubscription,
  deleteWebhookSubscription,
  getWebhookDelivery,
  getWebhookSubscription,
  listWebhookAttempts,
  listWebhookDeliveries,
  listWebhookSubscriptions,
  resetDeliveriesForReplay,
  updateWebhookSubscription,
} from '../../db/repos';
import { secretBoxFromConfig } from '../../db/secrets';
import { createWebhookQueue, enqueueDeliveries } from '../../webhooks/queue';
import { newWebhookSecret } from '../../webhooks/signature';
import type { AppDeps } from '../deps';
import { iso } from '../services/serialize';
import { recordChange } from '../plugins/audit';

const subscriptionDto = (s: WebhookSubscription) => ({
  id: s.id,
  url: s.url,
  eventTypes: s.eventTypes,
  description: s.description,
  enabled: s.enabled,
  disabledReason: s.disabledReason ?? null,
  consecutiveDead: s.consecutiveDead,
  createdAt: iso(s.createdAt)!,
  updatedAt: iso(s.updatedAt)!,
});

const deliveryDto = (d: WebhookDelivery) => ({
  id: d.id,
  subscriptionId: d.subscription,
  eventId: d.eventId,
  eventType: d.eventType,
  status: d.status,
  attempts: d.attempts,
  lastStatusCode: d.lastStatusCode ?? null,
  lastLatencyMs: d.lastLatencyMs ?? null,
  lastError: d.lastError ?? null,
  lastResponseExcerpt: d.lastResponseExcerpt ?? null,
  nextAttemptAt: d.status === 'pending' ? iso(d.nextAttemptAt) : null,
  createdAt: iso(d.createdAt)!,
  completedAt: iso(d.completedAt),
});

const attemptDto = (a: WebhookAttempt) => ({
  attempt: a.attempt,
  statusCode: a.statusCode ?? null,
  latencyMs: a.latencyMs,
  responseExcerpt: a.responseExcerpt ?? null,
  error: a.error ?? null,
  createdAt: iso(a.createdAt)!,
});

export const outboundWebhookRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['outbound webhooks'];
    const box = () => secretBoxFromConfig(deps.config);
    const queue = createWebhookQueue(deps.redis, deps.config.WEBHOOK_QUEUE_NAME);
    app.addHook('onClose', () => queue.close());

    async function requireSubscription(em: Parameters<typeof getWebhookSubscription>[0], id: string, field = 'id') {
      const sub = await getWebhookSubscription(em, id);
      if (!sub) throw new AppError('not_found', 'webhook subscription not found', { field });
      return sub;
    }

    app.post(
      '/v1/webhooks/subscriptions',
      { schema: { tags, summary: 'Subscribe a URL to event types: the response is the only time the signing secret is shown', body: createSubscriptionBody, response: { 201: subscriptionWithSecret, ...errorResponses } } },
      async (request, reply) => {
        const secret = newWebhookSecret();
        const sub = await createWebhookSubscription(request.em, request.tenantId, { ...request.body, eventTypes: [...new Set(request.body.eventTypes)], secretEncrypted: box().encrypt(secret) });
        return reply.status(201).send({ ...subscriptionDto(sub), secret });
      },
    );

    app.get('/v1/webhooks/subscriptions', { schema: { tags, summary: 'List webhook subscriptions', response: { 200: subscriptionList, ...errorResponses } } }, async (request) => ({
      items: (await listWebhookSubscriptions(request.em)).map(subscriptionDto),
    }));

    app.get(
      '/v1/webhooks/subscriptions/:id',
      { schema: { tags, summary: 'A webhook subscription (never its secret)', params: uuidParam, response: { 200: subscriptionSchema, ...errorResponses } } },
      async (request) => subscriptionDto(await requireSubscription(request.em, request.params.id)),
    );

    app.patch(
      '/v1/webhooks/subscriptions/:id',
      {
        schema: {
          tags,
          summary: 'Update a subscription; `enabled: true` re-enables one the platform disabled; `rotateSecret: true` answers the new secret',
          params: uuidParam,
          body: updateSubscriptionBody,
          response: { 200: subscriptionWithSecret.partial({ secret: true }), ...errorResponses },
        },
      },
      async (request) => {
        const sub = await requireSubscription(request.em, request.params.id);
        const before = subscriptionDto(sub);
        const { rotateSecret, eventTypes, ...rest } = request.body;
        const secret = rotateSecret ? newWebhookSecret() : undefined;
        const updated = await updateWebhookSubscription(request.em, sub, {
          ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
          ...(eventTypes ? { eventTypes: [...new Set(eventTypes)] } : {}),
          ...(secret ? { secretEncrypted: box().encrypt(secret) } : {}),
        });
        recordChange(request, { before, after: { ...subscriptionDto(updated), ...(secret ? { secret: 'rotated' } : {}) } });
        return { ...subscriptionDto(updated), ...(secret ? { secret } : {}) };
      },
    );

    app.delete(
      '/v1/webhooks/subscriptions/:id',
      { schema: { tags, summary: 'Delete a subscription and its delivery log', params: uuidParam, response: { 204: z.null(), ...errorResponses } } },
      async (request, reply) => {
        if (!(await deleteWebhookSubscription(request.em, request.params.id))) throw new AppError('not_found', 'webhook subscription not found', { field: 'id' });
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/v1/webhooks/deliveries',
      { schema: { tags, summary: 'The delivery log, newest first; `status=dead` is the dead-letter queue', querystring: deliveryQuery, response: { 200: deliveryList, ...errorResponses } } },
      async (request) => ({ items: (await listWebhookDeliveries(request.em, request.query)).map(deliveryDto) }),
    );

    app.get(
      '/v1/webhooks/deliveries/:id',
      { schema: { tags, summary: 'A delivery with every attempt (status, latency, response excerpt, error)', params: uuidParam, response: { 200: deliveryWithAttempts, ...errorResponses } } },
      async (request) => {
        const d = await getWebhookDelivery(request.em, request.params.id);
        if (!d) throw new AppError('not_found', 'webhook delivery not found', { field: 'id' });
        return { ...deliveryDto(d), attemptLog: (await listWebhookAttempts(request.em, d.id)).map(attemptDto) };
      },
    );

    async function replay(tenantId: string, em: Parameters<typeof resetDeliveriesForReplay>[0], where: Parameters<typeof resetDeliveriesForReplay>[2]) {
      const reset = await resetDeliveriesForReplay(em, tenantId, where);
      await enqueueDeliveries(queue, reset.map((r) => r.id));
      return reset.length;
    }

    app.post(
      '/v1/webhooks/deliveries/:id/replay',
      { schema: { tags, summary: 'Send a finished delivery again, with the same delivery id and a fresh attempt budget', params: uuidParam, response: { 202: replayResult, ...errorResponses } } },
      async (request, reply) => {
        const d = await getWebhookDelivery(request.em, request.params.id);
        if (!d) throw new AppError('not_found', 'webhook delivery not found', { field: 'id' });
        if (d.status === 'pending' || d.status === 'delivering') throw new AppError('conflict', 'the delivery is still being attempted', { field: 'id' });
        return reply.status(202).send({ replayed: await replay(request.tenantId, request.em, { ids: [d.id] }) });
      },
    );

    app.post(
      '/v1/webhooks/deliveries/replay',
      { schema: { tags, summary: 'Replay in bulk: the listed deliveries, or every dead one (of a subscription)', body: bulkReplayBody, response: { 202: replayResult, ...errorResponses } } },
      async (request, reply) => {
        const body = request.body;
        if ('subscriptionId' in body && body.subscriptionId) await requireSubscription(request.em, body.subscriptionId, 'subscriptionId');
        const where = 'ids' in body ? { ids: body.ids } : { subscriptionId: body.subscriptionId };
        return reply.status(202).send({ replayed: await replay(request.tenantId, request.em, where) });
      },
    );
  };
