import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, paginationQuery, text, uuidParam } from '../../core/api/common';
import {
  agentMessageBody,
  conversationSchema,
  createConversationBody,
  replySchema,
  sendTurnBody,
  transcriptPage,
} from '../../core/api/conversations';
import { inboxPage, inboxQuery } from '../../core/api/inbox';
import { createConversation, csatOfConversation, listInboxConversations, listMessages, setAssignedAgent, upsertContact } from '../../db/repos';
import { inboxItems } from '../services/inbox';
import { rememberConversationRef, requireConversation, requireConversationRef, requireLatestPinnedFlow } from '../services/lookups';
import { conversationDto, messageDto, replyDto } from '../services/serialize';
import { fileLinks } from '../services/message-content';
import { sendTurn } from '../services/turns';
import type { AppDeps } from '../deps';

const accepted = z.object({ ok: z.literal(true) });

export const conversationRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['conversations'];

    app.post(
      '/v1/conversations',
      {
        schema: {
          tags,
          summary: 'Start a conversation on the latest published version of a flow',
          body: createConversationBody,
          response: { 201: z.object({ id: z.string(), workflowId: z.string(), flowVersion: z.number().int() }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const { flowId, channel, contact } = request.body;
        const pinned = await requireLatestPinnedFlow(request.em, request.tenantId, flowId);
        const contactRow = contact ? await upsertContact(request.em, request.tenantId, channel, contact.externalId ?? randomUUID(), contact) : null;
        const conversation = await createConversation(request.em, request.tenantId, { flowId, flowVersion: pinned.version, channel, contactId: contactRow?.id });
        await deps.workflows.conversation.start(request.tenantId, conversation.id, pinned, channel);
        rememberConversationRef(request.tenantId, { id: conversation.id, flow: flowId, flowVersion: pinned.version, channel, workflowId: conversation.workflowId, isTest: false });
        return reply.status(201).send({ id: conversation.id, workflowId: conversation.workflowId, flowVersion: pinned.version });
      },
    );

    app.post(
      '/v1/conversations/:id/messages',
      {
        schema: {
          tags,
          summary: 'Send the contact’s message; answers with the bot’s replies to it (a synchronous turn)',
          params: uuidParam,
          body: sendTurnBody,
          response: { 200: z.object({ replies: z.array(replySchema), status: z.string() }), ...errorResponses },
        },
      },
      async (request) => {
        const conversation = await requireConversationRef(request.em, request.tenantId, request.params.id);
        const result = await sendTurn(deps, request.em, request.tenantId, conversation, request.body.text, request.body.idempotencyKey);
        return {
          status: result.status,
          replies: result.replies.map(replyDto),
        };
      },
    );

    app.get(
      '/v1/conversations',
      {
        schema: {
          tags,
          summary: 'List conversations, most recently active first, with contact and last message (test conversations only with includeTest=true)',
          querystring: inboxQuery,
          response: { 200: inboxPage, ...errorResponses },
        },
      },
      async (request) => {
        const page = await listInboxConversations(request.em, request.query);
        return { conversations: await inboxItems(request.em, request.tenantId, page.items), nextCursor: page.nextCursor };
      },
    );

    app.get(
      '/v1/conversations/:id',
      { schema: { tags, summary: 'One conversation', params: uuidParam, response: { 200: conversationSchema, ...errorResponses } } },
      async (request) => {
        const conversation = await requireConversation(request.em, request.params.id);
        const [latest] = await csatOfConversation(request.em, request.tenantId, conversation.id);
        const csat = latest ? { score: latest.score, scale: latest.scale, answer: latest.answer, comment: latest.comment, createdAt: latest.createdAt } : null;
        return { ...conversationDto(conversation), csat };
      },
    );

    app.get(
      '/v1/conversations/:id/messages',
      {
        schema: {
          tags,
          summary: 'The transcript, oldest first',
          params: uuidParam,
          querystring: paginationQuery,
          response: { 200: transcriptPage, ...errorResponses },
        },
      },
      async (request) => {
        const conversation = await requireConversation(request.em, request.params.id);
        const page = await listMessages(request.em, conversation.id, request.query);
        const fileLink = fileLinks(deps);
        return { messages: page.items.map((m) => messageDto(m, fileLink)), nextCursor: page.nextCursor };
      },
    );

    app.post(
      '/v1/conversations/:id/takeover',
      {
        schema: {
          tags,
          summary: 'A human agent takes over: the bot stops answering',
          params: uuidParam,
          body: z.object({ agent: text().max(200).optional() }).nullish(),
          response: { 202: accepted, ...errorResponses },
        },
      },
      async (request, reply) => {
        const conversation = await requireConversationRef(request.em, request.tenantId, request.params.id);
        const agent = request.body?.agent ?? request.principal.displayName;
        // Stored first: the inbox item published when the status changes already names the agent.
        await setAssignedAgent(request.em, conversation.id, agent);
        await deps.workflows.conversation.takeOver(conversation.workflowId, agent);
        return reply.status(202).send({ ok: true });
      },
    );

    app.post(
      '/v1/conversations/:id/release',
      { schema: { tags, summary: 'Hand the conversation back to the bot', params: uuidParam, response: { 202: accepted, ...errorResponses } } },
      async (request, reply) => {
        const conversation = await requireConversationRef(request.em, request.tenantId, request.params.id);
        await setAssignedAgent(request.em, conversation.id, null);
        await deps.workflows.conversation.release(conversation.workflowId);
        return reply.status(202).send({ ok: true });
      },
    );

    app.post(
      '/v1/conversations/:id/agent-messages',
      {
        schema: {
          tags,
          summary: 'A human agent’s reply; delivered to the contact (and takes the conversation over)',
          params: uuidParam,
          body: agentMessageBody,
          response: { 202: accepted, ...errorResponses },
        },
      },
      async (request, reply) => {
        const conversation = await requireConversationRef(request.em, request.tenantId, request.params.id);
        // A signed-in agent is named by their account unless the request names someone.
        await deps.workflows.conversation.agentMessage(conversation.workflowId, request.body.text, request.body.agent ?? (request.principal.kind === 'apiKey' ? undefined : request.principal.displayName));
        return reply.status(202).send({ ok: true });
      },
    );
  };
