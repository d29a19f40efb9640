/**
 * The presence grader's report beyond the console: read-only share links (made and revoked by
 * marketers, opened by anyone holding the token, without login), the PDF export (signed in, or
 * through a share link), what changed between two audits, and the re-audit Schedule's setting
 * (`/v1/settings/presence-schedule`, admins like every setting).
 */
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, uuidParam } from '../../core/api/common';
import { publicUrl } from '../../core/config';
import { AppError } from '../../core/errors';
import { isUuid } from '../../core/ids';
import { compareReports, presenceScheduleSchema, presenceScheduleStored, reportViewOf, shareLinkSchema, shareTokenParams, type ReportView } from '../../core/presence-surface';
import { systemEm } from '../../db/orm';
import { tenantById, updateTenantSettings } from '../../db/repos';
import { createShareLink, listShareLinks, revokeShareLink, shareLinkById, type ShareLinkRow } from '../../db/repos/presence-surface';
import { presenceStore, type AuditRow } from '../../presence/store';
import { reportHtml } from '../../webhooks/presence-report';
import { recordChange } from '../plugins/audit';
import { reportPdf } from '../services/presence-pdf';
import { shareLinkIdOf, shareToken } from '../services/presence-links';
import type { AppDeps } from '../deps';

const MARKETING = ['admin', 'marketer', 'approver'] as const;
const tags = ['presence'];
const auditNotFound = () => new AppError('not_found', 'audit not found', { field: 'id' });
const linkNotFound = () => new AppError('not_found', 'share link not found', { field: 'token' });

const changesSchema = z.object({
  from: z.object({ id: z.string(), createdAt: z.string() }),
  to: z.object({ id: z.string(), createdAt: z.string() }),
  overall: z.object({ from: z.number(), to: z.number(), delta: z.number() }),
  grade: z.object({ from: z.string(), to: z.string() }),
  categories: z.array(z.object({ category: z.string(), label: z.string(), from: z.number().nullable(), to: z.number().nullable() })),
  checks: z.array(z.object({ id: z.string(), label: z.string(), from: z.string().nullable(), to: z.string().nullable(), pointsFrom: z.number(), pointsTo: z.number() })),
});

const scheduleView = z.object({
  schedule: presenceScheduleStored.nullable(),
  scheduleId: z.string().nullable(),
  paused: z.boolean(),
  nextRuns: z.array(z.string()),
  lastRunAt: z.string().nullable(),
});

const pdfName = (row: AuditRow) => `presence-report-${new URL(row.url).hostname}-${(row.completedAt ?? row.createdAt).toISOString().slice(0, 10)}.pdf`;

