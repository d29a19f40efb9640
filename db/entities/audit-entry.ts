import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { AuditChange } from '../../core/audit';
import { createdAt, uuidPk } from './common';
import { Tenant } from './tenant';

/**
 * One management action (a state-changing API call that succeeded): who, with which role, what,
 * on which resource, the fields it changed, from where and when. Append-only: the database refuses
 * updates and deletes (migration Migration20261223080000_audit_log).
 */
export const AuditEntry = defineEntity({
  name: 'AuditEntry',
  tableName: 'audit_log',
  properties: {
    id: uuidPk(),
    tenant: p.manyToOne(Tenant).mapToPk(),
    /** `user` (signed in to the console) or `apiKey`. */
    actorKind: p.text(),
    /** The user's email or `api-key:<name>`. */
    actorLabel: p.text(),
    userId: p.uuid().nullable(),
    role: p.text(),
    /** An API key's scope; null for users. */
    scope: p.text().nullable(),
    /** `flow.update`, `channel.delete`, …: the route's action name (api/plugins/audit.ts). */
    action: p.text(),
    method: p.text(),
    /** The route pattern (`/v1/flows/:id`); `path` is the concrete one. */
    route: p.text(),
    path: p.text(),
    targetType: p.text().nullable(),
    targetId: p.text().nullable(),
    statusCode: p.integer(),
    /** Changed fields (before/after, secrets redacted) when the route knows them, else the request body as sent (redacted) under `after`. */
    changes: p.json<AuditChange[]>(),
    ip: p.text(),
    userAgent: p.text().nullable(),
    createdAt: createdAt(),
  },
  indexes: [{ properties: ['tenant', 'createdAt', 'id'] }],
});
export type AuditEntry = InferEntity<typeof AuditEntry>;
