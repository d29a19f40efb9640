/**
 * The quotas' one database file: a tenant's limits (the configured defaults with the operator's
 * overrides, cached per process for LIMITS_TTL_MS), the usage kept per period, stored bytes, the
 * notices already sent and who gets them.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../core/config';
import { defaultLimits, effectiveLimits, type QuotaLimits, type QuotaOverrides } from '../core/quotas';
import { systemEm } from '../db/orm';
import { changeQuotaOverrides, claimQuotaNotice, quotaOverrides, saveUsage, storedBytes, storedUsage, type OperatorActor } from '../db/repos/quotas';
import { tenantAdminEmails } from '../db/repos/webhooks';

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
      const after = await changeQuotaOverrides(em(), tenantId, changes, actor);
      cache.delete(tenantId);
      return after;
    },
    storedUsage: (tenantId: string, quota: string, period: string) => storedUsage(em(), tenantId, quota, period),
    saveUsage: (rows: Parameters<typeof saveUsage>[1]) => saveUsage(em(), rows),
    storedBytes: (tenantId: string) => storedBytes(em(), tenantId),
    claimNotice: (n: Parameters<typeof claimQuotaNotice>[1]) => claimQuotaNotice(em(), n),
    adminEmails: (tenantId: string) => tenantAdminEmails(em(), tenantId),
  };
}

export type { OperatorActor };
export type QuotaStore = ReturnType<typeof quotaStore>;
