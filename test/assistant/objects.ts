/** The route sweep's assistant object: the tenant key's own assistant conversation. */
import { expect } from 'vitest';
import type { Stack } from '../support/stack';

export async function assistantObjects(stack: Stack, tenant: { apiKey: string }) {
  const res = await stack.request('POST', '/v1/assistant/conversations', { apiKey: tenant.apiKey, body: {} });
  expect(res.status).toBe(200);
  return { assistantConversation: res.body.conversationId as string };
}
