/** The audit log: appended by the API's audit hook, read newest first with a keyset cursor. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditEntry } from '../entities';
import { keysetAfter, pageLimit, toPage, type Page } from './cursor';

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'createdAt' | 'tenant'> & { tenantId: string };

export async function appendAuditEntry(em: EntityManager, entry: NewAuditEntry): Promise<void> {
  const { tenantId, ...rest } = entry;
  await em.insert(AuditEntry, { ...rest, tenant: tenantId, createdAt: new Date() });
}

export interface AuditFilter {
  /** Part of the actor's label (email or `api-key:<name>`), any case. */
  actor?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
  cursor?: string;
  limit?: number;
}

const likePattern = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function listAuditEntries(em: EntityManager, f: AuditFilter): Promise<Page<AuditEntry>> {
  const limit = pageLimit(f.limit);
  const created: Record<string, Date> = {};
  if (f.from) created.$gte = f.from;
  if (f.to) created.$lt = f.to;
  const where = {
    ...(f.actor && { actorLabel: { $ilike: likePattern(f.actor) } }),
    ...(f.action && { action: f.action }),
    ...(f.targetType && { targetType: f.targetType }),
    ...(f.targetId && { targetId: f.targetId }),
    ...(Object.keys(created).length > 0 && { createdAt: created }),
    ...keysetAfter(f.cursor, 'createdAt', 'desc'),
  };
  const rows = await em.find(AuditEntry, where, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: limit + 1 });
  return toPage(rows, limit, (r) => r.createdAt);
}
