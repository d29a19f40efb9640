/**
 * `/v1/videos`: talking-avatar renders. A create resolves the script, hashes everything that
 * changes the result, and either answers the stored video at once (`cached: true`, no provider
 * call, no cost), joins the render already running for the same key, or starts a `videoRender`
 * workflow. Gets carry signed URLs of the outputs; cancel stops a running render. The D-ID
 * webhook (`/v1/webhooks/d-id/:token`) is public: its token is the credential (renders/webhook-token.ts).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, uuidParam } from '../../core/api/common';
import { didWebhookParams, renderBody, renderCreated, renderList, renderListQuery, renderSchema } from '../../core/api/renders';
import { AppError } from '../../core/errors';
import { VideoRender } from '../../db/entities';
import { systemEm } from '../../db/orm';
import { getVideoRender, listVideoRenders } from '../../db/repos';
import { writeVideoScript } from '../../renders/script-writer';
import { prepareRender } from '../../renders/store';
import { verifyDidWebhookToken } from '../../renders/webhook-token';
import type { AppDeps } from '../deps';
import { recordChange } from '../plugins/audit';
import { withModel } from '../services/content';
import { renderDto } from '../services/renders';
import { providerError } from './voices';

const notFound = () => new AppError('not_found', 'render not found', { field: 'id' });
const cursorOf = (r: VideoRender) => Buffer.from(`${r.createdAt.toISOString()}|${r.id}`).toString('base64url');
function parseCursor(cursor: string | undefined) {
  if (!cursor) return undefined;
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (Number.isNaN(createdAt.getTime()) || !/^[0-9a-f-]{36}$/.test(id ?? '')) throw new AppError('bad_request', 'cursor is not one this API gave', { field: 'cursor' });
  return { createdAt, id: id! };
}

export const videoRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['videos'];

    app.post(
      '/v1/videos',
      { schema: { tags, summary: 'Render a talking-avatar video (an identical request answers the stored video at once)', body: renderBody, response: { 200: renderCreated, 202: renderCreated, ...errorResponses } } },
      async (request, reply) => {
        const prepared = await withModel(() => prepareRender(deps, request.tenantId, { ...request.body, createdBy: request.principal.label })).catch((err) => Promise.reject(providerError(err)));
        if (prepared.action === 'start') await deps.workflows.videoRender.start(prepared.row.workflowId, prepared.input);
        recordChange(request, { targetType: 'video', targetId: prepared.row.id, after: { title: prepared.row.title, action: prepared.action } });
        const cached = prepared.action === 'cached';
        return reply.status(cached ? 200 : 202).send({ ...(await renderDto(deps.config, prepared.row, cached)), cached });
      },
    );

    app.post(
      '/v1/videos/script',
      {
        schema: {
          tags,
          summary: 'Write a script from a brief in a brand voice (the model, or the brief itself when none is configured)',
          body: z.object({ brief: z.string().trim().min(1).max(2000), brandVoiceId: z.uuid().nullish(), seconds: z.number().int().min(5).max(180).default(20) }),
          response: { 200: z.object({ script: z.string(), generatedBy: z.string() }), ...errorResponses },
        },
      },
      async (request) => withModel(() => writeVideoScript(deps, request.tenantId, request.body)),
    );

    app.get('/v1/videos', { schema: { tags, summary: 'Renders, newest first, with status and cost', querystring: renderListQuery, response: { 200: renderList, ...errorResponses } } }, async (request) => {
      const rows = await listVideoRenders(request.em, { status: request.query.status, limit: request.query.limit, before: parseCursor(request.query.cursor) });
      const page = rows.slice(0, request.query.limit);
      return { items: await Promise.all(page.map((r) => renderDto(deps.config, r, false))), nextCursor: rows.length > page.length ? cursorOf(page.at(-1)!) : null };
    });

    app.get('/v1/videos/:id', { schema: { tags, summary: 'A render: stage, cost, signed URLs of its outputs', params: uuidParam, response: { 200: renderSchema, ...errorResponses } } }, async (request) => {
      const row = await getVideoRender(request.em, request.params.id);
      if (!row) throw notFound();
      return renderDto(deps.config, row, true);
    });

    app.post('/v1/videos/:id/cancel', { schema: { tags, summary: 'Cancel a running render (what D-ID already rendered is still billed by D-ID)', params: uuidParam, response: { 202: renderSchema, ...errorResponses } } }, async (request, reply) => {
      const row = await getVideoRender(request.em, request.params.id);
      if (!row) throw notFound();
      if (row.status !== 'running') throw new AppError('conflict', `the render is ${row.status}, not running`, { field: 'id' });
      await deps.workflows.videoRender.cancel(row.workflowId);
      return reply.status(202).send(await renderDto(deps.config, row, false));
    });

    app.post(
      '/v1/webhooks/d-id/:token',
      { config: { public: true }, schema: { tags, summary: "D-ID's completion callback: the token in the URL is checked, then the render asks D-ID itself", params: didWebhookParams, response: { 200: z.object({ ok: z.boolean() }), 404: errorResponses[404] } } },
      async (request) => {
        const secret = deps.config.SWITCHBOARD_SECRET_KEY;
        const verified = secret ? verifyDidWebhookToken(secret, request.params.token) : null;
        if (!verified) throw new AppError('not_found', 'unknown webhook', { field: 'token' });
        const row = await systemEm(deps.orm).findOne(VideoRender, { id: verified.renderId }, { filters: false });
        if (!row || row.attempt !== verified.attempt) throw new AppError('not_found', 'unknown webhook', { field: 'token' });
        const jobId = typeof (request.body as { id?: unknown } | null)?.id === 'string' ? (request.body as { id: string }).id : row.providerJobId ?? '';
        const signalled = row.status === 'running' ? await deps.workflows.videoRender.providerDone(row.workflowId, jobId) : false;
        return { ok: signalled };
      },
    );
  };
