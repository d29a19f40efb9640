/**
 * The contract between workflows and activities. Workflows import these *types* only
 * (`proxyActivities<SwitchboardActivities>`); `activities/index.ts` implements them.
 * Every input carries `tenantId`: activities scope all I/O by it.
 */
import type { ChatMessage, ToolCall, ToolSpec } from '../core/chat';
import type { ConversationStatus } from '../core/conversations';
import type { Channel, OutboundMessage, Reply, TokenUsage } from '../core/messages';
import type { IngestBatchInput, IngestPin } from '../core/knowledge/types';
import type { MediaOutcome, PendingMedia } from '../core/inbound';
import type { ImapMailboxInput, ImapPollResult } from '../core/email-inbound';
import type { CalendarSyncResult } from '../core/calendar-sync';
import type { InboundConsent } from '../core/campaigns';
import type { BookingFlowActivities } from './scheduling/flow-types';
import type { AppointmentActivities } from './scheduling/types';
import type { CampaignActivities } from './campaigns/types';
import type { CsatActivities } from './csat/types';
import type { ReportActivities } from './reports/types';
import type { RetentionActivities } from './retention/types';
import type { FlowVideoActivities, VideoRenderActivities } from './renders/types';
import type { CallActivities, SpeechActivities } from './voice/types';
import type { PresenceAuditActivities } from './presence/types';
import type { PresenceSurfaceActivities } from './presence-surface/types';
import type { OpeningHoursActivities } from './opening-hours/types';
import type { VoiceNodeActivities } from './voice-nodes/types';
import type { AssistantActivities } from './assistant/types';

export type { ChatMessage, ConversationStatus, ToolCall, ToolSpec };

export interface ConversationRef {
  tenantId: string;
  conversationId: string;
  workflowId: string;
  channel: Channel;
}

export interface LlmChatInput {
  tenantId: string;
  workflowId: string;
  conversationId?: string;
  nodeId: string;
  /** Stable per turn + node + loop iteration: the key streamed deltas are published under. */
  streamKey: string;
  messages: ChatMessage[];
  tools: ToolSpec[];
  model?: string;
  /** A brand voice whose instructions join the system message (read when the activity runs: edits apply at once). */
  brandVoiceId?: string;
  temperature?: number;
  maxTokens?: number;
}

export interface LlmChatResult {
  /** `offline` when the tenant has no provider: `content` is then the offline responder's honest answer. */
  provider: 'openai-compatible' | 'offline';
  content: string | null;
  toolCalls: ToolCall[];
  usage: TokenUsage;
}

export interface HttpRequestInput {
  tenantId: string;
  nodeId: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** variable → JSONata expression over `{status, headers, body}`. */
  responseMapping: Record<string, string>;
}

export interface HttpRequestResult {
  ok: boolean;
  status: number;
  variables: Record<string, unknown>;
  /** Set when the call failed (host not allowed, timeout, non-2xx, bad JSON): follows the `error` edge. */
  error?: string;
}

export interface Citation {
  document: string;
  documentId: string;
  section?: string;
  page?: number;
}

export interface KnowledgeSearchInput {
  tenantId: string;
  knowledgeBaseIds: string[];
  query: string;
  /** Overrides the knowledge base's own topK. */
  topK?: number;
}

export interface KnowledgePassage {
  text: string;
  score: number;
  citation: Citation;
}

export interface IngestRef {
  tenantId: string;
  documentId: string;
  version: number;
}

/** A contact's message as the conversation stores it; `key` makes the store idempotent. */
export interface InboundMessageInput {
  key: string;
  text: string;
  externalId?: string;
  metadata?: Record<string, unknown>;
}

export interface RecordedInbound {
  messageId: string;
  appointmentWorkflowId?: string;
  /** A STOP / START-like keyword on SMS or WhatsApp changed the contact's consent: the turn confirms it, the flow does not see it. */
  consent?: InboundConsent;
}

