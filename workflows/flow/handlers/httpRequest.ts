/**
 * HTTP request: renders url/headers/body, calls the `httpRequest` activity and merges the mapped
 * variables. A failed call follows `error`; without an `error` edge the node fails.
 */
import { isCancellation } from '@temporalio/workflow';
import { renderTemplate } from '../../../core/template';
import { renderUrlTemplate } from '../../../core/url-template';
import type { HttpRequestResult } from '../../../activities/types';
import { errorMessage } from '../errors';
import type { NodeHandler } from '../types';

export const httpRequest: NodeHandler<'httpRequest'> = {
  async run(node, rt) {
    const { data } = node;
    const render = (t: string) => renderTemplate(t, rt.variables);
    let result: HttpRequestResult;
    try {
      result = await rt.activities.call(node.id, 'httpRequest', {
        tenantId: rt.tenantId,
        nodeId: node.id,
        method: data.method,
        // Each variable encoded for its part of the URL: an answer cannot rewrite the path or query.
        url: renderUrlTemplate(data.url, rt.variables),
        headers: Object.fromEntries(Object.entries(data.headers).map(([k, v]) => [k, render(v)])),
        body: data.body === undefined ? undefined : render(data.body),
        timeoutMs: data.timeoutMs,
        responseMapping: data.responseMapping,
      });
    } catch (err) {
      if (isCancellation(err)) throw err;
      result = { ok: false, status: 0, variables: {}, error: errorMessage(err) };
    }
    if (result.ok) {
      Object.assign(rt.variables, result.variables);
      return { kind: 'follow', handle: 'next', output: { status: result.status } };
    }
    const error = result.error ?? `HTTP ${result.status}`;
    if (rt.graph.target(node.id, 'error')) return { kind: 'follow', handle: 'error', output: { status: result.status, error } };
    return { kind: 'fail', error: `HTTP request failed: ${error}` };
  },
};
