import { ApplicationFailure } from '@temporalio/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../core/config';
import type { Tenant } from '../db/entities';
import { cachedTenant } from '../db/repos/tenants';

/** The tenant row (cached a few seconds); a missing tenant is a permanent failure (no retry will create it). */
export async function loadTenant(orm: MikroORM, tenantId: string): Promise<Tenant> {
  const tenant = await cachedTenant(orm, tenantId);
  if (!tenant) throw ApplicationFailure.nonRetryable(`tenant ${tenantId} not found`, 'NotFound');
  return tenant;
}

export async function allowedHosts(orm: MikroORM, config: Config, tenantId: string): Promise<string[]> {
  const tenant = await loadTenant(orm, tenantId);
  return [...config.HTTP_ALLOWED_HOSTS, ...(tenant.settings.httpAllowedHosts ?? [])];
}
