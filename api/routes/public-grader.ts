/**
 * The public lead-generation grader, per tenant: `/grader/:tenantSlug` (one HTML page, no login,
 * off until an admin turns it on) and its JSON routes under `/v1/public/grader/:tenantSlug`. A
 * visitor gives a website and an email and ticks the consent box; the route checks the abuse rules
 * (api/services/grader-abuse.ts), makes or finds the contact with that email and records its email
 * opt-in (method `form`, the consent sentence as its source), stores the audit and the lead and
 * starts `presenceFollowUp`, which runs the audit and mails the report. The page follows the
 * lead's progress by a signed token. The setting is `GET/PUT /v1/settings/public-grader` (admins).
 */
import { readFile } from 'node:fs/promises';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, uuidParam } from '../../core/api/common';
import { tenantSlugParams } from '../../core/api/public-booking';
import { normalizeEmail } from '../../core/campaigns/contact-fields';
import { AppError } from '../../core/errors';
import { PUBLIC_GRADER_LIMITS, publicGraderBody, publicGraderSettingsSchema, type PublicGraderSettings } from '../../core/presence-surface';
import { Contact } from '../../db/entities';
import { systemEm, tenantEm } from '../../db/orm';
import { tenantById, tenantBySlug, updateTenantSettings } from '../../db/repos';
import { optIn } from '../../db/repos/audience';
import { createContact } from '../../db/repos/contacts';
import { createLead, finishLead, getLead } from '../../db/repos/presence-surface';
import { presenceStore } from '../../presence/store';
import { esc } from '../../webhooks/presence-report';
import { recordChange } from '../plugins/audit';
import { pageCsp } from '../plugins/security-headers';
import { admitGraderSubmission } from '../services/grader-abuse';
import { formToken, leadToken, leadTokenMatches } from '../services/presence-links';
import { enforceRateLimit } from '../services/rate-limit';
import type { AppDeps } from '../deps';

const PAGE = new URL('../public/grader.html', import.meta.url);
const tags = ['public grader'];
const publicRoute = { public: true };
const base = '/v1/public/grader/:tenantSlug';

const settingsOf = (stored: unknown): PublicGraderSettings => publicGraderSettingsSchema.parse(stored ?? {});
const settingsView = publicGraderSettingsSchema.extend({ path: z.string() });

const leadStatus = z.object({
  id: z.string(),
  status: z.enum(['auditing', 'mailing', 'mailed', 'failed']),
  progress: z.number().int().min(0).max(100),
  step: z.string(),
  grade: z.string().nullable(),
  score: z.number().nullable(),
  detail: z.string().nullable(),
});

