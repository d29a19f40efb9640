/**
 * Activity calls from flow code. Every call is tagged with its node (core/activity-tags.ts) so the
 * API can group a run's history by node. Options are chosen per activity.
 *
 * Short database writes (store, state, events) run as local activities: inside the workflow task
 * that asked for them, with no activity task round trip through the server and no extra workflow
 * task to receive the result. That halves the server work of a turn (see ARCHITECTURE.md).
 */
import { proxyActivities, proxyLocalActivities, type ActivityOptions, type LocalActivityOptions, type RetryPolicy } from '@temporalio/workflow';
import type { SwitchboardActivities } from '../../activities/types';
import { activitySummary, activityTag, localActivitySummary } from '../../core/activity-tags';
import { SEND_MAX_ATTEMPTS } from '../../core/channels';
import { NON_RETRYABLE_ERROR_TYPES as NON_RETRYABLE } from '../../core/errors';

type Acts = SwitchboardActivities;

/** A policy with a maximum number of attempts that never retries the shared non-retryable error types (invalid data, refused addresses…). */
const retry = (policy: Omit<RetryPolicy, 'nonRetryableErrorTypes'> & { maximumAttempts: number }): RetryPolicy => ({ ...policy, nonRetryableErrorTypes: NON_RETRYABLE });
type Name = keyof Acts;

/**
 * Every policy has a maximum: a call that can never succeed (a value the database refuses, a
 * store that stays down) must end its turn with the flow's error message, not hold the
 * conversation forever. Store writes keep trying for ~5 minutes (150 attempts): a database that
 * restarts (the embedded one comes back in 3-15 s, longer when it is killed again while starting)
 * costs the turn that long, never the contact's message (a chaos run lost first messages with ~25 s
 * of retries); attempts at most 2 s apart answer within 2 s of the database's return.
 */
const store: LocalActivityOptions = {
  startToCloseTimeout: '10s',
  retry: retry({ initialInterval: '200ms', backoffCoefficient: 2, maximumInterval: '2s', maximumAttempts: 150 }),
};

const LOCAL = new Set<Name>(['recordInbound', 'recordTurn', 'deliverMessage', 'deliverMessages', 'updateConversation', 'emitEvent', 'publishNodeStatus', 'recordCsat', 'completeCsat']);
// A call's webhooks wait on these (workflows/voice/): no activity task round trip through the server.
for (const name of ['beginCall', 'recordCallTurn', 'synthesizeSpeech', 'finishCallTurn'] as const) LOCAL.add(name);
// The businessHours node's settings read: a caller may be waiting on it.
LOCAL.add('openingHoursStatus');
LOCAL.add('prepareTransfer');

/** The appointment workflow's database work: ten attempts (~8 minutes of backoff), then the run page shows what failed. */
const booking: ActivityOptions = { startToCloseTimeout: '30s', retry: retry({ initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 10 }) };

