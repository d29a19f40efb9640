import type { EntityManager } from '@mikro-orm/postgresql';
import { Tenant, type TenantSettings } from '../entities';

export const tenantById = (em: EntityManager, id: string) => em.findOne(Tenant, { id });
export const tenantBySlug = (em: EntityManager, slug: string) => em.findOne(Tenant, { slug });

/** Creates the tenant when the slug is new; returns the existing one otherwise. */
export async function ensureTenant(em: EntityManager, slug: string, name: string): Promise<Tenant> {
  await em.createQueryBuilder(Tenant).insert({ slug, name, settings: {} }).onConflict('slug').ignore().execute();
  return em.findOneOrFail(Tenant, { slug });
}

export async function updateTenantSettings(em: EntityManager, id: string, patch: Partial<TenantSettings>): Promise<Tenant> {
  const tenant = await em.findOneOrFail(Tenant, { id });
  tenant.settings = { ...tenant.settings, ...patch };
  await em.flush();
  return tenant;
}
