/**
 * The quotas' one database file: a tenant's limits (the configured defaults with the operator's
 * overrides, cached per process for LIMITS_TTL_MS), the usage kept per period, stored bytes, the
 * notices already sent and who gets them.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../core/config';
import { defaultLimits, effectiveLimits, type QuotaLimits, type QuotaOverrides } from '../core/quotas';
import { systemEm } from '../db/orm';
import { claimQuotaNotice, quotaOverrides, saveUsage, setQuotaOverrides, storedBytes, storedUsage } from '../db/repos/quotas';
import { tenantAdminEmails } from '../db/repos/webhooks';
import { appendAuditEntry } from '../db/repos/audit';
import { diff } from '../core/audit';

/** An operator's change reaches the process that made it at once, every other one within this. */
export const LIMITS_TTL_MS = 10_000;
const cache = new Map<string, { at: number; overrides: Promise<QuotaOverrides> }>();

export function quotaStore(orm: MikroORM, config: Config) {
  const em = () => systemEm(orm);
  const overrides = (tenantId: string): Promise<QuotaOverrides> => {
    const hit = cache.get(tenantId);
    if (hit && Date.now() - hit.at < LIMITS_TTL_MS) return hit.overrides;
    const loading = quotaOverrides(em(), tenantId);
    cache.set(tenantId, { at: Date.now(), overrides: loading });
    loading.catch(() => cache.delete(tenantId));
    return loading;
  };
  return {
    defaults: (): QuotaLimits => defaultLimits(config),
    overrides,
    limits: async (tenantId: string): Promise<QuotaLimits> => effectiveLimits(defaultLimits(config), await overrides(tenantId)),
    /** The operator's change (API or command line), with its audit entry in the tenant's log. */
    async setOverrides(tenantId: string, changes: Partial<Record<string, number | null>>, actor: OperatorActor): Promise<QuotaOverrides> {
      const before = await quotaOverrides(em(), tenantId);
      const after = await setQuotaOverrides(em(), tenantId, changes, actor.label);
      cache.delete(tenantId);
      await appendAuditEntry(em(), {
        tenantId,
        actorKind: 'operator',
        actorLabel: actor.label,
        userId: null,
        role: 'operator',
        scope: null,
        action: 'quota.update',
        method: actor.method,
        route: actor.route,
        path: actor.path,
        targetType: 'quota',
        targetId: tenantId,
        statusCode: 200,
        changes: diff(before, after),
        ip: actor.ip,
        userAgent: actor.userAgent,
      });
      return after;
    },
    storedUsage: (tenantId: string, quota: string, period: string) => storedUsage(em(), tenantId, quota, period),
    saveUsage: (rows: Parameters<typeof saveUsage>[1]) => saveUsage(em(), rows),
    storedBytes: (tenantId: string) => storedBytes(em(), tenantId),
    claimNotice: (n: Parameters<typeof claimQuotaNotice>[1]) => claimQuotaNotice(em(), n),
    adminEmails: (tenantId: string) => tenantAdminEmails(em(), tenantId),
  };
}

/** Who changed a tenant's limits, as the audit entry names them. */
export interface OperatorActor {
  label: string;
  method: string;
  route: string;
  path: string;
  ip: string;
  userAgent: string | null;
}

export type QuotaStore = ReturnType<typeof quotaStore>;