export const ACTIVITY_OPTIONS: Record<Name, ActivityOptions | LocalActivityOptions> = {
  recordInbound: store,
  deliverMessage: { ...store, startToCloseTimeout: '30s' },
  deliverMessages: { ...store, startToCloseTimeout: '30s' },
  recordTurn: { ...store, startToCloseTimeout: '30s' },
  updateConversation: store,
  emitEvent: store,
  // A lost highlight in the builder is not worth holding up the flow.
  publishNodeStatus: { startToCloseTimeout: '5s', retry: retry({ maximumAttempts: 2 }) },
  // A provider send: retried on 429 / 5xx (the activity sets nextRetryDelay from Retry-After); refusals are returned, not thrown.
  sendChannelMessage: { startToCloseTimeout: '30s', retry: retry({ initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: SEND_MAX_ATTEMPTS }) },
  llmChat: {
    startToCloseTimeout: '60s',
    heartbeatTimeout: '10s',
    retry: retry({ initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '20s', maximumAttempts: 4 }),
  },
  summarize: {
    startToCloseTimeout: '60s',
    heartbeatTimeout: '10s',
    retry: retry({ initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 5 }),
  },
  // A tool / HTTP node talks to a third party: few attempts, the flow decides what failure means.
  callTool: { startToCloseTimeout: '40s', retry: retry({ initialInterval: '1s', backoffCoefficient: 2, maximumAttempts: 3 }) },
  httpRequest: { startToCloseTimeout: '40s', retry: retry({ initialInterval: '1s', backoffCoefficient: 2, maximumAttempts: 3 }) },
  // Retrieval embeds the query (maybe through a provider) and runs one SQL statement.
  searchKnowledge: { startToCloseTimeout: '30s', retry: retry({ initialInterval: '500ms', backoffCoefficient: 2, maximumAttempts: 4 }) },
  // Ingestion: long, heartbeating work that resumes from its last heartbeat after a crash.
  fetchDocumentSource: { startToCloseTimeout: '2m', heartbeatTimeout: '20s', retry: retry({ initialInterval: '2s', backoffCoefficient: 2, maximumAttempts: 5 }) },
  // Ten attempts (~8 minutes of backoff): an embedding provider that stays down fails the document with its reason.
  indexDocumentVersion: { startToCloseTimeout: '2h', heartbeatTimeout: '30s', retry: retry({ initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 10 }) },
  // Ten attempts (~8 minutes): a database that stays away fails the document rather than holding it forever.
  activateDocumentVersion: { startToCloseTimeout: '1m', retry: retry({ initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 10 }) },
  // Inbound media (workflows/fetchInboundMedia.ts): the download's bound comes with the workflow's input;
  // writing the outcome waits, like a store write, for a message the conversation has not stored yet.
  downloadInboundMedia: { startToCloseTimeout: '45s', heartbeatTimeout: '10s', retry: retry({ initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '5m', maximumAttempts: 10 }) },
  markInboundMedia: { startToCloseTimeout: '30s', retry: retry({ initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 40 }) },
  // A batch of up to 500 small documents; heartbeats per stored slice, resumes by skipping finished documents.
  indexDocumentBatch: { startToCloseTimeout: '1h', heartbeatTimeout: '30s', retry: retry({ initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 10 }) },
  failDocumentBatch: { startToCloseTimeout: '1m', retry: retry({ initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 10 }) },
  failDocumentVersion: { startToCloseTimeout: '1m', retry: retry({ initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 10 }) },
  // An IMAP poll (workflows/imapMailbox.ts) IDLEs for minutes, heartbeating; a mailbox that stays
  // unreachable exhausts the attempts (~20 minutes of backoff, the bound every activity keeps) and
  // the workflow waits before polling again.
  pollImapMailbox: { startToCloseTimeout: '30m', heartbeatTimeout: '30s', retry: retry({ initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '5m', maximumAttempts: 10 }) },
  // A calendar sync (workflows/calendarSync.ts) talks to the staff member's CalDAV server and the
  // database; ~7 minutes of backoff, then the workflow waits and syncs again. A refused password is
  // returned, not thrown: retrying cannot fix it.
  syncStaffCalendar: { startToCloseTimeout: '5m', retry: retry({ initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '2m', maximumAttempts: 8 }) },
  cancelDeletedAppointment: { startToCloseTimeout: '1m', retry: retry({ initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 10 }) },
  // The appointment workflow (workflows/appointment.ts).
  loadAppointment: booking,
  changeAppointment: booking,
  sendAppointmentNotice: booking,
  offerAppointmentSlots: booking,
  // The bookAppointment node: a few quick attempts, the contact is waiting for the answer.
  listBookableServices: { startToCloseTimeout: '15s', retry: retry({ initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '5s', maximumAttempts: 5 }) },
  findBookingSlots: { startToCloseTimeout: '15s', retry: retry({ initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '5s', maximumAttempts: 5 }) },
  // The AI reply's booking tools; a reschedule or cancel waits on the booking run's update.
  appointmentTool: { startToCloseTimeout: '60s', retry: retry({ initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 3 }) },
  // The marketing assistant's tools (reads, or a draft by the model): a few attempts, the owner is waiting.
  assistantTool: { startToCloseTimeout: '3m', retry: retry({ initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 3 }) },
  assistantOffline: { startToCloseTimeout: '1m', retry: retry({ initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 3 }) },
  bookFromFlow: { startToCloseTimeout: '30s', retry: retry({ initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 5 }) },
  notifyAppointmentStaff: { startToCloseTimeout: '30s', retry: retry({ initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 5 }) },
  // The campaign workflow (workflows/campaign.ts): database work retried ~8 minutes, then the campaign fails with the reason.
  loadCampaign: booking,
  transitionCampaign: booking,
  // The model (with its own fallback chain) or the offline writer: a few attempts, the update answers the failure.
  generateCampaignVariants: { startToCloseTimeout: '3m', retry: retry({ initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 3 }) },
  materializeCampaignPage: { startToCloseTimeout: '2m', retry: retry({ initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 10 }) },
  // A page is bounded to a few seconds of sends; a worker that dies mid-page is noticed by the heartbeat, and the retry resumes it (sent rows are done).
  sendCampaignPage: { startToCloseTimeout: '2m', heartbeatTimeout: '15s', retry: retry({ initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 20 }) },
  decideCampaignWinner: booking,
  // The csat node: a rating row and its event, written like a message.
  recordCsat: store,
  completeCsat: store,
  // Weekly reports and alerts (workflows/analyticsReport.ts, workflows/alertEvaluation.ts): reads and mail, retried for minutes;
  // an alert webhook gets ALERT_WEBHOOK_ATTEMPTS tries (activities/reports/alerts.ts) before it is recorded as failed.
  loadWeeklyReport: { startToCloseTimeout: '2m', retry: retry({ initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 10 }) },
  sendWeeklyReport: { startToCloseTimeout: '1m', retry: retry({ initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '2m', maximumAttempts: 8 }) },
  listAlertTenants: { startToCloseTimeout: '30s', retry: retry({ initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 3 }) },
  evaluateTenantAlerts: { startToCloseTimeout: '1m', retry: retry({ initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 3 }) },
  notifyAlert: { startToCloseTimeout: '30s', retry: retry({ initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 5 }) },
  // The retention workflow (workflows/retention.ts): each batch is a bounded delete, retried ~8 minutes, then the run fails and the next day's resumes.
  listRetentionTenants: booking,
  deleteExpiredBatch: { startToCloseTimeout: '2m', retry: retry({ initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 10 }) },
  recordRetentionRun: booking,
  // The videoRender workflow (workflows/videoRender.ts): provider calls retried only when transient (the activities mark the rest non-retryable).
  speakRenderScript: { startToCloseTimeout: '3m', retry: retry({ initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 6 }) },
  startProviderRender: { startToCloseTimeout: '1m', retry: retry({ initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 8 }) },
  checkProviderRender: { startToCloseTimeout: '1m', retry: retry({ initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 10 }) },
  // Download, checks and encoding of a few minutes of video; a worker that dies mid-way is noticed by the heartbeat.
  finishRender: { startToCloseTimeout: '30m', heartbeatTimeout: '1m', retry: retry({ initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 5 }) },
  failRender: booking,
  // The sendVideo node: a claim (database) and a look at the render, each a few quick attempts.
  prepareFlowVideo: { startToCloseTimeout: '2m', retry: retry({ initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 5 }) },
  videoForMessage: { startToCloseTimeout: '30s', retry: retry({ initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 5 }) },
  // The ivrCall workflow (workflows/voice/): the caller is on the line, so a few seconds of attempts.
  beginCall: { startToCloseTimeout: '5s', retry: retry({ initialInterval: '100ms', backoffCoefficient: 2, maximumInterval: '1s', maximumAttempts: 8 }) },
  // A store that stays down costs the transcript, never the call: a few seconds of attempts.
  recordCallTurn: { startToCloseTimeout: '5s', retry: retry({ initialInterval: '100ms', backoffCoefficient: 2, maximumInterval: '1s', maximumAttempts: 8 }) },
  // The same store attempts, after the webhook's speech (a cache hit in a millisecond; a new line as long as the engine takes).
  finishCallTurn: { startToCloseTimeout: '30s', retry: retry({ initialInterval: '100ms', backoffCoefficient: 2, maximumInterval: '1s', maximumAttempts: 8 }) },
  // The placeCall node: Twilio's Calls API; a refusal is final, an outage retried a few times (the key keeps it to one call).
  placeCall: { startToCloseTimeout: '30s', retry: retry({ initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 4 }) },
  // The businessHours node: one settings read inside the workflow task (a caller waits on it), retried like a store read.
  openingHoursStatus: store,
  // The transfer and record nodes (activities/voice-nodes/): the caller is on the line.
  prepareTransfer: { startToCloseTimeout: '5s', retry: retry({ initialInterval: '100ms', backoffCoefficient: 2, maximumInterval: '1s', maximumAttempts: 8 }) },
  storeCallRecording: { startToCloseTimeout: '60s', retry: retry({ initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 5 }) },
  recordVoicemail: { startToCloseTimeout: '10s', retry: retry({ initialInterval: '200ms', backoffCoefficient: 2, maximumInterval: '2s', maximumAttempts: 30 }) },
  // Speech (activities/voice/speech.ts): the engines fall back inside the activity (ElevenLabs → espeak-ng → <Say>), so an attempt rarely fails; a caller is waiting.
  synthesizeSpeech: { startToCloseTimeout: '30s', retry: retry({ initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '5s', maximumAttempts: 3 }) },
  transcribeAudio: { startToCloseTimeout: '3m', retry: retry({ initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 4 }) },
  // The presenceAudit workflow (workflows/presenceAudit.ts): each module has its own deadline inside (presence/checks/), a phase one retry
  // after a crash; the row's writes are retried for minutes.
  planPresenceAudit: booking,
  runPresenceModules: { startToCloseTimeout: '60s', retry: retry({ initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '5s', maximumAttempts: 2 }) },
  finishPresenceAudit: { startToCloseTimeout: '3m', retry: retry({ initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 5 }) },
  failPresenceAudit: booking,
  // presenceFollowUp (workflows/presenceFollowUp.ts): a row written once per run; a mail retried for minutes (SMTP has no idempotency key: a lead is claimed first).
  preparePresenceScheduledAudit: booking,
  mailPresenceLead: { startToCloseTimeout: '1m', retry: retry({ initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '1m', maximumAttempts: 8 }) },
};

