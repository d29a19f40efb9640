/**
 * What the chaos run's conversations went through inside Temporal: every run's history read back
 * and its workflow tasks timed, from the moment a worker took one to its completion, plus the tasks
 * that timed out (started on a worker that was killed, or on a server that was killed, before they
 * completed) and the workflow task timeout each run had. This is where a killed worker's stall shows.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
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
  /** Waited on a worker's sticky queue until they went to the shared one: a killed worker's, or a live one with every slot taken. */
  stickyTimedOut: number;
  /** Started → completed, over every completed task. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /**
   * A conversation's first task on a worker it had not run on (a restarted one): it replays the
   * whole history before it can go on, so its time is the replay's upper bound.
   */
  onNewWorker: { tasks: number; p50Ms: number; maxMs: number };
  /** The slowest completed tasks, with when they started (to set beside the kills). */
  slowest: { workflowId: string; startedAt: string; ms: number }[];
}

/** With `saveTo`, every history is also written there as JSON (`temporal workflow show` reads the same form). */
export async function workflowTaskStats(address: string, saveTo?: string, workflowType = 'conversation'): Promise<WorkflowTaskStats> {
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection });
    const durations: number[] = [];
    const replays: number[] = [];
    const all: WorkflowTaskStats['slowest'] = [];
    const stats = { runs: 0, taskTimeouts: {} as Record<string, number>, longestHistory: 0, tasks: 0, timedOut: 0, stickyTimedOut: 0 };
    for await (const run of client.workflow.list({ query: `WorkflowType = '${workflowType}'` })) {
      const history = await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
      if (saveTo) writeFileSync(join(saveTo, `${run.workflowId.replaceAll(':', '_')}.${run.runId}.json`), historyToJSON(history));
      const events = history.events ?? [];
      stats.runs++;
      stats.longestHistory = Math.max(stats.longestHistory, events.length);
      const timeout = String(seconds(events[0]?.workflowExecutionStartedEventAttributes?.workflowTaskTimeout));
      stats.taskTimeouts[timeout] = (stats.taskTimeouts[timeout] ?? 0) + 1;
      let startedAt: number | null = null;
      let worker = '';
      let lastWorker = '';
      for (const e of events) {
        if (e.workflowTaskStartedEventAttributes) {
          startedAt = ms(e.eventTime);
          worker = e.workflowTaskStartedEventAttributes.identity ?? '';
          stats.tasks++;
        } else if (e.workflowTaskCompletedEventAttributes && startedAt !== null) {
          const d = ms(e.eventTime) - startedAt;
          durations.push(d);
          // A run's first task replays nothing; a later one on another worker replays everything.
          if (lastWorker && worker !== lastWorker) replays.push(d);
          lastWorker = worker;
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
    const at = (list: number[], q: number) => list[Math.min(list.length - 1, Math.floor(q * list.length))] ?? 0;
    durations.sort((a, b) => a - b);
    replays.sort((a, b) => a - b);
    return {
      ...stats,
      p50Ms: at(durations, 0.5),
      p99Ms: at(durations, 0.99),
      maxMs: durations.at(-1) ?? 0,
      onNewWorker: { tasks: replays.length, p50Ms: at(replays, 0.5), maxMs: replays.at(-1) ?? 0 },
      slowest: all.sort((a, b) => b.ms - a.ms).slice(0, 10),
    };
  } finally {
    await connection.close();
  }
}
