/**
 * Signals, updates and queries, defined once and shared by workflows and the API client.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Channel, Reply } from '../core/messages';
import type { ValidGraph } from '../core/graph/schema';
import type { PathState } from './flow/path';
import type { ChatMessage } from '../core/chat';
import type { ConversationStatus } from '../core/conversations';
import type { IngestBatchInput, IngestPin } from '../core/knowledge/types';
import type { MediaOutcome } from '../core/inbound';
import type { ImapCursor } from '../core/email-inbound';
import type { AuditProgress, Grade, PresenceProfiles } from '../core/presence/types';
import type { CalendarSyncProgress } from '../core/calendar-sync';
import type { AnalyticsReportResult } from '../core/reports';
import type { AppointmentChange, AppointmentRecord } from '../activities/scheduling/types';
import type { AppointmentStatus, AwaitedReply } from '../core/appointment-answers';
import type { RetentionProgress } from '../core/retention';
import type { CampaignBrief, CampaignChannel, CampaignCounts, CampaignStatus, CampaignVariant } from '../core/campaigns';
import type { RenderErrorClass, RenderProvider, RenderStage } from '../core/renders';
import type { AnsweredBy, CallAnswer, CallDirection, CallEvent, CallStatus } from '../core/voice/types';
import type { CallIdentity } from '../core/voice/calls';
export type { CampaignCounts } from '../core/campaigns';

export interface InboundText {
  text: string;
  /** The provider's message id: a second delivery of the same id is ignored (no second turn). */
  externalId?: string;
  /** Kept on the stored message: location, button / list reply ids, postback payloads, media assets. */
  metadata?: Record<string, unknown>;
}

export interface TurnResult {
  replies: Reply[];
  status: ConversationStatus;
}

/** One step of a run, kept in workflow state so the history view can show nodes that ran no activity. */
export interface TraceEntry {
  nodeId: string;
  type: string;
  turn: number;
  /** Workflow time (deterministic) when the node started / finished, ISO. */
  startedAt: string;
  finishedAt?: string;
  handle?: string;
  output?: unknown;
  error?: string;
}

/** What survives continue-as-new. */
export interface CarriedState {
  variables: Record<string, unknown>;
  window: ChatMessage[];
  summary: string;
  status: ConversationStatus;
  cursor: { nodeId: string; retries: number } | null;
  turn: number;
  /** Node to continue from when an agent releases the conversation. */
  resumeNodeId: string | null;
  generation: number;
  /** Provider message ids of recent inbound messages (bounded), so a redelivered one makes no second turn. */
  seenExternalIds?: string[];
  /** Nodes visited and edges followed so far (the drop-off figures read them from `conversation.closed`). */
  path?: PathState;
  /** The last turns sent with an idempotency key and what they answered, so a retry after continue-as-new is not a second turn. */
  keyedTurns?: { updateId: string; result: TurnResult }[];
}

export interface ConversationInput {
  tenantId: string;
  conversationId: string;
  flowId: string;
  flowVersion: number;
  graph: ValidGraph;
  channel: Channel;
  carried?: CarriedState;
  /** A "Try it" conversation on a draft: node statuses are published live, no events are emitted. */
  test?: boolean;
  /** The console's marketing assistant (a test conversation too): its AI replies get the marketing tools (core/assistant/tools.ts). Set by the API only, never by a graph. */
  assistant?: boolean;
}

export interface ConversationState extends CarriedState {
  flowId: string;
  flowVersion: number;
  trace: TraceEntry[];
}

export const turnUpdate = defineUpdate<TurnResult, [InboundText]>('turn');
/** The `turn` update's id for a client's idempotency key: Temporal runs an update id once per run, the conversation once across its runs. */
export const keyedTurnUpdateId = (idempotencyKey: string) => `turn:${idempotencyKey}`;
export const isKeyedTurnUpdateId = (updateId: string) => updateId.startsWith('turn:');
export const inboundSignal = defineSignal<[InboundText]>('inbound');
export const agentMessageSignal = defineSignal<[{ text: string; agent?: string }]>('agentMessage');
export const takeOverSignal = defineSignal<[{ agent?: string }]>('takeOver');
export const releaseSignal = defineSignal<[]>('release');
export const closeSignal = defineSignal<[]>('close');
export const conversationStateQuery = defineQuery<ConversationState>('state');

