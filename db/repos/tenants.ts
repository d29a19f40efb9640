import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
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

/** Settings changes reach running workers within this long; every model call no longer reads the row. */
const TENANT_TTL_MS = 5_000;
const cached = new Map<string, { tenant: Tenant; until: number }>();

/** The tenant row, cached per process for a few seconds; null when there is none. */
export async function cachedTenant(orm: MikroORM, tenantId: string): Promise<Tenant | null> {
  const hit = cached.get(tenantId);
  if (hit && hit.until > Date.now()) return hit.tenant;
  const tenant = await orm.em.fork().findOne(Tenant, { id: tenantId });
  if (!tenant) return null;
  if (cached.size > 10_000) cached.clear();
  cached.set(tenantId, { tenant, until: Date.now() + TENANT_TTL_MS });
  return tenant;
}