export const publicGraderRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const html = await readFile(PAGE, 'utf8');
    const csp = pageCsp(html, ["'self'"]);
    const store = presenceStore(deps.orm);

    /** The tenant whose grader page is on, or the same 404 as an unknown slug. */
    const graderTenant = async (slug: string) => {
      const tenant = await tenantBySlug(systemEm(deps.orm), slug);
      const settings = tenant ? settingsOf(tenant.settings.publicGrader) : null;
      if (!tenant || !settings?.enabled) throw new AppError('not_found', 'grader page not found', { field: 'tenantSlug' });
      return { id: tenant.id, name: tenant.name, settings };
    };

    app.get('/grader/:tenantSlug', { config: publicRoute, schema: { hide: true, params: tenantSlugParams } }, async (request, reply) => {
      const tenant = await graderTenant(request.params.tenantSlug);
      await enforceRateLimit(deps.redis, `grader-read:${tenant.id}:${request.ip}`, PUBLIC_GRADER_LIMITS.reads, reply);
      // A function replacer: a `$&` in a title is text, not a replacement pattern.
      const values: Record<string, string> = {
        title: esc(tenant.settings.title),
        intro: esc(tenant.settings.intro),
        consentText: esc(tenant.settings.consentText),
        formToken: formToken(deps.secretKey, tenant.id, Math.floor(Date.now() / 1000)),
      };
      const page = html.replace(/\{\{(title|intro|consentText|formToken)\}\}/g, (_, key: string) => values[key]);
      return reply.header('content-security-policy', csp).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(page);
    });

    app.post(
      `${base}/audits`,
      {
        config: publicRoute,
        schema: {
          tags,
          summary: 'Grade a website and email the report: makes the contact with its consent, answers the lead to follow (rate-limited per IP, website, email and tenant)',
          params: tenantSlugParams,
          body: publicGraderBody,
          response: { 202: z.object({ id: z.string(), token: z.string() }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const tenant = await graderTenant(request.params.tenantSlug);
        const body = request.body;
        const email = normalizeEmail(body.email);
        if (!email.ok) throw new AppError('bad_request', email.message, { field: 'email' });
        const siteHost = new URL(body.websiteUrl).hostname.toLowerCase().replace(/^www\./, '');
        await admitGraderSubmission(deps.redis, deps.secretKey, { tenantId: tenant.id, ip: request.ip, siteHost, email: email.value, formToken: body.formToken, company: body.company });

        const em = tenantEm(deps.orm, tenant.id);
        // One person, one contact: the tenant's contact with this email is the visitor.
        const existing = await em.findOne(Contact, { email: email.value }, { orderBy: { createdAt: 'asc' } });
        const contactId = existing?.id ?? (await createContact(em, tenant.id, { email: email.value, ...(body.name ? { name: body.name } : {}), tags: ['grader-lead'], attributes: { graderWebsite: body.websiteUrl } }));
        if (existing && !existing.tags.includes('grader-lead')) {
          existing.tags = [...existing.tags, 'grader-lead'];
          await em.flush();
        }
        await optIn(em, contactId, 'email', { method: 'form', source: `website grader (${siteHost}): ${tenant.settings.consentText}`.slice(0, 500) });

        const row = await store.insert({ tenantId: tenant.id, url: body.websiteUrl, profiles: {}, brandVoiceId: null, createdBy: 'public grader' });
        const lead = await createLead(em, { auditId: row.id, contactId, siteHost });
        try {
          await deps.workflows.presenceFollowUp.startLead(tenant.id, lead.id, { workflowId: row.workflowId, input: { tenantId: tenant.id, auditId: row.id, url: row.url, profiles: {}, brandVoiceId: null } });
        } catch (err) {
          // Nothing will run them: the row and the lead say so instead of staying "running".
          await store.fail(tenant.id, row.id, 'the audit could not be started');
          await finishLead(em, lead.id, 'failed', 'the audit could not be started');
          throw err;
        }
        return reply.status(202).send({ id: lead.id, token: leadToken(deps.secretKey, tenant.id, lead.id) });
      },
    );

    app.get(
      `${base}/leads/:id`,
      {
        config: publicRoute,
        schema: {
          tags,
          summary: 'The progress of a grader request (its token from the start), and its grade once done',
          params: tenantSlugParams.extend(uuidParam.shape),
          querystring: z.object({ token: z.string().max(100) }),
          response: { 200: leadStatus, ...errorResponses },
        },
      },
      async (request, reply) => {
        const tenant = await graderTenant(request.params.tenantSlug);
        await enforceRateLimit(deps.redis, `grader-read:${tenant.id}:${request.ip}`, PUBLIC_GRADER_LIMITS.reads, reply);
        const notFound = new AppError('not_found', 'request not found', { field: 'id' });
        if (!leadTokenMatches(deps.secretKey, tenant.id, request.params.id, request.query.token)) throw notFound;
        const lead = await getLead(tenantEm(deps.orm, tenant.id), request.params.id);
        if (!lead) throw notFound;
        const row = await store.get(tenant.id, lead.auditId);
        const live = row?.status === 'running' ? await deps.workflows.presenceAudit.progress(row.workflowId) : null;
        const progress = row?.status !== 'running' ? 100 : live && live.total > 0 ? Math.round((100 * live.done) / live.total) : 0;
        const step = lead.status === 'mailed' ? 'Report sent' : row?.status === 'running' ? `Checking (${live?.done ?? 0} of ${live?.total ?? '…'} parts done)` : 'Preparing your report';
        return { id: lead.id, status: lead.status, progress, step, grade: row?.grade ?? null, score: row?.overall ?? null, detail: lead.status === 'failed' ? 'The report could not be sent.' : null };
      },
    );

    app.get('/v1/settings/public-grader', { schema: { tags: ['settings'], summary: 'The public grader page setting and its path', response: { 200: settingsView, ...errorResponses } } }, async (request) => {
      const tenant = (await tenantById(systemEm(deps.orm), request.tenantId))!;
      return { ...settingsOf(tenant.settings.publicGrader), path: `/grader/${tenant.slug}` };
    });

    app.put(
      '/v1/settings/public-grader',
      { schema: { tags: ['settings'], summary: 'Turn the public grader page on or off, set its title, intro and consent sentence', body: publicGraderSettingsSchema, response: { 200: settingsView, ...errorResponses } } },
      async (request) => {
        const before = (await tenantById(systemEm(deps.orm), request.tenantId))!;
        const tenant = await updateTenantSettings(systemEm(deps.orm), request.tenantId, { publicGrader: request.body });
        recordChange(request, { targetType: 'settings.publicGrader', targetId: request.tenantId, before: before.settings.publicGrader ?? null, after: request.body });
        return { ...settingsOf(tenant.settings.publicGrader), path: `/grader/${tenant.slug}` };
      },
    );
  };