type WithOptions<K extends Name> = { executeWithOptions(o: ActivityOptions | LocalActivityOptions, args: Parameters<Acts[K]>): ReturnType<Acts[K]> };

const proxies = Object.fromEntries(
  (Object.keys(ACTIVITY_OPTIONS) as Name[]).map((name) => [
    name,
    LOCAL.has(name) ? proxyLocalActivities<Acts>(ACTIVITY_OPTIONS[name] as LocalActivityOptions)[name] : proxyActivities<Acts>(ACTIVITY_OPTIONS[name] as ActivityOptions)[name],
  ]),
) as unknown as { [K in Name]: WithOptions<K> };

const localVariants = new Map<Name, WithOptions<Name>>();
/** A regular activity run as a local one: its timeout and retries; the workflow task's own heartbeat stands in for the activity's. */
function localVariant<K extends Name>(name: K): WithOptions<K> {
  let proxy = localVariants.get(name);
  if (!proxy) {
    const { heartbeatTimeout: _heartbeat, ...options } = ACTIVITY_OPTIONS[name] as ActivityOptions;
    proxy = proxyLocalActivities<Acts>(options as LocalActivityOptions)[name] as unknown as WithOptions<Name>;
    localVariants.set(name, proxy);
  }
  return proxy as unknown as WithOptions<K>;
}

