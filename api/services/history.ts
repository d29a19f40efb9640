/**
 * Turns a workflow's Temporal history into per-node groups by the activity tags
 * (core/activity-tags.ts) on activity ids and local-activity summaries, so every activity, its attempts, result or failure land on the node that ran it. Nodes that run
 * no activity (condition, setVariable…) come from the workflow's trace.
 */
import type { temporal } from '@temporalio/proto';
import { nodeOfActivityId, nodeOfLocalSummary } from '../../core/activity-tags';
import { decodePayload, decodePayloads as decode, protoTimeToIso as iso } from '../../temporal/proto';
import type { TraceEntry } from '../../workflows/messages';
import type { NodeHistory, NodeStep } from '../../core/api/runs';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

/** A local activity is one marker event: its data holds type and times, its summary the node. */
function localActivityStep(e: HistoryEvent, at: string | null): { nodeId: string; step: NodeStep } {
  const attrs = e.markerRecordedEventAttributes!;
  const data = (decode(attrs.details?.data) ?? {}) as {
    activity_type?: string;
    attempt?: number;
    original_schedule_time?: { seconds?: number; nanos?: number };
    complete_time?: { seconds?: number; nanos?: number };
  };
  const summary = e.userMetadata?.summary ? String(decodePayload(e.userMetadata.summary)) : '';
  const nodeId = nodeOfLocalSummary(summary) ?? 'workflow';
  // The two times come from the worker's clock and the marker's from the server's: order them.
  const finishedAt = iso(data.complete_time) ?? at;
  const scheduledAt = iso(data.original_schedule_time) ?? finishedAt;
  const startedAt = scheduledAt && finishedAt && scheduledAt > finishedAt ? finishedAt : scheduledAt;
  return {
    nodeId,
    step: {
      kind: 'activity',
      name: data.activity_type ?? 'localActivity',
      startedAt,
      finishedAt,
      durationMs: span(startedAt, finishedAt),
      attempts: data.attempt ?? 1,
      status: attrs.failure ? 'failed' : 'completed',
      output: attrs.details?.result ? decode(attrs.details.result) : undefined,
      error: attrs.failure?.message ?? undefined,
    },
  };
}

/**
 * A turn's replies stored together (`deliverMessages`) show as one delivery per reply, each on
 * the node that said it, with the batch's timing: the run view reads as it did with one local
 * activity per reply. A turn stored in one activity (`recordTurn`) shows its contact message as
 * `recordInbound` on its own node, then its replies so. A batch that failed has no replies to
 * split and stays one step.
 */
function perReply(local: { nodeId: string; step: NodeStep }): { nodeId: string; step: NodeStep }[] {
  const output = local.step.output as { inbound?: unknown; replies?: unknown } | undefined;
  if (local.step.name === 'recordTurn' && output && Array.isArray(output.replies)) {
    const inbound = { nodeId: local.nodeId, step: { ...local.step, name: 'recordInbound', output: output.inbound } };
    return [inbound, ...splitReplies(local, output.replies)];
  }
  if (local.step.name !== 'deliverMessages' || !Array.isArray(local.step.output)) return [local];
  return splitReplies(local, local.step.output);
}

const splitReplies = (local: { nodeId: string; step: NodeStep }, replies: { nodeId?: string }[]) =>
  replies.map((reply) => ({ nodeId: reply.nodeId ?? local.nodeId, step: { ...local.step, name: 'deliverMessage', output: reply } }));

const span = (a: string | null, b: string | null) => (a && b ? new Date(b).getTime() - new Date(a).getTime() : null);

export function groupHistoryByNode(events: HistoryEvent[], trace: TraceEntry[] = []): NodeHistory[] {
  const byScheduledId = new Map<string, { nodeId: string; step: NodeStep }>();
  const groups = new Map<string, NodeHistory>();
  const group = (nodeId: string, type: string | null) => {
    let g = groups.get(nodeId);
    if (!g) groups.set(nodeId, (g = { nodeId, type, visits: 0, firstAt: null, lastAt: null, durationMs: null, steps: [] }));
    if (!g.type && type) g.type = type;
    return g;
  };

  for (const e of events) {
    const at = iso(e.eventTime);
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName === LOCAL_ACTIVITY_MARKER) {
      for (const part of perReply(localActivityStep(e, at))) group(part.nodeId, null).steps.push(part.step);
      continue;
    }
    const scheduled = e.activityTaskScheduledEventAttributes;
    if (scheduled) {
      const nodeId = nodeOfActivityId(scheduled.activityId ?? '') ?? 'workflow';
      const step: NodeStep = {
        kind: 'activity',
        name: scheduled.activityType?.name ?? 'activity',
        startedAt: at,
        finishedAt: null,
        durationMs: null,
        status: 'scheduled',
        input: decode(scheduled.input),
      };
      group(nodeId, null).steps.push(step);
      byScheduledId.set(String(e.eventId), { nodeId, step });
      continue;
    }
    const attrs =
      e.activityTaskStartedEventAttributes ??
      e.activityTaskCompletedEventAttributes ??
      e.activityTaskFailedEventAttributes ??
      e.activityTaskTimedOutEventAttributes ??
      e.activityTaskCanceledEventAttributes;
    if (!attrs) continue;
    const ref = byScheduledId.get(String(attrs.scheduledEventId));
    if (!ref) continue;
    const { step } = ref;
    if (e.activityTaskStartedEventAttributes) {
      step.status = 'running';
      step.attempts = e.activityTaskStartedEventAttributes.attempt ?? 1;
    } else {
      step.finishedAt = at;
      step.durationMs = span(step.startedAt, at);
      if (e.activityTaskCompletedEventAttributes) {
        step.status = 'completed';
        step.output = decode(e.activityTaskCompletedEventAttributes.result);
      } else if (e.activityTaskFailedEventAttributes) {
        step.status = 'failed';
        step.error = e.activityTaskFailedEventAttributes.failure?.message ?? 'failed';
      } else if (e.activityTaskTimedOutEventAttributes) {
        step.status = 'timed_out';
        step.error = e.activityTaskTimedOutEventAttributes.failure?.message ?? 'timed out';
      } else {
        step.status = 'canceled';
      }
    }
  }

  for (const t of trace) {
    group(t.nodeId, t.type).steps.push({
      kind: 'trace',
      name: t.type,
      turn: t.turn,
      startedAt: t.startedAt,
      finishedAt: t.finishedAt ?? null,
      durationMs: span(t.startedAt, t.finishedAt ?? null),
      status: t.error ? 'failed' : 'visited',
      output: t.output,
      error: t.error,
      handle: t.handle,
    });
  }

  for (const g of groups.values()) {
    g.steps.sort((a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? ''));
    g.visits = Math.max(1, g.steps.filter((s) => s.kind === 'trace').length);
    g.firstAt = g.steps[0]?.startedAt ?? null;
    g.lastAt = g.steps.reduce<string | null>((m, s) => ((s.finishedAt ?? s.startedAt ?? '') > (m ?? '') ? (s.finishedAt ?? s.startedAt) : m), null);
    g.durationMs = g.steps.reduce<number | null>((sum, s) => (s.durationMs == null ? sum : (sum ?? 0) + s.durationMs), null);
  }
  return [...groups.values()].sort((a, b) => (a.firstAt ?? '').localeCompare(b.firstAt ?? ''));
}
