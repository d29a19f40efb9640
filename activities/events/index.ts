/**
 * `emitEvent` queues a platform event as a BullMQ job whose id is derived from the event itself,
 * so a retried activity does not queue it twice (the sink, events/sink.ts, stores each job once).
 */
import { stripUnstorableDeep } from '../../core/text';
import { eventJob } from '../../events/queue';
import { eventRowId, sha256 } from '../../events/sink';
import { activityContext } from '../context';
import type { ActivityDeps } from '../deps';
import type { SwitchboardActivities } from '../types';

/** Same scheduled activity (any attempt) → same id; outside an activity the content decides. */
function eventJobId(input: { tenantId: string; type: string; workflowId: string; data: Record<string, unknown> }): string {
  const info = activityContext()?.info;
  const identity = info ? [info.workflowExecution?.runId, info.activityId] : [JSON.stringify(input.data)];
  return sha256(JSON.stringify([input.tenantId, input.workflowId, input.type, ...identity]));
}

type EventInput = Parameters<SwitchboardActivities['emitEvent']>[0];

/**
 * Queues one event under `jobId`. Activities other than emitEvent (stored messages, a document
 * that went live) call it with an id derived from what the event is about, so their retries queue it once.
 */
export async function queueEvent(eventsQueue: ActivityDeps['eventsQueue'], input: EventInput, jobId: string): Promise<void> {
  // The sink stores the event in PostgreSQL: a NUL from an HTTP response or a model would fail it every attempt.
  await eventsQueue.add(input.type, eventJob(stripUnstorableDeep(input)), {
    jobId,
    attempts: 5,
    backoff: { type: 'exponential', delay: 1000 },
    // Completed jobs are kept for a day: that is what makes the jobId dedupe retries.
    removeOnComplete: { age: 24 * 3600 },
    removeOnFail: { age: 7 * 24 * 3600 },
  });
}

/** A job id for an event about one thing (a message, a document version): the same thing, the same id. */
export const subjectJobId = (tenantId: string, type: string, subject: string) => sha256(JSON.stringify([tenantId, type, subject]));

/** The row id of an event about one thing that an activity stores itself: the one the sink would give its job. */
export const subjectEventId = (tenantId: string, type: string, subject: string) => eventRowId(subjectJobId(tenantId, type, subject));

export function eventActivities({ eventsQueue }: ActivityDeps): Pick<SwitchboardActivities, 'emitEvent'> {
  return {
    emitEvent: (input) => queueEvent(eventsQueue, input, eventJobId(input)),
  };
}