export interface SwitchboardActivities
  extends AppointmentActivities,
    BookingFlowActivities,
    CampaignActivities,
    CsatActivities,
    ReportActivities,
    RetentionActivities,
    VideoRenderActivities,
    FlowVideoActivities,
    SpeechActivities,
    PresenceAuditActivities,
    PresenceSurfaceActivities,
    CallActivities,
    OpeningHoursActivities,
    VoiceNodeActivities,
    AssistantActivities {
  /**
   * Stores the contact's message (idempotent on `key`) and publishes it to live listeners. When an
   * appointment of this conversation waits for exactly this answer ("C", "R", a slot's number), the
   * answer is claimed for it and its workflow id returned: the turn hands the message over.
   */
  recordInbound(input: ConversationRef & InboundMessageInput): Promise<RecordedInbound>;
  /**
   * A turn stored in one activity: the contact's message as recordInbound stores it, then, unless
   * it went elsewhere (a consent keyword, an appointment's awaited answer: `replies` is empty and
   * the workflow discards its walk), the replies the walk said, as deliverMessages stores them.
   */
  recordTurn(input: ConversationRef & { inbound: InboundMessageInput; messages: OutboundMessage[] }): Promise<{ inbound: RecordedInbound; replies: Reply[] }>;
  /** Stores a bot/agent message (idempotent on `message.key`), publishes it, and sends it on the channel. */
  deliverMessage(input: ConversationRef & { message: OutboundMessage }): Promise<Reply>;
  /** A turn's replies stored (and published) in order in one activity: deliverMessage for each. */
  deliverMessages(input: ConversationRef & { messages: OutboundMessage[] }): Promise<Reply[]>;
  /** One chat-completion call (streamed; deltas published out of band), usage and cost recorded. */
  llmChat(input: LlmChatInput): Promise<LlmChatResult>;
  /** Executes a tool the model called: an HTTP call to the tool's URL. */
  callTool(input: { tenantId: string; nodeId: string; url: string; method: 'GET' | 'POST'; arguments: string }): Promise<{ content: string }>;
  /** Folds messages that left the context window into the rolling summary. */
  summarize(input: { tenantId: string; workflowId: string; summary: string; messages: ChatMessage[] }): Promise<{ summary: string }>;
  httpRequest(input: HttpRequestInput): Promise<HttpRequestResult>;
  /** Persists status / variables / current node of a conversation (for the inbox and the API). */
  updateConversation(input: {
    tenantId: string;
    conversationId: string;
    status?: ConversationStatus;
    variables?: Record<string, unknown>;
    currentNodeId?: string | null;
  }): Promise<void>;
  /** Hybrid retrieval over the given knowledge bases (the tenant's own only). */
  searchKnowledge(input: KnowledgeSearchInput): Promise<{ passages: KnowledgePassage[] }>;
  /** For URL documents: downloads the source (limits, content type, no private addresses) into the version's bytes. */
  fetchDocumentSource(input: IngestRef): Promise<{ byteSize: number; mimeType: string }>;
  /**
   * Extract → chunk → embed (batched, cached by content hash) → upsert the version's chunks,
   * heartbeating progress and resuming from the last stored batch. Unreadable input fails
   * non-retryably with a reason a person can act on.
   */
  indexDocumentVersion(input: IngestRef & { pin?: IngestPin }): Promise<{ chunkCount: number; embedded: number; cached: number }>;
  /** Makes the version the one searches see (atomically) and drops older versions' chunks. */
  activateDocumentVersion(input: IngestRef): Promise<{ activated: boolean }>;
  /**
   * A bulk import's batch: chunk, embed (together, cached) and store every not-yet-indexed document
   * of the batch, activate them in one statement, and mark those that cannot be indexed failed with
   * their reason. Heartbeats; a retried attempt skips the documents an earlier one finished.
   */
  indexDocumentBatch(input: IngestBatchInput): Promise<{ ready: number; failed: number }>;
  /** After the last attempt: the batch's documents still unindexed are marked failed with `reason`; returns the batch's final counts. */
  failDocumentBatch(input: IngestBatchInput & { reason: string }): Promise<{ ready: number; failed: number }>;
  /** Marks the version failed with its reason and removes whatever it wrote. */
  failDocumentVersion(input: IngestRef & { reason: string }): Promise<void>;
  /** Test conversations only: publishes a node's start / finish on the conversation's live channel (best effort). */
  publishNodeStatus(input: { tenantId: string; conversationId: string; nodeId: string; status: 'started' | 'finished' | 'failed' }): Promise<void>;
  /**
   * External channels (WhatsApp, Messenger, SMS, email): sends a stored outbound message through the
   * conversation's channel once (the stored provider id is checked first), rate limited per channel.
   * 429 / 5xx are retried honouring Retry-After; permanent refusals mark the message failed.
   */
  sendChannelMessage(input: ConversationRef & { key: string }): Promise<{ status: 'sent' | 'failed'; providerMessageId?: string; error?: string }>;
  /**
   * Downloads one file an inbound message names (the channel adapter's fetchMedia, capped at
   * CHANNEL_MEDIA_MAX_BYTES) into media_assets, once per (message, ref). A refusal that cannot
   * change (too large, host not the provider's, 4xx) fails without retrying.
   */
  downloadInboundMedia(input: InboundMediaRef): Promise<Extract<MediaOutcome, { status: 'stored' }>>;
  /** Writes a file's outcome into its stored message's `metadata.attachments` and publishes the message again; retried until the message is stored. */
  markInboundMedia(input: InboundMediaRef & { outcome: MediaOutcome }): Promise<void>;
  /**
   * One poll of an IMAP channel's mailbox: each new message is recorded as an inbound webhook
   * would record it, then the cursor passes it; IDLEs for mail when there was none. Heartbeats the
   * cursor, and resumes from the last heartbeat when retried.
   */
  pollImapMailbox(input: Omit<ImapMailboxInput, 'pollSeconds'>): Promise<ImapPollResult>;
  /**
   * One sync of a staff member's CalDAV calendar: replaces the window's busy blocks with the
   * calendar's other events, writes missing or stale bookings, removes cancelled ones, and returns
   * the active bookings whose events were deleted there. A refused password or unreachable calendar
   * comes back as `error` (the loop goes on); `stop` when the staff member is no longer connected.
   */
  syncStaffCalendar(input: { tenantId: string; staffId: string; windowDays: number }): Promise<CalendarSyncResult>;
  /** A booking deleted in the calendar whose appointment workflow no longer runs: cancelled through the service layer (by `calendar`). */
  cancelDeletedAppointment(input: { tenantId: string; appointmentId: string }): Promise<void>;
  /** Queues a platform event (BullMQ) for webhooks and analytics. */
  emitEvent(input: { tenantId: string; type: string; workflowId: string; data: Record<string, unknown> }): Promise<void>;
}

export interface InboundMediaRef {
  tenantId: string;
  channelId: string;
  conversationId: string;
  messageExternalId: string;
  file: PendingMedia;
}
