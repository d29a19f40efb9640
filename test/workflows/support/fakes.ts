/**
 * Fake activities for workflow tests: every call is recorded with its workflow id, activity id
 * and attempt; behaviour can be replaced per test through `impl`.
 */
import { Context } from '@temporalio/activity';
import type { SwitchboardActivities } from '../../../activities/types';
import type { AppointmentRecord, AppointmentSnapshot } from '../../../activities/scheduling/types';
import { campaignFakes } from './campaign-fakes';
import { renderFakes } from './render-fakes';
import { presenceFakes } from './presence-fakes';
import { presenceSurfaceFakes } from './presence-surface-fakes';
import { callFakes } from '../../voice-call/support/call-fakes';

type Acts = SwitchboardActivities;
type Name = keyof Acts;

export interface RecordedCall {
  name: Name;
  input: any;
  workflowId: string;
  activityId: string;
  attempt: number;
}

const fakeSynthesizeSpeech: Acts['synthesizeSpeech'] = async ({ tenantId, text, format }) => ({
  url: `https://media.test/t/${tenantId}/voice-speech/${text.length}.${format === 'web' ? 'mp3' : 'wav'}`,
  mediaKey: `t/${tenantId}/voice-speech/${text.length}.${format === 'web' ? 'mp3' : 'wav'}`,
  engine: 'espeak-ng',
  cached: false,
  durationMs: text.length * 60,
});

