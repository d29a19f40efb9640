import { ApplicationFailure } from '@temporalio/common';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Tenant } from '../db/entities';
import type { Config } from '../core/config';

/** The tenant row; a missing tenant is a permanent failure (no retry will create it). */
export async function loadTenant(orm: MikroORM, tenantId: string): Promise<Tenant> {
  const tenant = await orm.em.fork().findOne(Tenant, { id: tenantId });
  if (!tenant) throw ApplicationFailure.nonRetryable(`tenant ${tenantId} not found`, 'NotFound');
  return tenant;
}

export async function allowedHosts(orm: MikroORM, config: Config, tenantId: string): Promise<string[]> {
  const tenant = await loadTenant(orm, tenantId);
  return [...config.HTTP_ALLOWED_HOSTS, ...(tenant.settings.httpAllowedHosts ?? [])];
}
