/**
 * An LLM tool is an HTTP endpoint: POST sends the model's arguments as the JSON body, GET as query
 * parameters. Whatever happens, the model gets text back (errors included) so it can recover;
 * only network errors a retry may fix throw.
 */
import type { ActivityDeps } from '../deps';
import { cancellationSignal } from '../context';
import { isRefusal, safeFetch } from '../../net/fetch';
import { allowedHosts } from '../tenant';

const MAX_TOOL_OUTPUT = 8000;
const TOOL_TIMEOUT_MS = 15_000;

export async function callTool(
  deps: ActivityDeps,
  input: { tenantId: string; nodeId: string; url: string; method: 'GET' | 'POST'; arguments: string },
): Promise<{ content: string }> {
  let args: Record<string, unknown>;
  try {
    args = input.arguments.trim() ? (JSON.parse(input.arguments) as Record<string, unknown>) : {};
  } catch {
    return { content: 'error: the tool arguments are not valid JSON' };
  }
  const url = new URL(input.url);
  if (input.method === 'GET') {
    for (const [k, v] of Object.entries(args)) url.searchParams.set(k, typeof v === 'string' ? v : JSON.stringify(v));
  }
  try {
    const res = await safeFetch(url.toString(), {
      method: input.method,
      headers: input.method === 'POST' ? { 'content-type': 'application/json', accept: 'application/json, text/plain' } : { accept: 'application/json, text/plain' },
      body: input.method === 'POST' ? JSON.stringify(args) : undefined,
      timeoutMs: TOOL_TIMEOUT_MS,
      allowed: await allowedHosts(deps.orm, deps.config, input.tenantId),
      config: deps.config,
      signal: cancellationSignal(),
    });
    const text = res.text.length > MAX_TOOL_OUTPUT ? `${res.text.slice(0, MAX_TOOL_OUTPUT)}… (truncated)` : res.text;
    return { content: res.status >= 200 && res.status < 300 ? text : `error: HTTP ${res.status}: ${text}` };
  } catch (err) {
    if (isRefusal(err)) return { content: `error: ${err.message}` };
    throw err;
  }
}
