/** Shapes of the inbox API (CONSOLE-API.md "Inbox"). */

export type ConversationStatus = 'bot' | 'waiting' | 'human' | 'closed';

export interface InboxConversation {
  id: string;
  workflowId?: string;
  flowId?: string;
  isTest?: boolean;
  status: ConversationStatus;
  channel: string;
  contact: { name?: string | null; email?: string | null; phone?: string | null } | null;
  lastMessageAt: string | null;
  lastMessage: { text: string; author: string } | null;
  assignedAgent?: string | null;
  createdAt?: string;
}

export interface TranscriptMessage {
  id: string;
  direction: 'in' | 'out';
  author: 'contact' | 'bot' | 'agent' | 'system';
  text: string;
  nodeId?: string | null;
  source?: string | null;
  createdAt: string;
}

export interface CannedResponse {
  id: string;
  shortcut: string;
  text: string;
}

/** Frames of `GET /v1/inbox/live`. */
export type InboxFrame =
  | { type: 'conversation'; conversation: InboxConversation }
  | { type: 'message'; conversationId: string; message: TranscriptMessage }
  | { type: 'typing'; conversationId: string; author: string; typing: boolean };

export const STATUS_LABELS: Record<ConversationStatus, string> = {
  bot: 'With bot',
  waiting: 'Waiting for human',
  human: 'With human',
  closed: 'Closed',
};

export const STATUS_TONES: Record<ConversationStatus, 'info' | 'warning' | 'success' | 'neutral'> = { bot: 'info', waiting: 'warning', human: 'success', closed: 'neutral' };

export const contactName = (c: InboxConversation) => c.contact?.name || c.contact?.email || c.contact?.phone || `Visitor ${c.id.slice(0, 6)}`;
