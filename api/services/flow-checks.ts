/**
 * The checks of a flow graph that need the tenant's data, next to the pure validator
 * (core/graph/validate): every id in a node field the catalogue marks as a reference
 * (`NodeDefinition.references`) must name a record the tenant has. Publishing, the draft's
 * validation and "Try it" go through here, so they refuse the same graphs.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../core/errors';
import type { GraphError, ValidGraph } from '../../core/graph/schema';
import { validateGraph, type GraphValidation } from '../../core/graph/validate';
import { nodeDefinition } from '../../core/nodes';
import type { ReferenceKind } from '../../core/nodes/define';
import { BrandVoice, KnowledgeBase, Service } from '../../db/entities';
import { isUuid } from '../../core/ids';


/** Per kind: what a person calls it, and which of the given UUIDs exist (the entity manager's tenant filter scopes the read). */
const KINDS: Record<ReferenceKind, { noun: string; existing: (em: EntityManager, ids: string[]) => Promise<string[]> }> = {
  knowledgeBase: {
    noun: 'knowledge base',
    existing: async (em, ids) => (await em.find(KnowledgeBase, { id: { $in: ids } }, { fields: ['id'] })).map((kb) => kb.id),
  },
  service: {
    noun: 'service',
    existing: async (em, ids) => (await em.find(Service, { id: { $in: ids } }, { fields: ['id'] })).map((s) => s.id),
  },
  brandVoice: {
    noun: 'brand voice',
    existing: async (em, ids) => (await em.find(BrandVoice, { id: { $in: ids } }, { fields: ['id'] })).map((v) => v.id),
  },
};

interface Reference {
  nodeId: string;
  field: string;
  kind: ReferenceKind;
  id: string;
}

/** The references in a graph as stored (not yet validated: a draft may be malformed anywhere). */
function referencesOf(graph: unknown): Reference[] {
  const nodes = (graph as { nodes?: unknown } | null)?.nodes;
  if (!Array.isArray(nodes)) return [];
  const refs: Reference[] = [];
  for (const node of nodes as { id?: unknown; type?: unknown; data?: unknown }[]) {
    if (typeof node?.id !== 'string' || typeof node.type !== 'string' || !node.data || typeof node.data !== 'object') continue;
    for (const [field, kind] of Object.entries(nodeDefinition(node.type)?.references ?? {})) {
      const value = (node.data as Record<string, unknown>)[field];
      for (const id of Array.isArray(value) ? value : [value]) if (typeof id === 'string' && id !== '') refs.push({ nodeId: node.id, field, kind, id });
    }
  }
  return refs;
}

/** One error per referenced id the tenant does not have (another tenant's record counts as absent). */
export async function referenceErrors(em: EntityManager, graph: unknown): Promise<GraphError[]> {
  const refs = referencesOf(graph);
  const found = new Map<ReferenceKind, Set<string>>();
  for (const kind of new Set(refs.map((r) => r.kind))) {
    // Postgres refuses a malformed uuid in the query: such an id cannot exist, so it is not asked about.
    const ids = [...new Set(refs.filter((r) => r.kind === kind).map((r) => r.id.toLowerCase()))].filter(isUuid);
    found.set(kind, new Set(ids.length ? await KINDS[kind].existing(em, ids) : []));
  }
  return refs
    .filter((r) => !found.get(r.kind)!.has(r.id.toLowerCase()))
    .map((r) => ({ nodeId: r.nodeId, field: r.field, message: `Node '${r.nodeId}': ${KINDS[r.kind].noun} ${r.id} does not exist; remove it or pick another one` }));
}

/** `validateGraph` plus the reference checks; a graph with a missing reference is not valid. */
export async function checkFlowGraph(em: EntityManager, graph: unknown): Promise<GraphValidation> {
  const result = validateGraph(graph);
  const missing = await referenceErrors(em, graph);
  return missing.length === 0 ? result : { valid: false, errors: [...result.errors, ...missing] };
}

/** The validated graph, or a 422 `flow_invalid` whose `details` are the errors, each with its node id (the builder draws them). */
export async function requireValidGraph(em: EntityManager, graph: unknown): Promise<ValidGraph> {
  const result = await checkFlowGraph(em, graph);
  if (result.valid && result.graph) return result.graph;
  throw new AppError('flow_invalid', `the flow has ${result.errors.length} error(s): ${result.errors[0]?.message ?? ''}`, { field: 'graph', details: result.errors });
}
