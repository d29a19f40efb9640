/** What the `ivrCall` workflow stores through its activities (activities/voice/, voice/store.ts): the caller, the call row, the transcript. */
import type { ChatMessage } from '../chat';
import type { AnsweredBy, CallDirection, CallStatus } from './types';

/** Who and what a call is: the workflow's input and the call row share these. */
export interface CallIdentity {
  tenantId: string;
  channelId: string;
  callSid: string;
  direction: CallDirection;
  from: string;
  to: string;
  flowId: string;
  flowVersion: number;
}

export interface BeginCallInput extends CallIdentity {
  workflowId: string;
  answeredBy: AnsweredBy | null;
  /** An outbound call started through the API names its contact; inbound calls are identified by number. */
  contactId: string | null;
  /** The row POST /v1/calls wrote for an outbound call (its Url carries it), which this call completes. */
  callId?: string | null;
  /** False for a call that ended unanswered (busy, no answer): its row is kept, no conversation is opened. */
  answered?: boolean;
}

export interface BeganCall {
  callId: string;
  contactId: string | null;
  /** Null only for a call that ended unanswered. */
  conversationId: string | null;
  /** The known contact's name (greeted by it); null for a new or nameless caller. */
  contactName: string | null;
  /** The caller's number in E.164 (null when Twilio sent none, e.g. an anonymous caller). */
  phone: string | null;
  /** True when an open conversation of the contact (any channel) continues with this call. */
  continued: boolean;
  /** The conversation's recent messages, oldest first: what the model knows of earlier chats. */
  recent: ChatMessage[];
}

/** One line of the call's transcript. */
export interface TranscriptLine {
  /** Deterministic per line: a retried activity stores it once. */
  key: string;
  author: 'contact' | 'bot';
  text: string;
  nodeId: string | null;
  /** `speech` (what the caller said), `dtmf` (keys), or the speaking node's source / TTS engine. */
  source: string;
  metadata?: Record<string, unknown>;
}

export interface CallTurnInput {
  tenantId: string;
  workflowId: string;
  callId: string;
  conversationId: string | null;
  lines: TranscriptLine[];
  status: CallStatus | null;
  /** Nodes visited so far (the call's path). */
  path: string[];
  currentNodeId: string | null;
  durationSeconds: number | null;
  answeredBy: AnsweredBy | null;
  recordingKeys: string[];
  /** The call is over: ended_at is set. */
  ended: boolean;
}

