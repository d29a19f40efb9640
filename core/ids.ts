/** Workflow ids are part of the public contract (DESIGN.md §2): build them in one place. */
import { createHash } from 'node:crypto';
import { AppError } from './errors';

export const TASK_QUEUE = 'switchboard';

export const conversationWorkflowId = (tenantId: string, conversationId: string) => `conv:${tenantId}:${conversationId}`;
export const flowRunWorkflowId = (tenantId: string, key: string) => `run:${tenantId}:${key}`;
/** One per inbound message with files to download: a redelivered or re-dispatched message starts it once. */
export const mediaWorkflowId = (tenantId: string, channelId: string, messageExternalId: string) => `media:${tenantId}:${channelId}:${messageExternalId}`;
/** One per batch of a bulk import: a retried request finds the batch already started. */
export const ingestBatchWorkflowId = (tenantId: string, importId: string, batch: number) => `bulk:${tenantId}:${importId}:${batch}`;
/** One long-lived poll per IMAP email channel. */
export const imapWorkflowId = (tenantId: string, channelId: string) => `imap:${tenantId}:${channelId}`;
/** One per booking, for as long as it lives (reminders, reschedules, follow-up). */
export const appointmentWorkflowId = (tenantId: string, appointmentId: string) => `appt:${tenantId}:${appointmentId}`;
/** One per campaign, from its draft to its last message. */
export const campaignWorkflowId = (tenantId: string, campaignId: string) => `camp:${tenantId}:${campaignId}`;
export const ingestWorkflowId = (tenantId: string, documentId: string, version: number) => `ingest:${tenantId}:${documentId}:${version}`;
/** One per attempt of a video render: a retried request finds the attempt already started; asking again after a failure is the next attempt. */
/** One presence audit: `presence:{tenant}:{auditId}`. */
export const presenceAuditWorkflowId = (tenantId: string, auditId: string) => `presence:${tenantId}:${auditId}`;
/** What follows an audit started outside the console: `grader:{tenant}:lead-{leadId}`, or a scheduled re-audit `grader:{tenant}:scheduled-<time>`. */
export const presenceFollowUpWorkflowId = (tenantId: string, key: string) => `grader:${tenantId}:${key}`;
/** The Temporal Schedule of a tenant's re-audits. */
export const presenceScheduleId = (tenantId: string) => `presence-schedule:${tenantId}`;
export const videoRenderWorkflowId = (tenantId: string, renderId: string, attempt: number) => `video:${tenantId}:${renderId}:${attempt}`;

/** One per phone call (inbound or outbound), keyed by Twilio's CallSid: every webhook of the call reaches the same run. */
export const callWorkflowId = (tenantId: string, callSid: string) => `call:${tenantId}:${callSid}`;

/** One long-lived two-way sync per staff member with a connected CalDAV calendar. */
export const calendarSyncWorkflowId = (tenantId: string, staffId: string) => `calsync:${tenantId}:${staffId}`;

/**
 * The daily retention run is every tenant's: `all` is no tenant's id, so no tenant's API can name it.
 * One Schedule and run per task queue, as the alert evaluation's: deployments that share a Temporal
 * namespace (each its own queue and database) would otherwise take the Schedule over from each other
 * (its action names one queue), and their runs started at the same time would share an id. The
 * Schedule appends the scheduled time.
 */
export const retentionWorkflowId = (taskQueue: string) => `retention:all:daily:${taskQueue}`;
export const retentionScheduleId = (taskQueue: string) => `switchboard-retention:${taskQueue}`;
/** The one Schedule of a namespace before Schedules were per task queue: a worker of its queue deletes it. */
export const LEGACY_RETENTION_SCHEDULE_ID = 'switchboard-retention';

/** `conv:{tenant}:{id}` → {kind, tenantId, rest}; null when the id is not one of ours. */
export function parseWorkflowId(workflowId: string): { kind: string; tenantId: string; rest: string } | null {
  const m = /^([a-z]+):([^:]+):(.+)$/.exec(workflowId);
  return m ? { kind: m[1], tenantId: m[2], rest: m[3] } : null;
}

/**
 * Tenant ownership is in the id itself: another tenant's id is simply not found. A bare id is a
 * flow run's key (when `kind` allows runs); `kind` restricts which workflows the id may name.
 */
export function ownWorkflowId(tenantId: string, id: string, kind: 'run' | 'conv' | null, field = 'workflowId'): string {
  if (!id.includes(':')) {
    if (kind !== 'run') throw new AppError('not_found', 'run not found', { field });
    return flowRunWorkflowId(tenantId, id);
  }
  const parsed = parseWorkflowId(id);
  if (!parsed || parsed.tenantId !== tenantId || (kind && parsed.kind !== kind)) throw new AppError('not_found', 'run not found', { field });
  return id;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is a UUID: PostgreSQL refuses a malformed one in a uuid comparison, so callers ask first. */
export const isUuid = (value: string) => UUID.test(value);

/** A uuid-shaped id derived from `seed` (SHA-256), so the same thing stored twice gets the same row id. */
export function uuidFromSeed(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The Temporal Schedule of a tenant's weekly report; its runs are `report:{tenant}:weekly-<scheduled time>`. */
export const reportScheduleId = (tenantId: string) => `report-schedule:${tenantId}`;
export const reportWorkflowId = (tenantId: string, key: string) => `report:${tenantId}:${key}`;
/** The Schedule of a task queue that evaluates every tenant's alert rules; its runs are `alerts:system:evaluate:{queue}-<time>` (per queue, as retention's). */
export const alertScheduleId = (taskQueue: string) => `alerts-evaluation:${taskQueue}`;
export const alertEvaluationWorkflowId = (taskQueue: string) => `alerts:system:evaluate:${taskQueue}`;
