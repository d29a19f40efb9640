/**
 * Published flow versions are immutable, so the graph a conversation is pinned to is cached in
 * memory for the life of the process (bounded): a turn, from the API or from a webhook's
 * dispatch, costs no query for its graph. One cache per process, shared by `api/` and `ingress/`.
 */
import type { ValidGraph } from '../core/graph/schema';
import type { PinnedFlow } from '../core/workflows';
import { BoundedMap } from '../core/bounded-map';

const MAX_ENTRIES = 1000;
const cache = new BoundedMap<string, PinnedFlow>(MAX_ENTRIES);

/** The pinned version, read with `load` when not cached (`load` throws when there is none). */
export async function pinnedFlow(tenantId: string, flowId: string, version: number, load: () => Promise<{ version: number; graph: ValidGraph }>): Promise<PinnedFlow> {
  const key = `${tenantId}:${flowId}:${version}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const found = await load();
  const pinned = { flowId, version: found.version, graph: found.graph };
  cache.set(key, pinned);
  return pinned;
}
