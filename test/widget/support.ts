/** Widget test helpers: a published flow behind a `webchat` channel, sessions and uploads over HTTP. */
import type { GraphInput } from '../../core/graph/schema';
import type { Stack } from '../support/stack';

export async function createWebchatChannel(stack: Stack, apiKey: string, graph: GraphInput | null, settings: Record<string, unknown> = {}) {
  let flowId: string | null = null;
  if (graph) {
    const flow = await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'Widget flow', graph } });
    flowId = flow.body.id;
    const published = await stack.request('POST', `/v1/flows/${flowId}/publish`, { apiKey });
    if (published.status !== 200 && published.status !== 201) throw new Error(`publish failed: ${JSON.stringify(published.body)}`);
  }
  const channel = await stack.request('POST', '/v1/channels', { apiKey, body: { type: 'webchat', name: 'Website', flowId, settings } });
  if (channel.status !== 201) throw new Error(`channel not created: ${JSON.stringify(channel.body)}`);
  return { channelId: channel.body.id as string, flowId };
}

export async function openSession(stack: Stack, channelId: string, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const res = await fetch(`${stack.url}/v1/widget/${channelId}/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

export async function upload(stack: Stack, token: string | null, file: { bytes: Buffer | Uint8Array; name: string; type: string }) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  const res = await fetch(`${stack.url}/v1/widget/uploads`, { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {}, body: form });
  return { status: res.status, body: (await res.json()) as any };
}

/** The 8-byte PNG signature and a minimal IHDR: enough for the content check. */
export const PNG_BYTES = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
