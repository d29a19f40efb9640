/** Place a call: an outbound call through the voice channel (activity placeCall, once per node visit by its key); Twilio's refusal follows `error`. */
import { renderTemplate } from '../../../core/template';
import { errorMessage } from '../errors';
import type { NodeHandler } from '../types';

export const placeCall: NodeHandler<'placeCall'> = {
  async run(node, rt) {
    const { data } = node;
    const variables = Object.fromEntries(Object.entries(data.variables).map(([k, v]) => [k, renderTemplate(v, rt.variables)]));
    try {
      const call = await rt.activities.call(node.id, 'placeCall', {
        tenantId: rt.tenantId,
        idempotencyKey: rt.key(node.id),
        channelId: data.channelId,
        to: renderTemplate(data.to, rt.variables).trim(),
        ...(data.flowId ? { flowId: data.flowId } : {}),
        variables,
        ...(data.machineDetection ? { machineDetection: data.machineDetection } : {}),
      });
      if (data.saveAs) rt.variables[data.saveAs] = call;
      return { kind: 'follow', handle: 'next', output: call };
    } catch (err) {
      const error = errorMessage(err);
      if (rt.graph.target(node.id, 'error')) return { kind: 'follow', handle: 'error', output: { error } };
      return { kind: 'fail', error };
    }
  },
};
