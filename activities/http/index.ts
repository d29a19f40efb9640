/**
 * The httpRequest node. Expected failures (host refused, timeout, non-2xx, bad JSON, bad mapping)
 * come back as `{ok: false, error}` so the flow follows its `error` edge; network errors that a
 * retry may fix (connection refused / reset, DNS) throw so Temporal retries them.
 */
import { createHash } from 'node:crypto';
import type { ActivityDeps } from '../deps';
import { activityContext, cancellationSignal } from '../context';
import { allowedHosts } from '../tenant';
import type { HttpRequestInput, HttpRequestResult, SwitchboardActivities } from '../types';
import { isRefusal, safeFetch, type SafeResponse } from '../../net/fetch';
import { evaluateMappings } from './mapping';

export function httpActivities(deps: ActivityDeps): Pick<SwitchboardActivities, 'httpRequest'> {
  return {
    async httpRequest(input) {
      const allowed = await allowedHosts(deps.orm, deps.config, input.tenantId);
      let res: SafeResponse;
      try {
        res = await safeFetch(input.url, { ...input, headers: withIdempotencyKey(input.headers), allowed, config: deps.config, signal: cancellationSignal() });
      } catch (err) {
        if (isRefusal(err) || (err instanceof TypeError && /Invalid URL/i.test(err.message))) {
          return { ok: false, status: 0, variables: {}, error: err.message };
        }
        throw err;
      }
      return mapResponse(input, res);
    },
  };
}

/**
 * Every attempt of one node call sends the same `Idempotency-Key` (run and activity id hashed: a
 * retry after a crash mid-request repeats it, a later call or run does not), so an API that
 * honours the header acts once. A key the node sets itself wins.
 */
function withIdempotencyKey(headers: Record<string, string>): Record<string, string> {
  const info = activityContext()?.info;
  const run = info?.workflowExecution;
  if (!info || !run || Object.keys(headers).some((name) => name.toLowerCase() === 'idempotency-key')) return headers;
  const key = createHash('sha256').update(`${run.workflowId}\n${run.runId}\n${info.activityId}`).digest('hex').slice(0, 32);
  return { ...headers, 'Idempotency-Key': key };
}

async function mapResponse(input: HttpRequestInput, res: SafeResponse): Promise<HttpRequestResult> {
  const isJson = /\bjson\b/i.test(res.headers['content-type'] ?? '');
  let body: unknown = res.text;
  if (isJson && res.text) {
    if (res.truncated) return { ok: false, status: res.status, variables: {}, error: 'response too large' };
    try {
      body = JSON.parse(res.text);
    } catch {
      return { ok: false, status: res.status, variables: {}, error: 'response is not valid JSON' };
    }
  }
  if (res.status < 200 || res.status >= 300) return { ok: false, status: res.status, variables: {}, error: `HTTP ${res.status}` };

  const mapped = await evaluateMappings(input.responseMapping, { status: res.status, headers: res.headers, body });
  return mapped.ok ? { ok: true, status: res.status, variables: mapped.variables } : { ok: false, status: res.status, variables: {}, error: mapped.error };
}
