/**
 * Conversation status, declared once: `bot` (the flow answers), `waiting` (handoff requested),
 * `human` (an agent took over), `closed`. The entity's enum, the API's filters and DTOs and the
 * workflow state all use this list.
 */
import { z } from 'zod';

export const CONVERSATION_STATUSES = ['bot', 'waiting', 'human', 'closed'] as const;
export const conversationStatusSchema = z.enum(CONVERSATION_STATUSES);
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];
