/**
 * Where a webhook's time goes, read from the ivrCall run's Temporal history: each `callEvent`
 * update is one stretch from the first workflow task scheduled for it to the update completed. In
 * it, the workflow tasks' wait for a worker (scheduled → started) and their run on it (started →
 * completed, local activities included: each one's share is its marker's complete time minus the
 * previous step's), and activities on the task queue (scheduled → completed). What the fake
 * Twilio measured beyond the stretch is the API and HTTP (signature, parsing, the update's round
 * trip through the Temporal client, TwiML rendering).
 */
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

type Event = temporal.api.history.v1.IHistoryEvent;

export interface WebhookProfile {
  totalMs: number;
  temporalMs: number;
  apiAndHttpMs: number;
  workflowTaskQueueMs: number;
  workflowTaskRunMs: number;
  activityMs: number;
  /** Local activities run inside workflow tasks, ms by type. */
  localActivityMs: Record<string, number>;
  activities: Record<string, number>;
}

const ms = (t: Event['eventTime']) => Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;

/**
 * One profile per update of the run, in order. An update's stretch starts with the workflow task
 * that accepted it (the one its arrival scheduled) and ends at its completed event; activities
 * that finish outside any update (work scheduled with an answer, off the caller's path) count for
 * none.
 */
export function profileUpdates(events: Event[]): Array<Omit<WebhookProfile, 'totalMs' | 'apiAndHttpMs'>> {
  const out: Array<Omit<WebhookProfile, 'totalMs' | 'apiAndHttpMs'>> = [];
  let cur: ReturnType<typeof fresh> | null = null;
  /** The workflow task in progress or last completed, with its local activities. */
  let task = { scheduled: 0, started: 0, completed: 0, local: {} as Record<string, number> };
  let lastStep = 0;
  const activityScheduled = new Map<string, { at: number; type: string }>();
  for (const e of events) {
    const at = ms(e.eventTime);
    if (e.workflowTaskScheduledEventAttributes) {
      task = { scheduled: at, started: 0, completed: 0, local: {} };
    } else if (e.workflowTaskStartedEventAttributes) {
      task.started = at;
      lastStep = at;
    } else if (e.workflowTaskCompletedEventAttributes) {
      task.completed = at;
      if (cur) addTask(cur, task);
    } else if (e.markerRecordedEventAttributes) {
      const data = e.markerRecordedEventAttributes.details?.data?.payloads?.[0]?.data;
      if (data) {
        try {
          const d = JSON.parse(Buffer.from(data).toString()) as { activity_type?: string; complete_time?: { seconds: number; nanos: number } };
          if (d.activity_type && d.complete_time) {
            const done = d.complete_time.seconds * 1000 + d.complete_time.nanos / 1e6;
            // Markers are written with the task's completion, after the update it accepted.
            const into = cur ? cur.localActivityMs : task.local;
            into[d.activity_type] = (into[d.activity_type] ?? 0) + Math.max(0, done - lastStep);
            lastStep = Math.max(lastStep, done);
          }
        } catch {
          // Not a local activity marker.
        }
      }
    } else if (e.workflowExecutionUpdateAcceptedEventAttributes) {
      cur = fresh();
      cur.first = task.scheduled;
      addTask(cur, task);
    } else if (e.activityTaskScheduledEventAttributes) {
      activityScheduled.set(String(e.eventId), { at, type: e.activityTaskScheduledEventAttributes.activityType?.name ?? '?' });
    } else if (e.activityTaskCompletedEventAttributes || e.activityTaskFailedEventAttributes) {
      const attrs = e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes!;
      const s = activityScheduled.get(String(attrs.scheduledEventId));
      if (s && cur) {
        cur.activityMs += at - s.at;
        cur.activities[s.type] = (cur.activities[s.type] ?? 0) + at - s.at;
      }
    } else if (e.workflowExecutionUpdateCompletedEventAttributes && cur) {
      cur.temporalMs = at - (cur.first ?? at);
      const { first: _first, ...done } = cur;
      out.push(done);
      cur = null;
    }
  }
  return out;
}

function addTask(cur: ReturnType<typeof fresh>, task: { scheduled: number; started: number; completed: number; local: Record<string, number> }) {
  if (!task.completed) return;
  cur.workflowTaskQueueMs += task.started - task.scheduled;
  cur.workflowTaskRunMs += task.completed - task.started;
  for (const [k, v] of Object.entries(task.local)) cur.localActivityMs[k] = (cur.localActivityMs[k] ?? 0) + v;
}

function fresh() {
  return { first: null as number | null, temporalMs: 0, workflowTaskQueueMs: 0, workflowTaskRunMs: 0, activityMs: 0, localActivityMs: {} as Record<string, number>, activities: {} as Record<string, number> };
}

/** Mean profile of the TwiML webhooks of these calls (the fake's times matched to the run's updates in order). */
export async function profileCalls(client: Client, calls: Array<{ workflowId: string; webhookMs: number[] }>): Promise<WebhookProfile> {
  const all: WebhookProfile[] = [];
  for (const call of calls) {
    const history = await client.workflow.getHandle(call.workflowId).fetchHistory();
    const updates = profileUpdates(history.events ?? []);
    call.webhookMs.forEach((total, i) => {
      const u = updates[i];
      if (u) all.push({ ...u, totalMs: total, apiAndHttpMs: total - u.temporalMs });
    });
  }
  const mean = (f: (p: WebhookProfile) => number) => Math.round((all.reduce((a, p) => a + f(p), 0) / Math.max(1, all.length)) * 10) / 10;
  const keys = (pick: (p: WebhookProfile) => Record<string, number>) => [...new Set(all.flatMap((p) => Object.keys(pick(p))))];
  return {
    totalMs: mean((p) => p.totalMs),
    temporalMs: mean((p) => p.temporalMs),
    apiAndHttpMs: mean((p) => p.apiAndHttpMs),
    workflowTaskQueueMs: mean((p) => p.workflowTaskQueueMs),
    workflowTaskRunMs: mean((p) => p.workflowTaskRunMs),
    activityMs: mean((p) => p.activityMs),
    localActivityMs: Object.fromEntries(keys((p) => p.localActivityMs).map((k) => [k, mean((p) => p.localActivityMs[k] ?? 0)])),
    activities: Object.fromEntries(keys((p) => p.activities).map((k) => [k, mean((p) => p.activities[k] ?? 0)])),
  };
}
