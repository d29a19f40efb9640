/**
 * The BullMQ queue of delivery attempts: one job per attempt of one (subscription, event)
 * delivery. A job only names the delivery; PostgreSQL holds its state, and the claim there
 * (db/repos/webhooks.ts) makes a duplicate job harmless.
 */
import { Queue, type ConnectionOptions } from 'bullmq';

export interface DeliveryJob {
  deliveryId: string;
}

/** `name` is WEBHOOK_QUEUE_NAME. */
export const createWebhookQueue = (connection: ConnectionOptions, name: string) => new Queue<DeliveryJob>(name, { connection });

export async function enqueueDeliveries(queue: Queue<DeliveryJob>, ids: string[], delayMs = 0): Promise<void> {
  if (ids.length === 0) return;
  await queue.addBulk(
    ids.map((deliveryId) => ({
      name: 'deliver',
      data: { deliveryId },
      // Retries here cover the worker's own trouble (database away); the receiver's failures are
      // retried by rescheduling (webhooks/worker.ts), each attempt logged.
      opts: { delay: Math.max(0, Math.round(delayMs)), attempts: 5, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 } },
    })),
  );
}
