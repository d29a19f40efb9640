/** `/v1/brand-voices`: how a tenant's messages sound; marketers write them, everyone reads them. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { tryBrandVoice } from '../../campaigns/content/try-voice';
import { errorResponses, uuidParam } from '../../core/api/common';
import { brandVoiceBody, brandVoiceList, brandVoicePatch, brandVoiceSchema, brandVoiceTryBody, brandVoiceTryResult, type BrandVoiceDto } from '../../core/api/content';
import { AppError } from '../../core/errors';
import type { BrandVoice } from '../../db/entities';
import { createBrandVoice, deleteBrandVoice, getBrandVoice, listBrandVoices, updateBrandVoice } from '../../db/repos';
import type { AppDeps } from '../deps';
import { recordChange } from '../plugins/audit';
import { withModel } from '../services/content';

const dto = (v: BrandVoice): BrandVoiceDto => ({
  id: v.id,
  name: v.name,
  tone: v.tone,
  useWords: v.useWords,
  avoidWords: v.avoidWords,
  examples: v.examples,
  emojiPolicy: v.emojiPolicy,
  language: v.language,
  isDefault: v.isDefault,
  createdAt: v.createdAt.toISOString(),
  updatedAt: v.updatedAt.toISOString(),
});
const notFound = () => new AppError('not_found', 'brand voice not found', { field: 'id' });

export const brandVoiceRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['content'];

    app.get('/v1/brand-voices', { schema: { tags, summary: 'Brand voices, the default first', response: { 200: brandVoiceList, ...errorResponses } } }, async (request) => ({
      items: (await listBrandVoices(request.em)).map(dto),
    }));

    app.post(
      '/v1/brand-voices',
      { schema: { tags, summary: "Add a brand voice (a tenant's first is its default)", body: brandVoiceBody, response: { 201: brandVoiceSchema, ...errorResponses } } },
      async (request, reply) => reply.status(201).send(dto(await createBrandVoice(request.em, request.tenantId, request.body))),
    );

    app.get('/v1/brand-voices/:id', { schema: { tags, summary: 'A brand voice', params: uuidParam, response: { 200: brandVoiceSchema, ...errorResponses } } }, async (request) => {
      const row = await getBrandVoice(request.em, request.params.id);
      if (!row) throw notFound();
      return dto(row);
    });

    app.patch(
      '/v1/brand-voices/:id',
      { schema: { tags, summary: 'Change a brand voice (isDefault: true makes it the default)', params: uuidParam, body: brandVoicePatch, response: { 200: brandVoiceSchema, ...errorResponses } } },
      async (request) => {
        const before = await getBrandVoice(request.em, request.params.id);
        if (!before) throw notFound();
        const snapshot = dto(before);
        const row = await updateBrandVoice(request.em, request.params.id, request.body);
        if (!row) throw notFound();
        recordChange(request, { before: snapshot, after: dto(row) });
        return dto(row);
      },
    );

    app.delete('/v1/brand-voices/:id', { schema: { tags, summary: 'Delete a brand voice', params: uuidParam, response: { 204: z.null(), ...errorResponses } } }, async (request, reply) => {
      if (!(await deleteBrandVoice(request.em, request.params.id))) throw notFound();
      return reply.status(204).send(null);
    });

    app.post(
      '/v1/brand-voices/:id/try',
      {
        schema: {
          tags,
          summary: 'Try a voice: a message rewritten in it ({text}), or a brief written in it ({brief})',
          params: uuidParam,
          body: brandVoiceTryBody,
          response: { 200: brandVoiceTryResult, ...errorResponses },
        },
      },
      async (request) => {
        if (!(await getBrandVoice(request.em, request.params.id))) throw notFound();
        return withModel(() => tryBrandVoice(deps, request.tenantId, request.params.id, request.body));
      },
    );
  };
