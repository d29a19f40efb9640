/**
 * The audit log (admins, by the rule in plugins/roles.ts): a page of entries with filters, and the
 * same filters as a CSV file, streamed page by page so a year of entries never sits in memory.
 */
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AUDIT_CSV_COLUMNS, auditList, auditQuery, type AuditEntryDto } from '../../core/api/audit';
import { errorResponses } from '../../core/api/common';
import type { AuditEntry } from '../../db/entities';
import { listAuditEntries, type AuditFilter } from '../../db/repos';
import { iso } from '../services/serialize';

const toDto = (e: AuditEntry): AuditEntryDto => ({
  id: e.id,
  createdAt: iso(e.createdAt)!,
  actorKind: e.actorKind as AuditEntryDto['actorKind'],
  actorLabel: e.actorLabel,
  userId: e.userId ?? null,
  role: e.role,
  scope: e.scope ?? null,
  action: e.action,
  method: e.method,
  route: e.route,
  path: e.path,
  targetType: e.targetType ?? null,
  targetId: e.targetId ?? null,
  statusCode: e.statusCode,
  changes: e.changes,
  ip: e.ip,
  userAgent: e.userAgent ?? null,
});

const toFilter = (q: z.infer<typeof auditQuery>): AuditFilter => ({
  ...q,
  from: q.from ? new Date(q.from) : undefined,
  to: q.to ? new Date(q.to) : undefined,
});

export const auditLogRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['audit log'];

  app.get('/v1/audit-log', { schema: { tags, summary: 'Management actions, newest first: who did what to which resource, with the fields changed', querystring: auditQuery, response: { 200: auditList, ...errorResponses } } }, async (request) => {
    const page = await listAuditEntries(request.em, toFilter(request.query));
    return { items: page.items.map(toDto), nextCursor: page.nextCursor };
  });

  app.get(
    '/v1/audit-log/export',
    { schema: { tags, summary: 'The entries matching the filters as CSV (every page; `limit` and `cursor` are ignored)', querystring: auditQuery, produces: ['text/csv'], response: { 200: z.unknown(), ...errorResponses } } },
    async (request, reply) => {
      const em = request.em;
      const filter = toFilter(request.query);
      async function* rows() {
        let cursor: string | undefined;
        do {
          const page = await listAuditEntries(em, { ...filter, limit: 200, cursor });
          for (const e of page.items) {
            const dto = toDto(e);
            yield AUDIT_CSV_COLUMNS.map((c) => (c === 'changes' ? JSON.stringify(dto.changes) : (dto[c] ?? '')));
          }
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
      }
      const csv = Readable.from(rows()).pipe(stringify({ header: true, columns: [...AUDIT_CSV_COLUMNS] }));
      const day = new Date().toISOString().slice(0, 10);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="audit-log-${day}.csv"`).send(csv);
    },
  );
};