export interface FlowRunInput {
  tenantId: string;
  flowId: string;
  flowVersion: number;
  graph: ValidGraph;
  input: Record<string, unknown>;
}

export interface FlowRunOutput {
  status: 'completed' | 'failed';
  variables: Record<string, unknown>;
  /** Messages the flow produced (sendMessage, llmReply, end), in order. */
  messages: { nodeId: string; text: string }[];
  error?: { nodeId?: string; message: string };
}

export interface FlowRunState {
  status: 'running' | 'waiting' | 'completed' | 'failed';
  currentNodeId: string | null;
  variables: Record<string, unknown>;
  trace: TraceEntry[];
}

/** Answers an `ask` node in an automation run. */
export const resumeSignal = defineSignal<[InboundText]>('resume');
export const flowRunStateQuery = defineQuery<FlowRunState>('state');

export interface IngestDocumentInput {
  tenantId: string;
  documentId: string;
  knowledgeBaseId: string;
  version: number;
  sourceType: 'upload' | 'url' | 'text';
  /** Pinned when the version starts; absent in runs started before pinning (the current settings apply). */
  pin?: IngestPin;
}

export interface IngestProgress {
  stage: 'queued' | 'fetching' | 'indexing' | 'activating' | 'ready' | 'failed';
  chunkCount: number | null;
  error: string | null;
}

export const ingestProgressQuery = defineQuery<IngestProgress>('progress');

export type { IngestBatchInput };

export interface IngestBatchProgress {
  stage: 'queued' | 'indexing' | 'done';
  total: number;
  ready: number;
  failed: number;
}

export const ingestBatchProgressQuery = defineQuery<IngestBatchProgress>('progress');

/** The outcomes of a message's files so far, in order. */
export const mediaProgressQuery = defineQuery<MediaOutcome[]>('progress');

/** Where an IMAP channel's poll is: the cursor (mailbox, UIDVALIDITY, last UID recorded) and the polls in this run. */
export const imapProgressQuery = defineQuery<{ cursor: ImapCursor | null; polls: number }>('progress');

/** A calendar sync's count of syncs in this run and the last one's outcome. */
export const calendarSyncProgressQuery = defineQuery<CalendarSyncProgress>('progress');
/** Sync now instead of at the next interval: the connection was just saved, or a booking changed. */
export const calendarSyncNowSignal = defineSignal('syncNow');
export const CALENDAR_SYNC_SIGNALS = ['syncNow'] as const;
// ---- appointment (workflows/appointment.ts) ----
export interface AppointmentInput {
  tenantId: string;
  appointmentId: string;
}

/** One durable timer: a reminder, the end of the attendance window, the follow-up. */
export interface AppointmentTimer {
  name: string;
  at: string;
  fired: boolean;
  /** Set when the timer came due but did nothing (the booking was no longer open). */
  skipped?: boolean;
}

export interface AppointmentState {
  status: AppointmentStatus;
  startsAt: string;
  endsAt: string;
  timers: AppointmentTimer[];
  awaiting: AwaitedReply | null;
  /** What happened, in order (workflow time): the run page's log. */
  log: { at: string; event: string }[];
}

export interface AppointmentOutcome {
  status: AppointmentStatus;
}

export type RescheduleArgs = Omit<Extract<AppointmentChange, { type: 'reschedule' }>, 'type'>;
export type CancelArgs = Omit<Extract<AppointmentChange, { type: 'cancel' }>, 'type'>;

/** The contact answered a reminder (delivered by the conversation path). */
export const replySignal = defineSignal<[{ text: string; messageId: string }]>('reply');
/** The staff calendar's event was deleted: the booking is cancelled. */
export const calendarDeletedSignal = defineSignal<[Record<string, never>?]>('calendarDeleted');

