/**
 * `/v1/presence/audits`: the digital presence grader. A create stores the audit's row and starts
 * its `presenceAudit` workflow (202); a get answers the row with the live progress while it runs
 * (the workflow's `progress` query) and the report once done; the list is the tenant's audits,
 * newest first, optionally of one website (its history of grades). Marketers run audits; every
 * role reads them.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditList, auditListQuery, auditView, createAuditBody, type AuditSummary, type AuditView } from '../../core/api/presence';
import { errorResponses, uuidParam } from '../../core/api/common';
import { AppError } from '../../core/errors';
import { isUuid } from '../../core/ids';
import { auditProgress, type AuditProgress } from '../../core/presence/types';
import { getBrandVoice } from '../../db/repos/brand-voices';
import { decodeCursor, toPage } from '../../db/repos/cursor';
import { presenceStore, type AuditRow } from '../../presence/store';
import type { AppDeps } from '../deps';
import { recordChange } from '../plugins/audit';

const notFound = () => new AppError('not_found', 'audit not found', { field: 'id' });

const summaryOf = (row: AuditRow): AuditSummary => ({
  id: row.id,
  url: row.url,
  status: row.status,
  stage: row.stage,
  overall: row.overall,
  grade: row.grade,
  workflowId: row.workflowId,
  createdBy: row.createdBy,
  createdAt: row.createdAt.toISOString(),
  completedAt: row.completedAt?.toISOString() ?? null,
});

/** The workflow knows its modules' states at phase boundaries; the row has each module's end as it happens. */
function withEndedModules(live: AuditProgress, row: AuditRow): AuditProgress {
  const modules = live.modules.map((m) => {
    const ended = m.status === 'running' ? row.moduleProgress[m.id] : undefined;
    return ended ? { ...m, ...ended, id: m.id } : m;
  });
  return { ...live, modules, done: modules.filter((m) => m.status === 'done' || m.status === 'failed').length };
}

/** The stored stage when the workflow cannot be asked (finished long ago, or not yet picked up). */
const storedProgress = (row: AuditRow): AuditProgress => ({ stage: row.stage, modules: [], done: 0, total: 0, error: row.error });

export const presenceRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['presence'];
    const store = presenceStore(deps.orm);

    const progressOf = async (row: AuditRow): Promise<AuditProgress> => {
      const live = row.status === 'running' ? await deps.workflows.presenceAudit.progress(row.workflowId) : null;
      return live ? withEndedModules(live, row) : storedProgress(row);
    };
    /** `live: false` for an audit just started: asking its workflow before its first task would only queue a query behind it. */
    const viewOf = async (row: AuditRow, live = true): Promise<AuditView> => ({
      ...summaryOf(row),
      profiles: row.profiles,
      brandVoiceId: row.brandVoiceId,
      progress: live ? await progressOf(row) : storedProgress(row),
      report: row.report,
      error: row.error,
    });
    const load = async (tenantId: string, id: string) => (await store.get(tenantId, id)) ?? Promise.reject(notFound());

    app.post(
      '/v1/presence/audits',
      {
        schema: {
          tags,
          summary: 'Audit a business’s web presence: its website (and optional profile URLs or ids); answers at once, the audit runs as a workflow',
          body: createAuditBody,
          response: { 202: auditView, ...errorResponses },
        },
      },
      async (request, reply) => {
        const { url, profiles, brandVoiceId } = request.body;
        if (brandVoiceId && !(await getBrandVoice(request.em, brandVoiceId))) throw new AppError('not_found', 'brand voice not found', { field: 'brandVoiceId' });
        const row = await store.insert({ tenantId: request.tenantId, url, profiles, brandVoiceId: brandVoiceId ?? null, createdBy: request.principal.label });
        await deps.workflows.presenceAudit.start(row.workflowId, { tenantId: request.tenantId, auditId: row.id, url, profiles, brandVoiceId: brandVoiceId ?? null });
        recordChange(request, { targetType: 'presence.audit', targetId: row.id, after: { url } });
        return reply.status(202).send(await viewOf(row, false));
      },
    );

    app.get('/v1/presence/audits', { schema: { tags, summary: 'Audits, newest first (optionally of one website: its grade over time)', querystring: auditListQuery, response: { 200: auditList, ...errorResponses } } }, async (request) => {
      const { url, status, limit, cursor } = request.query;
      const at = cursor ? decodeCursor(cursor) : null;
      if (at && !isUuid(at.id)) throw new AppError('bad_request', 'invalid cursor', { field: 'cursor' });
      const rows = await store.list(request.tenantId, { url, status, limit, before: at ? { createdAt: new Date(at.t), id: at.id } : undefined });
      const page = toPage(rows, limit, (r) => r.createdAt);
      return { items: page.items.map(summaryOf), nextCursor: page.nextCursor };
    });

    app.get('/v1/presence/audits/:id', { schema: { tags, summary: 'An audit: live progress while it runs, the report (checks, evidence, scores, recommendations) once done', params: uuidParam, response: { 200: auditView, ...errorResponses } } }, async (request) =>
      viewOf(await load(request.tenantId, request.params.id)),
    );

    app.get('/v1/presence/audits/:id/progress', { schema: { tags, summary: 'An audit’s live progress: stage and each check module’s state', params: uuidParam, response: { 200: auditProgress, ...errorResponses } } }, async (request) =>
      progressOf(await load(request.tenantId, request.params.id)),
    );
  };
