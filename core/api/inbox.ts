/** The inbox: conversation list items, live frames, typing, canned responses. */
import { z } from 'zod';
import { conversationStatusSchema } from '../conversations';
import { text } from './common';
import { conversationLabelsSchema, SENTIMENTS } from './intents';
import { conversationSchema, messageSchema } from './conversations';

export const inboxQuery = z.object({
  status: conversationStatusSchema.optional(),
  channel: text().max(40).optional(),
  flowId: z.uuid().optional(),
  /** Test ("Try it") conversations are left out unless this is true. */
  includeTest: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: text().max(200).optional(),
  /** Conversations labelled with this intent (`unknown`: labelled, no intent fits). */
  intent: text().max(100, 'intent must be at most 100 characters').optional(),
  sentiment: z.enum(SENTIMENTS, { message: `sentiment must be one of ${SENTIMENTS.join(', ')}` }).optional(),
});

export const inboxItemSchema = conversationSchema.extend({
  isTest: z.boolean(),
  contact: z.object({ id: z.string(), name: z.string().nullable(), email: z.string().nullable(), phone: z.string().nullable() }).nullable(),
  lastMessage: z.object({ text: z.string(), author: z.string(), createdAt: z.string() }).nullable(),
  assignedAgent: z.string().nullable(),
  /** Intent and sentiment (worker/labels.ts); null until the conversation is labelled. */
  labels: conversationLabelsSchema.nullable(),
});

export const inboxPage = z.object({ conversations: z.array(inboxItemSchema), nextCursor: z.string().nullable() });

/** A message as a live frame carries it: the stored message, whose author says which way it went. */
export const liveMessageSchema = messageSchema.omit({ direction: true });

/** Frames of `GET /v1/inbox/live` (after its first `{type: "ready"}`). */
export const inboxFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('conversation'), conversation: inboxItemSchema }),
  z.object({ type: z.literal('message'), conversationId: z.string(), message: liveMessageSchema }),
  z.object({ type: z.literal('typing'), conversationId: z.string(), author: z.string(), typing: z.boolean() }),
  // The server's live feed had a gap (its Redis restarted): frames may be lost, reload what is shown.
  z.object({ type: z.literal('resync') }),
]);
export type InboxFrame = z.infer<typeof inboxFrameSchema>;

export const typingBody = z.object({ typing: z.boolean() });

export const cannedResponseSchema = z.object({ id: z.string(), shortcut: z.string(), text: z.string() });
export const cannedResponseList = z.object({ items: z.array(cannedResponseSchema) });
export const cannedResponseBody = z.object({
  shortcut: text()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'shortcut must be 1-64 letters, digits, _ or -'),
  text: text().trim().min(1, 'text is required').max(8000),
});
export const cannedResponsePatch = cannedResponseBody
  .partial()
  .refine((b) => b.shortcut !== undefined || b.text !== undefined, { message: 'send shortcut or text', path: ['text'] });
