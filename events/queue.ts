/** The BullMQ queue platform events travel on (producer: emitEvent; consumer: the event sink). */
import { Queue, type ConnectionOptions } from 'bullmq';

/** The queue's name unless EVENTS_QUEUE_NAME says otherwise (config.ts). */
export const EVENTS_QUEUE = 'events';

export interface EventJob {
  tenantId: string;
  type: string;
  workflowId: string;
  data: Record<string, unknown>;
  /** ISO time the activity queued it; becomes the Event row's createdAt. */
  occurredAt: string;
  /** `nextEventSeq()` when it was queued; none on jobs queued before it existed. */
  seq?: number;
}

let lastSeq = 0;

/**
 * Microseconds since the epoch, strictly increasing in this process: the order of a
 * conversation's events, which often share a millisecond. Webhook chains follow it rather than the
 * order the sink stores events in, which BullMQ does not keep when it runs several jobs at once
 * (ARCHITECTURE.md, "Outbound webhooks").
 */
export function nextEventSeq(): number {
  lastSeq = Math.max(lastSeq + 1, Math.floor((performance.timeOrigin + performance.now()) * 1000));
  return lastSeq;
}

/** An event as queued now (`at` only when the caller knows better when it happened). */
export const eventJob = (input: Omit<EventJob, 'occurredAt' | 'seq'>, at = new Date()): EventJob => ({ ...input, occurredAt: at.toISOString(), seq: nextEventSeq() });

export const createEventsQueue = (connection: ConnectionOptions, name = EVENTS_QUEUE) => new Queue<EventJob>(name, { connection });