/** One per workflow run: owns the activity sequence number. */
export class ActivityCaller {
  private seq = 0;
  private readonly local = new Set<Name>();

  /** From now on this run calls `name` as a local activity (a call's webhook waits on it: no activity task round trip). */
  runLocally(name: Name): void {
    this.local.add(name);
  }

  private flushFirst: (() => Promise<void>) | null = null;

  /**
   * From now on `flush` runs before every call but the flush's own (`deliverMessages`,
   * `recordTurn`): a conversation's buffered messages are stored before anything else happens
   * (activities, model calls, events), so the store keeps their order.
   */
  flushBefore(flush: () => Promise<void>): void {
    this.flushFirst = flush;
  }

  call<K extends Name>(nodeId: string, name: K, input: Parameters<Acts[K]>[0]): ReturnType<Acts[K]> {
    const flush = this.flushFirst;
    if (flush && name !== 'deliverMessages' && name !== 'recordTurn') return flush().then((): unknown => this.start(nodeId, name, input)) as ReturnType<Acts[K]>;
    return this.start(nodeId, name, input);
  }

  private start<K extends Name>(nodeId: string, name: K, input: Parameters<Acts[K]>[0]): ReturnType<Acts[K]> {
    const id = activityTag(nodeId, ++this.seq);
    const local = LOCAL.has(name) || this.local.has(name);
    const options = local ? { summary: localActivitySummary(name, id) } : { activityId: id, summary: activitySummary(name, nodeId) };
    const proxy = this.local.has(name) && !LOCAL.has(name) ? localVariant(name) : proxies[name];
    return proxy.executeWithOptions(options, [input] as Parameters<Acts[K]>);
  }
}