const defaults = (): Acts => ({
  recordInbound: async ({ key }) => ({ messageId: key }),
  deliverMessage: async ({ message }) => ({ ...message, id: `msg-${message.key}`, createdAt: new Date(0).toISOString() }),
  // Not called: createFakes runs a batch as one deliverMessage per message (see there).
  deliverMessages: async () => [],
  // Not called: createFakes runs a turn as recordInbound, then deliverMessage per message (see there).
  recordTurn: async () => ({ inbound: { messageId: '' }, replies: [] }),
  llmChat: async () => ({
    provider: 'openai-compatible',
    content: 'LLM answer',
    toolCalls: [],
    usage: { promptTokens: 10, completionTokens: 5, costUsd: 0.001, model: 'fake' },
  }),
  callTool: async ({ arguments: args }) => ({ content: `tool saw ${args}` }),
  summarize: async ({ summary, messages }) => ({ summary: [summary, ...messages.map((m) => String(m.content))].filter(Boolean).join(' | ') }),
  httpRequest: async () => ({ ok: true, status: 200, variables: {} }),
  updateConversation: async () => {},
  emitEvent: async () => {},
  publishNodeStatus: async () => {},
  sendChannelMessage: async ({ key }) => ({ status: 'sent', providerMessageId: `fake-${key}` }),
  searchKnowledge: async () => ({ passages: [] }),
  fetchDocumentSource: async () => ({ byteSize: 0, mimeType: 'text/plain' }),
  indexDocumentVersion: async () => ({ chunkCount: 0, embedded: 0, cached: 0 }),
  activateDocumentVersion: async () => ({ activated: true }),
  failDocumentVersion: async () => {},
  indexDocumentBatch: async ({ documentIds }) => ({ ready: documentIds.length, failed: 0 }),
  failDocumentBatch: async ({ documentIds }) => ({ ready: 0, failed: documentIds.length }),
  pollImapMailbox: async ({ cursor }) => ({ stop: true, cursor, recorded: 0, idled: false }),
  syncStaffCalendar: async () => ({ stop: true, busy: 0, pushed: 0, removed: 0, deleted: [], error: null }),
  cancelDeletedAppointment: async () => {},
  // The retention workflow: no tenant has a policy.
  listRetentionTenants: async () => [],
  deleteExpiredBatch: async () => ({ counts: {}, more: false }),
  recordRetentionRun: async () => {},
  downloadInboundMedia: async ({ file }) => ({ status: 'stored', mediaAssetId: `asset-${file.index}`, contentType: file.contentType ?? 'application/octet-stream', byteSize: 1 }),
  markInboundMedia: async () => {},
  // The appointment workflow: a booking in three days with the default reminders, on WhatsApp.
  loadAppointment: async ({ appointmentId }) => {
    const snapshot = fakeAppointment(scheduledAt(), 'booked');
    bookedAt.set(appointmentId, snapshot.startsAt);
    return snapshot;
  },
  changeAppointment: async ({ appointmentId, change }) => {
    const at = scheduledAt();
    if (change.type === 'reschedule') bookedAt.set(appointmentId, change.startsAt);
    const startsAt = bookedAt.get(appointmentId);
    const snapshot = fakeAppointment(at, change.type === 'reschedule' ? 'booked' : change.type === 'cancel' ? 'cancelled' : change.status, startsAt);
    return { snapshot, appointment: fakeRecord(appointmentId, snapshot) };
  },
  sendAppointmentNotice: async ({ tenantId, appointmentId }) => ({ conversation: { tenantId, conversationId: `conv-${appointmentId}`, workflowId: `conv:${tenantId}:conv-${appointmentId}`, channel: 'whatsapp' }, external: true, via: 'conversation' }),
  offerAppointmentSlots: async () => ({ slots: [] }),
  notifyAppointmentStaff: async () => ({ sent: true }),
  // The bookAppointment node: two services, free slots at 10:00 and 11:00 UTC on the next days.
  listBookableServices: async () => ({ services: [{ id: 'svc-cut', name: 'Haircut' }, { id: 'svc-col', name: 'Colour' }] }),
  findBookingSlots: async ({ serviceId, limit, text }) => ({
    serviceName: serviceId === 'svc-col' ? 'Colour' : 'Haircut',
    understood: text === undefined || /friday/i.test(text),
    slots: fakeSlots(text === undefined ? 1 : 5, text === undefined ? limit : 2),
  }),
  bookFromFlow: async ({ serviceId, startsAt, idempotencyKey }) => ({
    id: `appt-${idempotencyKey.replace(/[^A-Za-z0-9-]/g, '-')}`,
    startsAt,
    endsAt: new Date(Date.parse(startsAt) + 3_600_000).toISOString(),
    serviceId,
    serviceName: serviceId === 'svc-col' ? 'Colour' : 'Haircut',
    slot: slotLabel(startsAt),
  }),
  appointmentTool: async ({ name, arguments: args }) => ({ content: `booking tool ${name} saw ${args}` }),
  // The csat node: a response id per key.
  recordCsat: async ({ key }) => ({ responseId: `csat-${key}` }),
  completeCsat: async () => {},
  openingHoursStatus: async ({ at }) => ({ open: true, reason: 'unset', timezone: 'UTC', localTime: new Date(at).toISOString().slice(0, 16) }),
  prepareTransfer: async ({ agents, whisper }) => ({ agentNumbers: agents ? ['+15550000001', '+15550000002'] : [], whisperUrl: whisper ? `https://switchboard.test/v1/webhooks/voice-whisper/${whisper.length}` : null }),
  storeCallRecording: async ({ tenantId, callSid, recordingSid }) => ({ mediaKey: `t/${tenantId}/calls/${callSid}/${recordingSid ?? 'recording'}.wav`, contentType: 'audio/wav', byteSize: 1600 }),
  recordVoicemail: async ({ key }) => ({ messageId: `voicemail-${key}` }),
  // The marketing assistant's tools and offline answer.
  assistantTool: async ({ name, arguments: args }) => ({ content: `assistant tool ${name} saw ${args}`, source: { documentId: `tool:${name}`, document: `Fake ${name}`, section: 'figures' } }),
  assistantOffline: async ({ question }) => ({ text: `offline answer to ${question}`, sources: [] }),
  ...campaignFakes(),
  loadWeeklyReport: async ({ asOf }) => ({
    tenantName: 'Fake',
    timezone: 'UTC',
    current: { from: asOf.slice(0, 10), to: asOf.slice(0, 10), conversations: 0, messages: 0, resolutionRate: null, handoffRate: null, avgFirstResponseSeconds: null, costUsd: 0, errors: 0 },
    previous: { from: asOf.slice(0, 10), to: asOf.slice(0, 10), conversations: 0, messages: 0, resolutionRate: null, handoffRate: null, avgFirstResponseSeconds: null, costUsd: 0, errors: 0 },
    topFlows: [],
    campaigns: [],
  }),
  sendWeeklyReport: async ({ to }) => ({ sentTo: to ?? ['owner@example.com'], skipped: null }),
  listAlertTenants: async () => ({ tenantIds: [] }),
  evaluateTenantAlerts: async () => ({ rules: 0, notices: [] }),
  notifyAlert: async () => {},
  ...renderFakes(),
  ...callFakes(fakeSynthesizeSpeech),
  synthesizeSpeech: fakeSynthesizeSpeech,
  transcribeAudio: async () => ({ text: 'fake transcript', engine: 'pocketsphinx', confidence: 0.9 }),
  ...presenceFakes(),
  ...presenceSurfaceFakes(),
});

