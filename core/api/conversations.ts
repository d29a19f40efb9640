import { z } from 'zod';
import { conversationStatusSchema } from '../conversations';
import { idempotencyKey, text } from './common';
import { channelSchema } from '../messages';
import { messageContentShape } from './message-content';

export const createConversationBody = z.object({
  flowId: z.uuid({ message: 'flowId must be a UUID' }),
  channel: channelSchema.default('api'),
  contact: z
    .object({
      externalId: text().max(200).optional(),
      name: text().max(200).optional(),
      email: z.email().optional(),
      phone: text().max(40).optional(),
    })
    .optional(),
});

export const sendMessageBody = z.object({
  text: text().trim().min(1, 'text must not be empty').max(8000),
});

/** A synchronous turn; the same `idempotencyKey` again (a retry after a lost answer) gets the first turn's replies instead of a new turn. */
export const sendTurnBody = sendMessageBody.extend({ idempotencyKey: idempotencyKey().optional() });

export const agentMessageBody = z.object({
  text: text().trim().min(1, 'text must not be empty').max(8000),
  agent: text().max(200).optional(),
});

/** Where a knowledge-backed answer came from: the document, and its section and page when known. */
export const citationSchema = z.object({
  document: z.string(),
  documentId: z.string().optional(),
  section: z.string().optional(),
  page: z.number().int().optional(),
});

export const messageSchema = z.object({
  id: z.string(),
  direction: z.enum(['in', 'out']),
  author: z.enum(['contact', 'bot', 'agent', 'system']),
  text: z.string(),
  nodeId: z.string().nullable().optional(),
  source: z.string().nullable().optional(),
  /** Set on an agent's messages: the name the contact sees. */
  agentName: z.string().optional(),
  createdAt: z.string(),
  usage: z
    .object({ promptTokens: z.number(), completionTokens: z.number(), costUsd: z.number(), model: z.string().nullable().optional() })
    .optional(),
  /** Set on answers drawn from a knowledge base. */
  citations: z.array(citationSchema).optional(),
  ...messageContentShape,
});

export const transcriptPage = z.object({ messages: z.array(messageSchema), nextCursor: z.string().nullable() });

export const replySchema = z.object({
  id: z.string(),
  text: z.string(),
  author: z.enum(['bot', 'agent', 'system']),
  nodeId: z.string().optional(),
  source: z.string().optional(),
  agentName: z.string().optional(),
  createdAt: z.string(),
  citations: z.array(citationSchema).optional(),
});

export const conversationSchema = z.object({
  id: z.string(),
  workflowId: z.string(),
  flowId: z.string(),
  flowVersion: z.number().int(),
  channel: z.string(),
  status: conversationStatusSchema,
  currentNodeId: z.string().nullable(),
  variables: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  lastMessageAt: z.string().nullable(),
  /** `GET /v1/conversations/:id` only: the latest CSAT rating given in the conversation (score 1–5; thumbs: 5 or 1), null when none. */
  csat: z
    .object({ score: z.number().int(), scale: z.enum(['five', 'thumbs']), answer: z.string(), comment: z.string().nullable(), createdAt: z.string() })
    .nullable()
    .optional(),
});

export const listConversationsQuery = z.object({
  status: conversationStatusSchema.optional(),
  flowId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: text().max(200).optional(),
});

export const chatSessionBody = z.object({
  flowId: z.uuid({ message: 'flowId must be a UUID' }).optional(),
  conversationId: z.uuid({ message: 'conversationId must be a UUID' }).optional(),
}).refine((b) => b.flowId || b.conversationId, { message: 'send flowId (new conversation) or conversationId', path: ['flowId'] });
