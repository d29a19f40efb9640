/** `/v1/audit-log`: the management actions of a tenant, newest first, and their CSV export. */
import { z } from 'zod';
import { text } from './common';

const instant = (field: string) => z.iso.datetime({ offset: true, message: `${field} must be an ISO 8601 date-time, e.g. 2026-12-01T00:00:00Z` });

export const auditQuery = z
  .object({
    actor: text().trim().max(200).optional(),
    action: z.string().regex(/^[a-z][a-z.-]{0,99}$/, 'action is an action name such as flow.update').optional(),
    targetType: z.string().regex(/^[a-z][a-z.-]{0,99}$/, 'targetType is a resource name such as flow').optional(),
    targetId: text().max(200).optional(),
    from: instant('from').optional(),
    to: instant('to').optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(500).optional(),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { message: 'from must be before to', path: ['from'] });

export const auditChangeSchema = z.object({ path: z.string(), before: z.unknown().optional(), after: z.unknown().optional() });

export const auditEntrySchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  // `system`: a scheduled run (retention); `operator`: the platform operator (OPERATOR_TOKEN or `npm run quota`), changing a tenant's quotas.
  actorKind: z.enum(['user', 'apiKey', 'system', 'operator']),
  actorLabel: z.string(),
  userId: z.string().nullable(),
  role: z.string(),
  scope: z.string().nullable(),
  action: z.string(),
  method: z.string(),
  route: z.string(),
  path: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  statusCode: z.number(),
  changes: z.array(auditChangeSchema),
  ip: z.string(),
  userAgent: z.string().nullable(),
});
export type AuditEntryDto = z.infer<typeof auditEntrySchema>;

export const auditList = z.object({ items: z.array(auditEntrySchema), nextCursor: z.string().nullable() });

/** The CSV export's columns, in order (`changes` as JSON). */
export const AUDIT_CSV_COLUMNS = ['createdAt', 'actorLabel', 'actorKind', 'role', 'scope', 'action', 'method', 'path', 'targetType', 'targetId', 'statusCode', 'ip', 'userAgent', 'changes'] as const;
