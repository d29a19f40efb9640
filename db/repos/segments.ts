/** Saved segments of a tenant (the filter is data; segment-sql.ts compiles it). */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SegmentFilter } from '../../core/campaigns';
import { Segment } from '../entities';

export interface SegmentFields {
  name: string;
  description?: string | null;
  filter: SegmentFilter;
}

export const listSegments = (em: EntityManager) => em.find(Segment, {}, { orderBy: { name: 'asc', id: 'asc' } });
export const getSegment = (em: EntityManager, id: string) => em.findOne(Segment, { id });

export async function createSegment(em: EntityManager, tenantId: string, fields: SegmentFields): Promise<Segment> {
  const segment = em.create(Segment, { tenant: tenantId, name: fields.name, description: fields.description ?? null, filter: fields.filter, createdAt: new Date(), updatedAt: new Date() });
  await em.flush();
  return segment;
}

export async function updateSegment(em: EntityManager, id: string, fields: Partial<SegmentFields>): Promise<Segment | null> {
  const segment = await getSegment(em, id);
  if (!segment) return null;
  em.assign(segment, fields);
  await em.flush();
  return segment;
}

export async function deleteSegment(em: EntityManager, id: string): Promise<boolean> {
  return (await em.nativeDelete(Segment, { id })) > 0;
}
