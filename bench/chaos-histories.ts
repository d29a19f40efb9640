/**
 * What the chaos run's conversations went through inside Temporal: every run's history read back
 * and its workflow tasks timed, from the moment a worker took one to its completion, plus the tasks
 * that timed out (started on a worker that was killed, or on a server that was killed, before they
 * completed) and the workflow task timeout each run had. This is where a killed worker's stall shows.
 */
import { Client, Connection } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { protoTimeToIso } from '../temporal/proto';

type Event = temporal.api.history.v1.IHistoryEvent;

const ms = (t: Event['eventTime']) => new Date(protoTimeToIso(t)!).getTime();
const seconds = (d: { seconds?: unknown; nanos?: number | null } | null | undefined) => (d ? Number(d.seconds ?? 0) + (d.nanos ?? 0) / 1e9 : 0);

export interface WorkflowTaskStats {
  runs: number;
  /** Workflow task timeout of the runs (seconds → how many runs had it). */
  taskTimeouts: Record<string, number>;
  longestHistory: number;
  tasks: number;
  /** Started and never completed within the timeout: the worker or the server holding it died. */
  timedOut: number;
  /** Waited on a killed worker's sticky queue until they went to the shared one. */
  stickyTimedOut: number;
  /** Started → completed, over every completed task. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The slowest completed tasks, with when they started (to set beside the kills). */
  slowest: { workflowId: string; startedAt: string; ms: number }[];
}

export async function workflowTaskStats(address: string, workflowType = 'conversation'): Promise<WorkflowTaskStats> {
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection });
    const durations: number[] = [];
    const all: WorkflowTaskStats['slowest'] = [];
    const stats = { runs: 0, taskTimeouts: {} as Record<string, number>, longestHistory: 0, tasks: 0, timedOut: 0, stickyTimedOut: 0 };
    for await (const run of client.workflow.list({ query: `WorkflowType = '${workflowType}'` })) {
      const history = await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
      const events = history.events ?? [];
      stats.runs++;
      stats.longestHistory = Math.max(stats.longestHistory, events.length);
      const timeout = String(seconds(events[0]?.workflowExecutionStartedEventAttributes?.workflowTaskTimeout));
      stats.taskTimeouts[timeout] = (stats.taskTimeouts[timeout] ?? 0) + 1;
      let startedAt: number | null = null;
      for (const e of events) {
        if (e.workflowTaskStartedEventAttributes) {
          startedAt = ms(e.eventTime);
          stats.tasks++;
        } else if (e.workflowTaskCompletedEventAttributes && startedAt !== null) {
          const d = ms(e.eventTime) - startedAt;
          durations.push(d);
          all.push({ workflowId: run.workflowId, startedAt: new Date(startedAt).toISOString(), ms: d });
          startedAt = null;
        } else if (e.workflowTaskTimedOutEventAttributes) {
          // TIMEOUT_TYPE_SCHEDULE_TO_START (2): it never started; START_TO_CLOSE (3): a worker held it.
          if (e.workflowTaskTimedOutEventAttributes.timeoutType === 2) stats.stickyTimedOut++;
          else stats.timedOut++;
          startedAt = null;
        } else if (e.workflowTaskFailedEventAttributes) {
          startedAt = null;
        }
      }
    }
    durations.sort((a, b) => a - b);
    const at = (q: number) => durations[Math.min(durations.length - 1, Math.floor(q * durations.length))] ?? 0;
    return { ...stats, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: durations.at(-1) ?? 0, slowest: all.sort((a, b) => b.ms - a.ms).slice(0, 10) };
  } finally {
    await connection.close();
  }
}
