/**
 * The marketing assistant (ARCHITECTURE "Marketing assistant"): each console user (or API key) has
 * one conversation with it, on the tenant's assistant flow. It is a test conversation (out of the
 * inbox, analytics and webhooks) started with the `assistant` flag, which gives its AI reply the
 * marketing tools; the answers stream on the chat socket with the session's token, or come back
 * from `POST …/messages`. Only the caller's own conversation is reachable: another user's, or
 * another tenant's, is a 404.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ASSISTANT_FLOW_NAME, assistantGraph } from '../../core/assistant/graph';
import { OFFLINE_RULES } from '../../core/assistant/offline-rules';
import { assistantMessageBody, assistantSession, assistantStartBody, assistantTurn } from '../../core/api/assistant';
import { errorResponses, uuidParam } from '../../core/api/common';
import { AppError } from '../../core/errors';
import type { ValidGraph } from '../../core/graph/schema';
import { systemEm } from '../../db/orm';
import { assistantConversationId, assistantConversationOwner, assistantFlowId, createTestConversation, recentMessages, saveAssistantConversation, tenantById } from '../../db/repos';
import type { Principal } from '../plugins/session';
import { signChatToken } from '../services/chat-token';
import { requireConversationRef } from '../services/lookups';
import { fileLinks } from '../services/message-content';
import { messageDto, replyDto } from '../services/serialize';
import { sendTurn } from '../services/turns';
import type { AppDeps } from '../deps';

const TOKEN_TTL_SECONDS = 12 * 3600;
const HISTORY = 100;

/** Whose conversation: a signed-in user, or an API key by its label. */
const userKey = (p: Principal) => (p.userId ? `user:${p.userId}` : `key:${p.label}`);

export const assistantRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['assistant'];
    let graph: ValidGraph | undefined;

    /** The caller's own assistant conversation by id, or a 404. */
    const ownConversation = async (request: { em: Parameters<typeof requireConversationRef>[0]; tenantId: string; principal: Principal }, id: string) => {
      if ((await assistantConversationOwner(request.em, request.tenantId, id)) !== userKey(request.principal)) throw new AppError('not_found', 'assistant conversation not found', { field: 'id' });
      return requireConversationRef(request.em, request.tenantId, id);
    };

    app.post(
      '/v1/assistant/conversations',
      {
        schema: {
          tags,
          summary: 'Start (or continue) the caller’s conversation with the marketing assistant: a chat-socket token, whether a model is configured, and the messages so far',
          body: assistantStartBody,
          response: { 200: assistantSession, ...errorResponses },
        },
      },
      async (request) => {
        const { tenantId, em } = request;
        const key = userKey(request.principal);
        let conversationId = request.body?.restart ? null : await assistantConversationId(em, tenantId, key);
        if (!conversationId) {
          graph ??= assistantGraph();
          const flowId = await assistantFlowId(em, tenantId, ASSISTANT_FLOW_NAME, graph);
          const conversation = await createTestConversation(em, tenantId, { flowId, graph });
          await deps.workflows.conversation.start(tenantId, conversation.id, { flowId, version: 0, graph, test: true, assistant: true }, 'webchat');
          await saveAssistantConversation(em, tenantId, key, conversation.id);
          conversationId = conversation.id;
        }
        const exp = Math.floor(Date.now() / 1000) + TOKEN_TTL_SECONDS;
        const tenant = await tenantById(systemEm(deps.orm), tenantId);
        const fileLink = fileLinks(deps);
        return {
          conversationId,
          token: signChatToken(deps.secretKey, { tenantId, conversationId, exp }),
          expiresAt: new Date(exp * 1000).toISOString(),
          modelConfigured: Boolean(tenant?.settings.llm),
          offlineExamples: OFFLINE_RULES.map((r) => r.example),
          messages: (await recentMessages(em, conversationId, HISTORY)).map((m) => messageDto(m, fileLink)),
        };
      },
    );

    app.post(
      '/v1/assistant/conversations/:id/messages',
      {
        schema: {
          tags,
          summary: 'Ask the marketing assistant in the caller’s conversation; answers with its replies (their citations are the figures used)',
          params: uuidParam,
          body: assistantMessageBody,
          response: { 200: assistantTurn, ...errorResponses },
        },
      },
      async (request) => {
        const conversation = await ownConversation(request, request.params.id);
        const result = await sendTurn(deps, request.em, request.tenantId, conversation, request.body.text, request.body.idempotencyKey);
        return { replies: result.replies.map(replyDto) };
      },
    );
  };
