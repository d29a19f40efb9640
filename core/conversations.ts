/**
 * Conversation status, declared once: `bot` (the flow answers), `waiting` (handoff requested),
 * `human` (an agent took over), `closed`. The entity's enum, the API's filters and DTOs and the
 * workflow state all use this list.
 */
import { z } from 'zod';

export const CONVERSATION_STATUSES = ['bot', 'waiting', 'human', 'closed'] as const;
export const conversationStatusSchema = z.enum(CONVERSATION_STATUSES);
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

/** The Redis key of an appointment's awaited reply in a conversation (activities/scheduling/replies.ts). */
export const awaitedReplyKey = (tenantId: string, conversationId: string) => `appt-reply:${tenantId}:${conversationId}`;

/** Every Redis key that may cache a conversation's data: erasing a contact deletes them. A new per-conversation cache adds its key here. */
export const conversationCacheKeys = (tenantId: string, conversationId: string): string[] => [awaitedReplyKey(tenantId, conversationId)];