export const rescheduleUpdate = defineUpdate<AppointmentRecord, [RescheduleArgs]>('reschedule');
export const cancelUpdate = defineUpdate<AppointmentRecord, [CancelArgs]>('cancel');
export const confirmUpdate = defineUpdate<AppointmentRecord, []>('confirm');
export const noShowUpdate = defineUpdate<AppointmentRecord, []>('noShow');
export const completeUpdate = defineUpdate<AppointmentRecord, []>('complete');

export const appointmentStateQuery = defineQuery<AppointmentState>('state');

/** Signals the API may send to an appointment run. */
export const APPOINTMENT_SIGNALS = ['reply', 'calendarDeleted'] as const;

// ---- campaign (workflows/campaign.ts) ----
/** Where sending is, carried across continue-as-new (the recipients table holds the rest). */
export interface CampaignCarry {
  status: CampaignStatus;
  /** The status to go back to on resume. */
  pausedFrom: CampaignStatus | null;
  /** materialize → send → (A/B: abWait → send) → done */
  phase: CampaignPhase;
  /** Materialization's keyset cursor: the last contact id paged. */
  afterContactId: string | null;
  /** When the A/B test's wait ends (workflow time, ISO). */
  abDecideAt: string | null;
  /** The A/B test's wait (null: no test). */
  abWaitMinutes: number | null;
  winnerVariant: string | null;
  sendAt: string | null;
  counts: CampaignCounts;
  ratePerSecond: Partial<Record<CampaignChannel, number>>;
  /** Runs of the chain so far (1 for the first). */
  runs: number;
}
export type CampaignPhase = 'idle' | 'materialize' | 'send' | 'abWait' | 'done';

export interface CampaignInput {
  tenantId: string;
  campaignId: string;
  carried?: CampaignCarry;
}

/** The progress query's answer: the counts (the A/B remainder counts as pending) and where the campaign is. */
export interface CampaignState extends Pick<CampaignCounts, 'targeted' | 'materialized' | 'sent' | 'failed' | 'skipped' | 'deferred' | 'pending'> {
  status: CampaignStatus;
  stage: string;
  paused: boolean;
  winnerVariant: string | null;
  sendAt: string | null;
  updatedAt: string;
}

export const generateUpdate = defineUpdate<{ variants: CampaignVariant[] }, [{ brief?: CampaignBrief; channelsOnly?: CampaignChannel[] }]>('generate');
export const submitUpdate = defineUpdate<CampaignState, [{ by: string }]>('submit');
export const approveUpdate = defineUpdate<CampaignState, [{ by: string; role: string }]>('approve');
export const requestChangesUpdate = defineUpdate<CampaignState, [{ by: string; comment: string }]>('requestChanges');
export const pauseUpdate = defineUpdate<CampaignState, [{ by: string }]>('pause');
export const resumeUpdate = defineUpdate<CampaignState, [{ by: string }]>('resume');
/** Named apart from the appointment's `cancelUpdate`; the update's name is the same word. */
export const campaignCancelUpdate = defineUpdate<CampaignState, [{ by: string }]>('cancel');
export const changeRateUpdate = defineUpdate<CampaignState, [{ by: string; ratePerSecond: Partial<Record<CampaignChannel, number>> }]>('changeRate');
export const campaignProgressQuery = defineQuery<CampaignState>('progress');

/** `analyticsReport`: where the run is (loading figures, sending, done) and what it sent. */
export interface AnalyticsReportProgress {
  stage: 'loading' | 'sending' | 'done';
  result: AnalyticsReportResult | null;
}
export const analyticsReportProgressQuery = defineQuery<AnalyticsReportProgress>('progress');

/** `alertEvaluation`: tenants visited so far and the notices sent. */
export interface AlertEvaluationProgress {
  tenants: number;
  evaluated: number;
  notices: number;
}
export const alertEvaluationProgressQuery = defineQuery<AlertEvaluationProgress>('progress');
// ---- retention (workflows/retention.ts) ----