export const presenceShareRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const store = presenceStore(deps.orm);
    const base = () => publicUrl(deps.config).replace(/\/$/, '');
    const linkView = (l: ShareLinkRow) => {
      const token = shareToken(deps.secretKey, l.id);
      return { id: l.id, auditId: l.auditId, url: `${base()}/presence/share/${token}`, pdfUrl: `${base()}/presence/share/${token}/pdf`, createdAt: new Date(l.createdAt).toISOString(), revokedAt: l.revokedAt ? new Date(l.revokedAt).toISOString() : null };
    };
    const completed = async (tenantId: string, id: string): Promise<AuditRow & { report: NonNullable<AuditRow['report']> }> => {
      const row = await store.get(tenantId, id);
      if (!row) throw auditNotFound();
      if (row.status !== 'completed' || !row.report) throw new AppError('conflict', 'the audit has no report yet', { field: 'id' });
      return row as AuditRow & { report: NonNullable<AuditRow['report']> };
    };
    // The business's name as its own site and listings state it (the report's facts), not the tenant's.
    const view = async (row: AuditRow & { report: NonNullable<AuditRow['report']> }): Promise<ReportView> => reportViewOf(row.report, { businessName: null });
    const sendPdf = async (reply: FastifyReply, row: AuditRow & { report: NonNullable<AuditRow['report']> }) =>
      reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${pdfName(row)}"`)
        .header('cache-control', 'private, no-store')
        .send(Buffer.from(await reportPdf(await view(row))));

    /** The share link's audit, or the same 404 for a forged, unknown or revoked token. */
    const shared = async (token: string) => {
      const id = shareLinkIdOf(deps.secretKey, token);
      const link = id && isUuid(id) ? await shareLinkById(systemEm(deps.orm), id) : null;
      if (!link || link.revokedAt) throw linkNotFound();
      const row = await store.get(link.tenantId, link.auditId);
      if (!row || row.status !== 'completed' || !row.report) throw linkNotFound();
      return row as AuditRow & { report: NonNullable<AuditRow['report']> };
    };

    app.post(
      '/v1/presence/audits/:id/share-links',
      { config: { roles: MARKETING }, schema: { tags, summary: 'A read-only link to the audit’s report that opens without login (until revoked)', params: uuidParam, response: { 201: shareLinkSchema, ...errorResponses } } },
      async (request, reply) => {
        await completed(request.tenantId, request.params.id);
        const link = await createShareLink(request.em, request.params.id, request.principal.userId);
        recordChange(request, { targetType: 'presence.share-link', targetId: link.id, after: { auditId: link.auditId } });
        return reply.status(201).send(linkView(link));
      },
    );

    app.get(
      '/v1/presence/audits/:id/share-links',
      { schema: { tags, summary: 'The audit’s share links, revoked ones included', params: uuidParam, response: { 200: z.object({ items: z.array(shareLinkSchema) }), ...errorResponses } } },
      async (request) => {
        if (!(await store.get(request.tenantId, request.params.id))) throw auditNotFound();
        return { items: (await listShareLinks(request.em, request.params.id)).map(linkView) };
      },
    );

    app.delete(
      '/v1/presence/share-links/:id',
      { config: { roles: MARKETING }, schema: { tags, summary: 'Revoke a share link: it opens nothing from now on', params: uuidParam, response: { 204: z.null(), ...errorResponses } } },
      async (request, reply) => {
        if (!(await revokeShareLink(request.em, request.params.id))) throw new AppError('not_found', 'share link not found', { field: 'id' });
        recordChange(request, { targetType: 'presence.share-link', targetId: request.params.id, after: { revoked: true } });
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/v1/presence/audits/:id/pdf',
      { schema: { tags, summary: 'The audit’s report as a PDF', params: uuidParam, produces: ['application/pdf'], response: { 200: z.any().meta({ description: 'application/pdf' }), ...errorResponses } } },
      async (request, reply) => sendPdf(reply, await completed(request.tenantId, request.params.id)),
    );

    app.get(
      '/v1/presence/audits/:id/changes',
      {
        schema: {
          tags,
          summary: 'What changed between an earlier audit (`since`, default: the previous completed audit of the same website) and this one',
          params: uuidParam,
          querystring: z.object({ since: z.uuid({ message: 'since must be a UUID' }).optional() }),
          response: { 200: changesSchema, ...errorResponses },
        },
      },
      async (request) => {
        const after = await completed(request.tenantId, request.params.id);
        let beforeId = request.query.since;
        if (!beforeId) {
          const earlier = await store.list(request.tenantId, { url: after.url, status: 'completed', limit: 1, before: { createdAt: after.createdAt, id: after.id } });
          if (!earlier[0]) throw new AppError('not_found', 'no earlier completed audit of this website', { field: 'since' });
          beforeId = earlier[0].id;
        }
        const before = await store.get(request.tenantId, beforeId);
        if (!before) throw new AppError('not_found', 'audit not found', { field: 'since' });
        if (before.status !== 'completed' || !before.report) throw new AppError('conflict', 'the earlier audit has no report', { field: 'since' });
        return { from: { id: before.id, createdAt: before.createdAt.toISOString() }, to: { id: after.id, createdAt: after.createdAt.toISOString() }, ...compareReports(before.report, after.report) };
      },
    );

    // The shared report: an HTML page and its PDF, no login; the token alone says which audit.
    const sharedParams = shareTokenParams;
    app.get('/presence/share/:token', { config: { public: true }, schema: { hide: true, params: sharedParams } }, async (request, reply) => {
      const row = await shared(request.params.token);
      const html = reportHtml(await view(row), { footer: `<a href="${request.params.token}/pdf">Download as PDF</a>` });
      return reply.header('cache-control', 'private, no-store').header('x-robots-tag', 'noindex').type('text/html; charset=utf-8').send(html);
    });
    app.get('/presence/share/:token/pdf', { config: { public: true }, schema: { hide: true, params: sharedParams } }, async (request, reply) => sendPdf(reply, await shared(request.params.token)));

    app.get('/v1/settings/presence-schedule', { schema: { tags: ['settings'], summary: 'Scheduled re-audits of the tenant’s own website, and the Schedule’s next runs', response: { 200: scheduleView, ...errorResponses } } }, async (request) => {
      const tenant = (await tenantById(systemEm(deps.orm), request.tenantId))!;
      const described = await deps.workflows.presenceFollowUp.describeSchedule(request.tenantId);
      return { schedule: tenant.settings.presenceSchedule ?? null, scheduleId: described?.scheduleId ?? null, paused: described?.paused ?? true, nextRuns: described?.nextRuns ?? [], lastRunAt: described?.lastRunAt ?? null };
    });

    app.put(
      '/v1/settings/presence-schedule',
      { schema: { tags: ['settings'], summary: 'Turn weekly or monthly re-audits on or off (a Temporal Schedule in the tenant’s zone)', body: presenceScheduleSchema, response: { 200: scheduleView, ...errorResponses } } },
      async (request) => {
        const before = (await tenantById(systemEm(deps.orm), request.tenantId))!;
        const tenant = await updateTenantSettings(systemEm(deps.orm), request.tenantId, { presenceSchedule: request.body });
        await deps.workflows.presenceFollowUp.syncSchedule(request.tenantId, request.body, tenant.settings.timezone ?? 'UTC');
        recordChange(request, { targetType: 'settings.presenceSchedule', targetId: request.tenantId, before: before.settings.presenceSchedule ?? null, after: request.body });
        const described = await deps.workflows.presenceFollowUp.describeSchedule(request.tenantId);
        return { schedule: request.body, scheduleId: described?.scheduleId ?? null, paused: described?.paused ?? true, nextRuns: described?.nextRuns ?? [], lastRunAt: described?.lastRunAt ?? null };
      },
    );

    app.delete('/v1/settings/presence-schedule', { schema: { tags: ['settings'], summary: 'Remove scheduled re-audits (the Schedule is deleted)', response: { 204: z.null(), ...errorResponses } } }, async (request, reply) => {
      const em = systemEm(deps.orm);
      const tenant = (await tenantById(em, request.tenantId))!;
      const { presenceSchedule: before, ...rest } = tenant.settings;
      tenant.settings = rest;
      await em.flush();
      await deps.workflows.presenceFollowUp.syncSchedule(request.tenantId, undefined, 'UTC');
      recordChange(request, { targetType: 'settings.presenceSchedule', targetId: request.tenantId, before: before ?? null, after: null });
      return reply.status(204).send(null);
    });
  };
