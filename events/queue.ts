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
}

export const createEventsQueue = (connection: ConnectionOptions, name = EVENTS_QUEUE) => new Queue<EventJob>(name, { connection });
