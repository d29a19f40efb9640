/** Flows and their published versions. `em` must be tenant-scoped (tenantEm). */
import { LockMode } from '@mikro-orm/core';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Graph, ValidGraph } from '../../core/graph/schema';
import { notFound } from '../../core/errors';
import { Flow, FlowVersion } from '../entities';

export interface FlowInput {
  name: string;
  description?: string | null;
  draft: Graph;
}

export async function createFlow(em: EntityManager, tenantId: string, input: FlowInput): Promise<Flow> {
  const flow = em.create(Flow, { tenant: tenantId, name: input.name, description: input.description ?? null, draft: input.draft });
  await em.flush();
  return flow;
}

export const getFlow = (em: EntityManager, id: string) => em.findOne(Flow, { id, kind: 'flow' });
export const listFlows = (em: EntityManager) => em.find(Flow, { kind: 'flow' }, { orderBy: { updatedAt: 'desc', id: 'asc' } });

export async function updateFlow(em: EntityManager, id: string, patch: Partial<FlowInput>): Promise<Flow | null> {
  const flow = await em.findOne(Flow, { id, kind: 'flow' });
  if (!flow) return null;
  em.assign(flow, patch);
  await em.flush();
  return flow;
}

/**
 * Publishes `graph` (already validated by the caller) as the flow's next version. The flow row is
 * locked so concurrent publishes get consecutive numbers instead of a unique violation.
 */
export async function publishFlowVersion(em: EntityManager, flowId: string, graph: ValidGraph, note?: string, createdBy?: string): Promise<FlowVersion> {
  return em.transactional(async (tx) => {
    const flow = await tx.findOne(Flow, { id: flowId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!flow) throw notFound('flow', 'flowId');
    const latest = await tx.findOne(FlowVersion, { flow: flowId }, { orderBy: { version: 'desc' }, fields: ['version'] });
    const version = tx.create(FlowVersion, { tenant: flow.tenant, flow: flowId, version: (latest?.version ?? 0) + 1, graph, note: note ?? null, createdBy: createdBy ?? null });
    await tx.flush();
    return version;
  });
}

/**
 * The number of the tenant's flow's latest published version, or null (no such flow, or never
 * published): one query that reads no graph, for a conversation's start. Plain SQL, so the tenant
 * is named here rather than by the ORM's filter.
 */
export async function latestPublishedVersion(em: EntityManager, tenantId: string, flowId: string): Promise<number | null> {
  const [row] = await em.getConnection().execute<{ version: number }[]>(
    `select v.version from flow_versions v join flows f on f.id = v.flow_id and f.tenant_id = v.tenant_id
     where v.tenant_id = ? and v.flow_id = ? and f.kind = 'flow' order by v.version desc limit 1`,
    [tenantId, flowId],
  );
  return row?.version ?? null;
}

/** A specific version, or the latest when `version` is omitted. */
export function getFlowVersion(em: EntityManager, flowId: string, version?: number): Promise<FlowVersion | null> {
  return version === undefined
    ? em.findOne(FlowVersion, { flow: flowId }, { orderBy: { version: 'desc' } })
    : em.findOne(FlowVersion, { flow: flowId, version });
}

export const listFlowVersions = (em: EntityManager, flowId: string) =>
  em.find(FlowVersion, { flow: flowId }, { orderBy: { version: 'desc' }, exclude: ['graph'] });
