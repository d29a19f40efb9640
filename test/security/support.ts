/** A tenant with one of everything, so routes with path parameters can be called with real ids. */
import { expect } from 'vitest';
import { receptionFlow } from '../support/flows';
import type { Stack } from '../support/stack';
import { createWebchatChannel } from '../widget/support';

export interface Fixture {
  tenantId: string;
  apiKey: string;
  ids: { flow: string; conversation: string; workflow: string; knowledgeBase: string; document: string; channel: string; canned: string; user: string; apiKey: string };
  /** A widget visitor token on the tenant's webchat channel. */
  visitorToken: string;
}

export async function tenantFixture(stack: Stack): Promise<Fixture> {
  const { tenantId, apiKey } = await stack.createTenant();
  const ok = async (method: string, path: string, body?: unknown) => {
    const res = await stack.request(method, path, { apiKey, body });
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
    return res.body;
  };
  const { channelId, flowId } = await createWebchatChannel(stack, apiKey, receptionFlow);
  const conversation = await ok('POST', '/v1/conversations', { flowId });
  const kb = await ok('POST', '/v1/knowledge-bases', { name: 'Fuzz' });
  const document = await ok('POST', `/v1/knowledge-bases/${kb.id}/documents`, { name: 'Note', text: 'Opening hours are nine to five.' });
  const canned = await ok('POST', '/v1/canned-responses', { shortcut: 'hello', text: 'Hello!' });
  const user = await ok('POST', '/v1/users', { email: `fuzz-${tenantId.slice(0, 8)}@example.com`, name: 'Fuzz', role: 'viewer', password: 'a long enough password 1' });
  // A second key, so a route acting on a key never revokes the one the test uses.
  const otherKey = await ok('POST', '/v1/api-keys', { name: 'other' });
  const session = await fetch(`${stack.url}/v1/widget/${channelId}/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  const visitor = (await session.json()) as { token: string };
  expect(visitor.token).toBeTruthy();
  return {
    tenantId,
    apiKey,
    visitorToken: visitor.token,
    ids: {
      flow: flowId!,
      conversation: conversation.id,
      workflow: conversation.workflowId ?? `conv:${tenantId}:${conversation.id}`,
      knowledgeBase: kb.id,
      document: document.id,
      channel: channelId,
      canned: canned.id,
      user: user.id,
      apiKey: otherKey.id,
    },
  };
}
