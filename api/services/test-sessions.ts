/**
 * "Try it": a conversation on a flow's draft (or a graph the builder sends), flagged as a test so
 * it stays out of lists, counts and webhooks. Its workflow publishes node starts and finishes on
 * the conversation's live channel, which the chat socket relays to the builder.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../core/errors';
import { createTestConversation, isAssistantFlow, testConversationGraph } from '../../db/repos';
import type { AppDeps } from '../deps';
import { signChatToken } from './chat-token';
import { requireValidGraph } from './flow-checks';
import { requireFlow } from './lookups';
import type { PinnedFlow } from '../../core/workflows';

const TEST_TOKEN_TTL_SECONDS = 2 * 3600;

export async function startTestSession(deps: AppDeps, em: EntityManager, tenantId: string, flowId: string, graph?: unknown) {
  const flow = await requireFlow(em, flowId);
  const checked = await requireValidGraph(em, graph ?? flow.draft);
  const conversation = await createTestConversation(em, tenantId, { flowId: flow.id, graph: checked });
  await deps.workflows.conversation.start(tenantId, conversation.id, { flowId: flow.id, version: 0, graph: checked, test: true }, 'webchat');
  const exp = Math.floor(Date.now() / 1000) + TEST_TOKEN_TTL_SECONDS;
  return {
    conversationId: conversation.id,
    token: signChatToken(deps.secretKey, { tenantId, conversationId: conversation.id, exp }),
    expiresAt: new Date(exp * 1000).toISOString(),
  };
}

export async function testFlow(em: EntityManager, conversationId: string): Promise<PinnedFlow> {
  const found = await testConversationGraph(em, conversationId);
  if (!found) throw new AppError('not_found', 'test conversation not found', { field: 'id' });
  // The marketing assistant's conversations are test conversations on the tenant's assistant flow.
  const assistant = await isAssistantFlow(em, found.flowId);
  return { flowId: found.flowId, version: 0, graph: found.graph, test: true, ...(assistant ? { assistant: true } : {}) };
}
