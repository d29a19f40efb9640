/**
 * Scheduling catalog: locations, services, staff members, resources and availability
 * exceptions, read and written through the tenant-scoped EntityManager (the `tenant` filter).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { AvailabilityException, Location, Resource, Service, StaffMember } from '../entities';

type Catalog = typeof Location | typeof Service | typeof StaffMember | typeof Resource;
type Row<E extends Catalog> = E extends typeof Location ? Location : E extends typeof Service ? Service : E extends typeof StaffMember ? StaffMember : Resource;

export async function createCatalogRow<E extends Catalog>(em: EntityManager, entity: E, tenantId: string, data: Record<string, unknown>): Promise<Row<E>> {
  const row = em.create(entity as typeof Location, { tenant: tenantId, ...data } as never) as unknown as Row<E>;
  await em.flush();
  return row;
}

export const listCatalog = <E extends Catalog>(em: EntityManager, entity: E, where: Record<string, unknown> = {}): Promise<Row<E>[]> =>
  em.find(entity as typeof Location, where, { orderBy: { name: 'asc', id: 'asc' } }) as unknown as Promise<Row<E>[]>;

export const getCatalogRow = <E extends Catalog>(em: EntityManager, entity: E, id: string): Promise<Row<E> | null> =>
  em.findOne(entity as typeof Location, { id }) as unknown as Promise<Row<E> | null>;

export async function updateCatalogRow<T extends object>(em: EntityManager, row: T, patch: Record<string, unknown>): Promise<T> {
  em.assign(row, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as never);
  await em.flush();
  return row;
}

export async function deleteCatalogRow(em: EntityManager, entity: Catalog, id: string): Promise<boolean> {
  return (await em.nativeDelete(entity as typeof Location, { id })) > 0;
}

/** Ids among `ids` that are not rows of `entity` in this tenant (for "unknown staff id" answers). */
export async function missingIds(em: EntityManager, entity: typeof StaffMember | typeof Resource | typeof Location, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const found = new Set((await em.find(entity as typeof StaffMember, { id: { $in: ids } }, { fields: ['id'] })).map((r) => r.id));
  return ids.filter((id) => !found.has(id));
}

/** Services that list a staff member or resource (to keep their id lists in step on delete). */
export async function dropFromServices(em: EntityManager, field: 'staffIds' | 'resourceIds', id: string): Promise<void> {
  const services = await em.find(Service, {});
  for (const s of services) if (s[field].includes(id)) s[field] = s[field].filter((x) => x !== id);
  await em.flush();
}

export async function createException(em: EntityManager, tenantId: string, data: { locationId?: string; staffId?: string; resourceId?: string; date: string; closed: boolean; hours: { start: string; end: string }[]; reason: string }) {
  const row = em.create(AvailabilityException, {
    tenant: tenantId,
    location: data.locationId ?? null,
    staff: data.staffId ?? null,
    resource: data.resourceId ?? null,
    date: data.date,
    closed: data.closed,
    hours: data.closed ? [] : data.hours,
    reason: data.reason,
  });
  await em.flush();
  return row;
}

export function listExceptions(em: EntityManager, f: { from?: string; to?: string; locationId?: string; staffId?: string; resourceId?: string }) {
  const where: Record<string, unknown> = {};
  if (f.from || f.to) where.date = { ...(f.from ? { $gte: f.from } : {}), ...(f.to ? { $lte: f.to } : {}) };
  if (f.locationId) where.location = f.locationId;
  if (f.staffId) where.staff = f.staffId;
  if (f.resourceId) where.resource = f.resourceId;
  return em.find(AvailabilityException, where, { orderBy: { date: 'asc', id: 'asc' } });
}

export async function deleteException(em: EntityManager, id: string): Promise<boolean> {
  return (await em.nativeDelete(AvailabilityException, { id })) > 0;
}
