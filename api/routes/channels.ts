/** `/v1/channels`: configure provider connections. Credentials go in, never come out. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { channelDto, channelTestResult, createChannelBody, updateChannelBody } from '../../core/api/channels';
import { errorResponses, uuidParam } from '../../core/api/common';
import { AppError } from '../../core/errors';
import { adapterFor } from '../../channels/registry';
import { channelLoader, toChannelConfig } from '../../channels/directory';
import { createChannel, deleteChannel, getChannel, listChannels, updateChannel } from '../../db/repos';
import { channelDto as toDto, checkProviderUrls, mergeCredentials, sealCredentials, validSettings } from '../services/channels';
import { requireFlow } from '../services/lookups';
import type { AppDeps } from '../deps';
import { recordChange } from '../plugins/audit';

export const channelRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['channels'];
    const { config } = deps;

    async function requireChannel(em: Parameters<typeof getChannel>[0], id: string, credentials = false) {
      const channel = await getChannel(em, id, { credentials });
      if (!channel) throw new AppError('not_found', 'channel not found', { field: 'id' });
      return channel;
    }

    app.post(
      '/v1/channels',
      { schema: { tags, summary: 'Connect a channel (credentials are validated, encrypted and never returned)', body: createChannelBody, response: { 201: channelDto, ...errorResponses } } },
      async (request, reply) => {
        const { type, name, flowId, credentials, settings } = request.body;
        const adapter = adapterFor(type, config);
        const valid = await validSettings(adapter, settings, config);
        const sealed = sealCredentials(adapter, credentials, config);
        if (flowId) await requireFlow(request.em, flowId, 'flowId');
        const channel = await createChannel(request.em, request.tenantId, { type, name, flowId: flowId ?? null, settings: valid, ...sealed });
        await deps.workflows.imapMailbox.sync(request.tenantId, channel.id, { ...channel, tenantId: request.tenantId });
        return reply.status(201).send(toDto(channel, config));
      },
    );

    app.get(
      '/v1/channels',
      { schema: { tags, summary: 'List channels', response: { 200: z.object({ channels: z.array(channelDto) }), ...errorResponses } } },
      async (request) => ({ channels: (await listChannels(request.em)).map((c) => toDto(c, config)) }),
    );

    app.get(
      '/v1/channels/:id',
      { schema: { tags, summary: 'A channel, with its webhook URL and which credential fields are set', params: uuidParam, response: { 200: channelDto, ...errorResponses } } },
      async (request) => toDto(await requireChannel(request.em, request.params.id), config),
    );

    app.patch(
      '/v1/channels/:id',
      {
        schema: {
          tags,
          summary: 'Update a channel: credentials merge into the stored ones, settings replace them',
          params: uuidParam,
          body: updateChannelBody,
          response: { 200: channelDto, ...errorResponses },
        },
      },
      async (request) => {
        const channel = await requireChannel(request.em, request.params.id, true);
        // The view, not the entity: credentials show only as whether each is set.
        const before = toDto(channel, config);
        const adapter = adapterFor(channel.type, config);
        const { name, flowId, credentials, settings } = request.body;
        if (flowId) await requireFlow(request.em, flowId, 'flowId');
        const nextSettings = settings !== undefined ? await validSettings(adapter, settings, config) : undefined;
        const updated = await updateChannel(request.em, channel, {
          ...(name !== undefined && { name }),
          ...(flowId !== undefined && { flowId }),
          ...(nextSettings !== undefined && { settings: nextSettings }),
          ...(credentials !== undefined && mergeCredentials(adapter, channel, credentials, config)),
        });
        channelLoader(deps.orm, config).invalidate(channel.id);
        await deps.workflows.imapMailbox.sync(request.tenantId, channel.id, { ...updated, tenantId: request.tenantId });
        const after = toDto(updated, config);
        recordChange(request, { before, after });
        return after;
      },
    );

    app.delete(
      '/v1/channels/:id',
      { schema: { tags, summary: 'Disconnect a channel (its conversations stay)', params: uuidParam, response: { 204: z.null(), ...errorResponses } } },
      async (request, reply) => {
        if (!(await deleteChannel(request.em, request.params.id))) throw new AppError('not_found', 'channel not found', { field: 'id' });
        channelLoader(deps.orm, config).invalidate(request.params.id);
        await deps.workflows.imapMailbox.sync(request.tenantId, request.params.id, null);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/v1/channels/:id/test',
      { schema: { tags, summary: "Check the credentials against the provider's API", params: uuidParam, response: { 200: channelTestResult, ...errorResponses } } },
      async (request) => {
        const channel = await requireChannel(request.em, request.params.id, true);
        const adapter = adapterFor(channel.type, config);
        const stored = toChannelConfig(channel, adapter, config);
        // Rows saved before base URLs were restricted are checked again before the server calls them.
        checkProviderUrls(adapter, stored.settings, 'settings', config);
        checkProviderUrls(adapter, stored.credentials, 'credentials', config);
        return adapter.testConnection(stored);
      },
    );
  };
