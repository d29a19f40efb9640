/** Shapes of the inbox API, inferred from its schemas (core/api/inbox.ts, core/api/conversations.ts). */
import type { z } from 'zod';
import type { conversationSchema, transcriptPage } from '../../../../core/api/conversations';
import type { cannedResponseList, inboxItemSchema, inboxPage, liveMessageSchema } from '../../../../core/api/inbox';

export type { InboxFrame } from '../../../../core/api/inbox';

export type InboxConversation = z.infer<typeof inboxItemSchema>;
export type ConversationStatus = InboxConversation['status'];
/** `GET /v1/conversations/:id` has none of the list's extras (contact, last message…); a list item or a live frame adds them. */
export type OpenConversation = z.infer<typeof conversationSchema> & Partial<InboxConversation>;
export type InboxPage = z.infer<typeof inboxPage>;
/** A transcript line: a stored message as the transcript route or a live frame carries it. */
export type TranscriptMessage = z.infer<typeof liveMessageSchema>;
export type TranscriptPage = z.infer<typeof transcriptPage>;
export type CannedResponseList = z.infer<typeof cannedResponseList>;
export type CannedResponse = CannedResponseList['items'][number];

export const STATUS_LABELS: Record<ConversationStatus, string> = {
  bot: 'With bot',
  waiting: 'Waiting for human',
  human: 'With human',
  closed: 'Closed',
};

export const STATUS_TONES: Record<ConversationStatus, 'info' | 'warning' | 'success' | 'neutral'> = { bot: 'info', waiting: 'warning', human: 'success', closed: 'neutral' };

export const contactName = (c: Pick<OpenConversation, 'id' | 'contact'>) => c.contact?.name || c.contact?.email || c.contact?.phone || `Visitor ${c.id.slice(0, 6)}`;
