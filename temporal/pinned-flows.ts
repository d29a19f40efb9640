/**
 * Published flow versions are immutable, so the graph a conversation is pinned to can be cached
 * in memory forever (bounded): a turn costs no query for its graph.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { requireVersion } from '../api/services/lookups';
import type { PinnedFlow } from './runs';

const MAX_ENTRIES = 500;
const cache = new Map<string, PinnedFlow>();

export async function pinnedFlow(em: EntityManager, tenantId: string, flowId: string, version: number): Promise<PinnedFlow> {
  const key = `${tenantId}:${flowId}:${version}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const found = await requireVersion(em, flowId, version);
  const pinned = { flowId, version: found.version, graph: found.graph };
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(key, pinned);
  return pinned;
}
