/**
 * `/v1/channels/:id/whatsapp-templates`: a WhatsApp channel's message templates, submitted to Meta
 * for review and tracked (the status webhook, or a refresh from the Graph API).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { adapterEnv, adapterFor } from '../../channels/registry';
import { toChannelConfig } from '../../channels/directory';
import { fetchWhatsappTemplates, submitWhatsappTemplate } from '../../channels/whatsapp/templates';
import type { WhatsAppCredentials, WhatsAppSettings } from '../../channels/whatsapp';
import { ProviderError, type ChannelConfig } from '../../channels/types';
import { templateParameterCount, whatsappTemplateInput } from '../../core/campaigns/whatsapp-templates';
import { errorResponses, uuidParam } from '../../core/api/common';
import { whatsappTemplateList, whatsappTemplateRefreshResult, whatsappTemplateSchema, type WhatsappTemplateDto } from '../../core/api/content';
import { AppError } from '../../core/errors';
import type { WhatsappTemplate } from '../../db/entities';
import { createWhatsappTemplate, findWhatsappTemplate, getChannel, listWhatsappTemplates, syncWhatsappTemplates } from '../../db/repos';
import type { AppDeps } from '../deps';

const dto = (t: WhatsappTemplate): WhatsappTemplateDto => ({
  id: t.id,
  channelId: t.channel,
  name: t.name,
  language: t.language,
  category: t.category,
  body: t.body,
  parameterCount: t.parameterCount,
  status: t.status,
  rejectedReason: t.rejectedReason ?? null,
  providerTemplateId: t.providerTemplateId ?? null,
  createdAt: t.createdAt.toISOString(),
  updatedAt: t.updatedAt.toISOString(),
});

/** Meta refusing a template is the caller's input (400 naming the body); an outage is a 503. */
async function graph<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof ProviderError) {
      if (err.retryable) throw new AppError('upstream_unavailable', err.message);
      throw new AppError('bad_request', err.message, { field: err.opts.status === 401 ? 'accessToken' : 'body' });
    }
    throw err;
  }
}

export const whatsappTemplateRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['channels'];
    const { config } = deps;

    async function whatsappChannel(em: Parameters<typeof getChannel>[0], id: string, credentials: boolean) {
      const channel = await getChannel(em, id, { credentials });
      if (!channel) throw new AppError('not_found', 'channel not found', { field: 'id' });
      if (channel.type !== 'whatsapp') throw new AppError('bad_request', 'templates belong to WhatsApp channels', { field: 'id' });
      return { row: channel, config: () => toChannelConfig(channel, adapterFor('whatsapp', config), config) as ChannelConfig<WhatsAppCredentials, WhatsAppSettings> };
    }

    app.get(
      '/v1/channels/:id/whatsapp-templates',
      { schema: { tags, summary: "A WhatsApp channel's message templates and their review status", params: uuidParam, response: { 200: whatsappTemplateList, ...errorResponses } } },
      async (request) => {
        await whatsappChannel(request.em, request.params.id, false);
        return { items: (await listWhatsappTemplates(request.em, request.params.id)).map(dto) };
      },
    );

    app.post(
      '/v1/channels/:id/whatsapp-templates',
      {
        schema: {
          tags,
          summary: 'Submit a message template to Meta for review (it starts PENDING)',
          params: uuidParam,
          body: whatsappTemplateInput,
          response: { 201: whatsappTemplateSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const channel = await whatsappChannel(request.em, request.params.id, true);
        const input = request.body;
        if (await findWhatsappTemplate(request.em, channel.row.id, input.name, input.language)) {
          throw new AppError('conflict', 'this channel already has a template with this name and language', { field: 'name' });
        }
        const submitted = await graph(() => submitWhatsappTemplate(adapterEnv(config), channel.config(), input));
        const counted = templateParameterCount(input.body);
        const row = await createWhatsappTemplate(request.em, request.tenantId, channel.row.id, {
          name: input.name,
          language: input.language,
          category: input.category,
          body: input.body,
          parameterCount: 'count' in counted ? counted.count : 0,
          status: submitted.status,
          providerTemplateId: submitted.providerTemplateId,
        });
        return reply.status(201).send(dto(row));
      },
    );

    app.post(
      '/v1/channels/:id/whatsapp-templates/refresh',
      { schema: { tags, summary: "Read every template's status from the Graph API (and templates made elsewhere)", params: uuidParam, response: { 200: whatsappTemplateRefreshResult, ...errorResponses } } },
      async (request) => {
        const channel = await whatsappChannel(request.em, request.params.id, true);
        const remote = await graph(() => fetchWhatsappTemplates(adapterEnv(config), channel.config()));
        const counts = await syncWhatsappTemplates(request.em, request.tenantId, channel.row.id, remote);
        return { items: (await listWhatsappTemplates(request.em, channel.row.id)).map(dto), ...counts };
      },
    );
  };