/** `count` free slots from `fromDay` days after 2030-01-01, labelled like the real activity's (one per hour from 10:00 UTC). */
export function fakeSlots(fromDay: number, count: number) {
  return Array.from({ length: count }, (_, i) => {
    const startsAt = new Date(Date.UTC(2030, 0, 1 + fromDay + Math.floor(i / 2), 10 + (i % 2))).toISOString();
    return { startsAt, staffId: 'staff-1', label: slotLabel(startsAt) };
  });
}

const slotLabel = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;

/** The booking as the service would return it; workflows read only id, status and times. */
export const fakeRecord = (id: string, s: Pick<AppointmentSnapshot, 'status' | 'startsAt' | 'endsAt'>) => ({ id, status: s.status, startsAt: s.startsAt, endsAt: s.endsAt }) as AppointmentRecord;

/** Start of each fake booking, so a change keeps (or moves) it. */
const bookedAt = new Map<string, string>();

/** Workflow time of the calling activity (the time-skipping server's clock, not the wall clock). */
const scheduledAt = () => Context.current().info.currentAttemptScheduledTimestampMs ?? Date.now();

/** A one-hour booking (default: 10:00 UTC three days ahead) with reminders 24 h and 2 h before, those still ahead of `now`. */
export function fakeAppointment(now: number, status: AppointmentSnapshot['status'], startsAt?: string): AppointmentSnapshot {
  const start = startsAt ? Date.parse(startsAt) : Math.ceil(now / 86_400_000) * 86_400_000 + 2 * 86_400_000 + 10 * 3_600_000;
  const reminders = [
    { name: 'reminder-24h', at: start - 24 * 3_600_000 },
    { name: 'reminder-2h', at: start - 2 * 3_600_000 },
  ].filter((r) => r.at > now && (status === 'booked' || status === 'confirmed'));
  return {
    status,
    startsAt: new Date(start).toISOString(),
    endsAt: new Date(start + 3_600_000).toISOString(),
    reminders: reminders.map((r) => ({ name: r.name, at: new Date(r.at).toISOString() })),
    followUpAfterMinutes: 120,
    markWindowMinutes: 24 * 60,
  };
}

export function createFakes() {
  const calls: RecordedCall[] = [];
  const impl: Acts = defaults();
  const activities = Object.fromEntries(
    (Object.keys(impl) as Name[]).map((name) => [
      name,
      async (input: any) => {
        const info = Context.current().info;
        const record = (n: Name, i: unknown) => calls.push({ name: n, input: i, workflowId: info.workflowExecution?.workflowId ?? '', activityId: info.activityId, attempt: info.attempt });
        const deliverEach = async (ref: object, messages: any[]) => {
          const replies = [];
          for (const message of messages) {
            record('deliverMessage', { ...ref, message });
            replies.push(await impl.deliverMessage({ ...ref, message } as Parameters<Acts['deliverMessage']>[0]));
          }
          return replies;
        };
        // A turn's batch is recorded and answered message by message (and a turn stored in one
        // activity as its contact message, then its replies), so tests read (and replace)
        // recordInbound and deliverMessage whichever way the workflow stored them.
        if (name === 'deliverMessages') {
          const { messages, ...ref } = input;
          return deliverEach(ref, messages);
        }
        if (name === 'recordTurn') {
          const { inbound, messages, ...ref } = input;
          record('recordInbound', { ...ref, ...inbound });
          const recorded = await impl.recordInbound({ ...ref, ...inbound });
          const diverted = recorded.consent || recorded.appointmentWorkflowId;
          return { inbound: recorded, replies: diverted ? [] : await deliverEach(ref, messages) };
        }
        record(name, input);
        return (impl[name] as (i: any) => Promise<unknown>)(input);
      },
    ]),
  ) as unknown as Acts;

  return {
    activities,
    impl,
    calls,
    /** Calls of one workflow, optionally of one activity. */
    of(workflowId: string, name?: Name): RecordedCall[] {
      return calls.filter((c) => c.workflowId === workflowId && (!name || c.name === name));
    },
    /** Restores the default behaviour of every activity. */
    reset() {
      Object.assign(impl, defaults());
    },
  };
}

export type Fakes = ReturnType<typeof createFakes>;
