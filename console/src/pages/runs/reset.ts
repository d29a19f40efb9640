/**
 * Which executed nodes a run can be reset to. The API (api/services/run-actions.ts) resets to the
 * workflow task before a node's first activity, scheduled or local; the history groups exactly
 * those activities onto their node as `activity` steps, so a node with none has no reset point.
 */
import type { NodeHistory } from '../../../../core/api/runs';

export interface ResetTarget {
  nodeId: string;
  type: string | null;
  /** Why the node cannot be reset to; absent when it can. */
  unavailable?: string;
}

export const NO_RESET_POINT = 'ran no activity: nothing to reset to';

export function resetTargets(path: NodeHistory[]): ResetTarget[] {
  return path.map((n) => ({
    nodeId: n.nodeId,
    type: n.type,
    ...(n.steps.some((s) => s.kind === 'activity') ? {} : { unavailable: NO_RESET_POINT }),
  }));
}
