import { ApplicationFailure } from '@temporalio/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Tenant } from '../db/entities';
import type { Config } from '../core/config';

/** Settings changes reach running workers within this long; every model call no longer reads the row. */
const TENANT_TTL_MS = 5_000;
const tenants = new Map<string, { tenant: Tenant; until: number }>();

/** The tenant row; a missing tenant is a permanent failure (no retry will create it). */
export async function loadTenant(orm: MikroORM, tenantId: string): Promise<Tenant> {
  const hit = tenants.get(tenantId);
  if (hit && hit.until > Date.now()) return hit.tenant;
  const tenant = await orm.em.fork().findOne(Tenant, { id: tenantId });
  if (!tenant) throw ApplicationFailure.nonRetryable(`tenant ${tenantId} not found`, 'NotFound');
  if (tenants.size > 10_000) tenants.clear();
  tenants.set(tenantId, { tenant, until: Date.now() + TENANT_TTL_MS });
  return tenant;
}

export async function allowedHosts(orm: MikroORM, config: Config, tenantId: string): Promise<string[]> {
  const tenant = await loadTenant(orm, tenantId);
  return [...config.HTTP_ALLOWED_HOSTS, ...(tenant.settings.httpAllowedHosts ?? [])];
}