/** Which tenants are done and what was deleted for each, so far. */
export const retentionProgressQuery = defineQuery<RetentionProgress>('progress');
// --- videoRender (workflows/videoRender.ts) ---
export interface VideoRenderInput {
  tenantId: string;
  renderId: string;
  attempt: number;
  /** Chosen when the render was asked for: D-ID when the tenant has a key, else the offline renderer. */
  provider: RenderProvider;
  /** Durable poll interval while D-ID renders (the webhook usually ends the wait first). */
  pollSeconds: number;
  /** D-ID not done after this long: the render fails (transient, nothing was delivered). */
  timeoutMinutes: number;
}
export interface VideoRenderProgress {
  stage: RenderStage;
  error: string | null;
  errorClass: RenderErrorClass | null;
  /** Polls made while waiting, and whether D-ID's webhook ended the wait. */
  polls: number;
  webhook: boolean;
}
export interface VideoRenderResult {
  status: 'completed' | 'failed';
  error: string | null;
  errorClass: RenderErrorClass | null;
}
export const videoRenderStageQuery = defineQuery<VideoRenderProgress>('stage');
/** Sent by the D-ID webhook route (after checking its token): ends the wait before the next poll. */
export const providerDoneSignal = defineSignal<[{ jobId: string }]>('providerDone');

// --- presenceAudit (workflows/presenceAudit.ts) ---
export interface PresenceAuditInput {
  tenantId: string;
  auditId: string;
  /** The website, normalized by the API (core/api/presence.ts websiteUrl). */
  url: string;
  profiles: PresenceProfiles;
  /** Rewrite the recommendations in this brand voice (the model when one is configured). */
  brandVoiceId: string | null;
}
export interface PresenceAuditResult {
  status: 'completed' | 'failed';
  overall: number | null;
  grade: Grade | null;
  error: string | null;
}
/** Stage, and each check module's state: pending, running, done (with its number of checks) or failed (why). */
export const presenceAuditProgressQuery = defineQuery<AuditProgress>('progress');

// --- presenceFollowUp (workflows/presenceFollowUp.ts) ---
export type PresenceFollowUpInput =
  | { kind: 'schedule'; tenantId: string }
  | { kind: 'lead'; tenantId: string; leadId: string; auditWorkflowId: string; audit: PresenceAuditInput };
export interface PresenceFollowUpResult {
  auditId: string | null;
  grade: Grade | null;
  overall: number | null;
  mailed: boolean;
}
export interface PresenceFollowUpState {
  stage: 'preparing' | 'auditing' | 'mailing' | 'done' | 'skipped';
  auditId: string | null;
}
export const presenceFollowUpStateQuery = defineQuery<PresenceFollowUpState>('state');
// --- ivrCall (workflows/ivrCall.ts, workflows/voice/) ---
export interface IvrCallInput extends CallIdentity {
  graph: ValidGraph;
  /** `{PUBLIC_URL}/v1/webhooks/voice/{channelId}`: callbacks are `${callbackBase}/gather?node=…`. */
  callbackBase: string;
  /** The voice channel's profile, used when a node names none. */
  voiceProfileId: string | null;
  /** The contact an outbound call was placed to (POST /v1/calls). */
  contactId?: string | null;
  /** The calls row POST /v1/calls wrote. */
  callId?: string | null;
  /** Variables an outbound call starts with. */
  variables?: Record<string, unknown>;
}

export interface CallState {
  callSid: string;
  channelId: string;
  direction: CallDirection;
  from: string;
  to: string;
  status: CallStatus | null;
  answeredBy: AnsweredBy | null;
  callId: string | null;
  conversationId: string | null;
  contactId: string | null;
  /** The node waiting for the caller's next event; null while nothing waits. */
  currentNodeId: string | null;
  /** Visited nodes in order (repeats included). */
  path: string[];
  variables: Record<string, unknown>;
  trace: TraceEntry[];
  ended: boolean;
}

/** One webhook of the call → the verbs of its TwiML answer. The first (`answered`) starts the run (update-with-start). */
export const callEventUpdate = defineUpdate<CallAnswer, [CallEvent]>('callEvent');
export const callStateQuery = defineQuery<CallState>('state');

