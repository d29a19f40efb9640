/**
 * Retention and privacy (admins only): the tenant's retention policy, which the daily `retention`
 * workflow enforces; a contact's export (a zip streamed as it is written: JSON per table group,
 * files under media/); and a contact's erasure (its rows, its Temporal runs, its cached keys),
 * which emits `contact.erased`. Both contact routes are on record in the audit log by the
 * contact's id only.
 */
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ZipFile } from 'yazl';
import { z } from 'zod';
import { errorResponses, uuidParam } from '../../core/api/common';
import { eraseBody, eraseResult, retentionSettings, retentionSettingsBody } from '../../core/api/privacy';
import { conversationCacheKeys } from '../../core/conversations';
import { AppError } from '../../core/errors';
import { fullPolicy, type RetentionPolicy } from '../../core/retention';
import { systemEm } from '../../db/orm';
import { CONTACT_EXPORT_SECTIONS, contactScope, contactWorkflowIds, eraseContactRows, tenantById, updateTenantSettings } from '../../db/repos';
import { createEventsQueue, eventJob } from '../../events/queue';
import { sha256 } from '../../events/sink';
import type { AppDeps } from '../deps';
import { appendRequestAudit, recordChange } from '../plugins/audit';

const notFound = () => new AppError('not_found', 'contact not found (an erased contact is gone for good)', { field: 'id' });

export const privacyRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const eventsQueue = createEventsQueue(deps.redis, deps.config.EVENTS_QUEUE_NAME);
    app.addHook('onClose', () => eventsQueue.close());
    const policyOf = async (tenantId: string) => fullPolicy((await tenantById(systemEm(deps.orm), tenantId))?.settings.retention);

    app.get('/v1/settings/retention', { schema: { tags: ['settings'], summary: 'Days to keep each kind of data (null: for ever)', response: { 200: retentionSettings, ...errorResponses } } }, async (request) =>
      policyOf(request.tenantId),
    );

    app.put(
      '/v1/settings/retention',
      {
        schema: {
          tags: ['settings'],
          summary: 'Change the retention policy: the kinds given change (null keeps for ever), the others stay',
          description: 'The daily retention run deletes what is past each kind’s cutoff; see README “Retention and privacy”.',
          body: retentionSettingsBody,
          response: { 200: retentionSettings, ...errorResponses },
        },
      },
      async (request) => {
        const before = await policyOf(request.tenantId);
        const after: RetentionPolicy = { ...before, ...request.body };
        await updateTenantSettings(systemEm(deps.orm), request.tenantId, { retention: after });
        recordChange(request, { targetType: 'settings.retention', targetId: request.tenantId, before, after });
        return fullPolicy(after);
      },
    );

    app.get(
      '/v1/contacts/:id/export',
      {
        schema: {
          tags: ['contacts'],
          summary: 'Everything stored about a contact, as a zip',
          description: 'contact.json (contact, consents, segments it matches), conversations.json (with messages), appointments.json, campaigns.json (sends, replies, clicks), events.json, media.json and the files under media/.',
          params: uuidParam,
          produces: ['application/zip'],
          response: { 200: z.unknown(), ...errorResponses },
        },
      },
      async (request, reply) => {
        const scope = await contactScope(request.em, request.tenantId, request.params.id);
        if (!scope) throw notFound();
        const entries = [];
        for (const section of CONTACT_EXPORT_SECTIONS) entries.push(...(await section(request.em, scope)));
        await appendRequestAudit(request, { action: 'contact.export', targetType: 'contact', targetId: scope.contactId, statusCode: 200, changes: [{ path: 'files', after: entries.length }] });
        const zip = new ZipFile();
        for (const entry of entries) {
          if ('json' in entry) zip.addBuffer(Buffer.from(`${JSON.stringify(entry.json, null, 2)}\n`), entry.path);
          else zip.addReadStreamLazy(entry.path, { size: entry.size }, (cb) => void entry.read().then((bytes) => cb(null, Readable.from([bytes])), (err: Error) => cb(err, undefined as never)));
        }
        zip.end();
        // A file that fails to load mid-stream ends the download short: the client sees a broken zip, not a silent gap.
        zip.on('error', (err: Error) => (zip.outputStream as Readable).destroy(err));
        return reply.type('application/zip').header('content-disposition', `attachment; filename="contact-${scope.contactId}.zip"`).send(zip.outputStream);
      },
    );

    app.post(
      '/v1/contacts/:id/erase',
      {
        schema: {
          tags: ['contacts'],
          summary: 'Erase a contact and everything about it (cannot be undone)',
          description:
            'Deletes its messages, files, conversations, consents, appointments, campaign sends and events; terminates and deletes the Temporal runs of its conversations, ' +
            'appointments and file downloads; removes cached keys; emits contact.erased. Analytics rollups keep their counts. A second call answers 404.',
          params: uuidParam,
          body: eraseBody,
          response: { 200: eraseResult, ...errorResponses },
        },
      },
      async (request) => {
        const scope = await contactScope(request.em, request.tenantId, request.params.id);
        if (!scope) throw notFound();
        // Runs first: a conversation still running could otherwise store a message after its rows are gone.
        const workflows = await deps.workflows.runs.deleteExecutions(await contactWorkflowIds(request.em, scope));
        const erased = await eraseContactRows(request.em, scope);
        const keys = scope.conversationIds.flatMap((id) => conversationCacheKeys(scope.tenantId, id));
        const cacheKeys = keys.length ? await deps.redis.del(...keys) : 0;
        const data = { contactId: scope.contactId, erased };
        try {
          await eventsQueue.add(
            'contact.erased',
            eventJob({ tenantId: scope.tenantId, type: 'contact.erased', workflowId: `contact:${scope.tenantId}:${scope.contactId}`, data }),
            { jobId: sha256(JSON.stringify([scope.tenantId, 'contact.erased', scope.contactId])), attempts: 5, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: { age: 24 * 3600 } },
          );
        } catch (err) {
          // The erasure is done and cannot be repeated (a retry answers 404): answer it, and let ops see the lost event.
          request.log.error({ err, contactId: scope.contactId }, 'contact.erased not queued');
        }
        // Ids and counts only: the entry must not keep what was erased.
        recordChange(request, { targetType: 'contact', targetId: scope.contactId, before: {}, after: { erased, workflows, cacheKeys } });
        return { contactId: scope.contactId, erased, workflows, cacheKeys };
      },
    );
  };
