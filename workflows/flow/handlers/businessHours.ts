/**
 * businessHours: asks `openingHoursStatus` at the workflow's clock (deterministic on replay: the
 * activity's answer is in the history) and follows `open`, `closed` or `holiday`. A holiday with
 * no `holiday` edge follows `closed`, so the optional output never ends a call by surprise.
 */
import type { NodeHandler } from '../types';

export const businessHours: NodeHandler<'businessHours'> = {
  run: async (node, rt) => {
    const status = await rt.activities.call(node.id, 'openingHoursStatus', { tenantId: rt.tenantId, at: Date.now() });
    const state = status.open ? 'open' : status.reason === 'holiday' ? 'holiday' : 'closed';
    if (node.data.variable) rt.variables[node.data.variable] = state;
    const handle = state === 'holiday' && !rt.graph.target(node.id, 'holiday') ? 'closed' : state;
    return { kind: 'follow', handle, output: status };
  },
};
