/**
 * "Reply C or R": what an appointment waits for from a contact, kept in Redis per conversation so
 * the conversation's turn can ask, in one read, whether the contact's message is that answer.
 * The workflow holds the truth (its `awaiting` state); this is the published pointer to it, set
 * and cleared by the same activity that sends the question, and expiring with the booking.
 */
import type { Redis } from 'ioredis';
import { couldBeAwaitedReply, isAwaitedReply, type AwaitedReply } from '../../core/appointments';
import { awaitedReplyKey } from '../../core/conversations';

const key = awaitedReplyKey;

interface Pointer {
  workflowId: string;
  awaited: AwaitedReply;
}

/** At least an hour, so a question sent just before the start can still be answered. */
const MIN_TTL_MS = 3_600_000;

export async function publishAwaited(redis: Redis, tenantId: string, conversationId: string, workflowId: string, awaited: AwaitedReply | null, until: string): Promise<void> {
  if (!awaited) {
    // Only this appointment's own pointer: another booking of the same contact may be asking too.
    const current = await readPointer(redis, tenantId, conversationId);
    if (current?.workflowId === workflowId) await redis.del(key(tenantId, conversationId));
    return;
  }
  const ttl = Math.max(MIN_TTL_MS, Date.parse(until) - Date.now());
  await redis.set(key(tenantId, conversationId), JSON.stringify({ workflowId, awaited } satisfies Pointer), 'PX', ttl);
}

/**
 * The appointment's workflow id when `text` answers what it waits for; the pointer is taken
 * (once). `beforeTake` runs when it does answer, before the pointer is taken: nothing may fail
 * after the take, so the caller's remaining work goes there.
 */
export async function claimAwaited(redis: Redis, tenantId: string, conversationId: string, text: string, beforeTake?: () => Promise<void>): Promise<{ workflowId: string } | null> {
  const pointer = await awaitedPointer(redis, tenantId, conversationId, text);
  if (!pointer) return null;
  await beforeTake?.();
  // Two deliveries of one message race here: only the one that deleted the pointer hands it over.
  const taken = await redis.del(key(tenantId, conversationId));
  return taken ? { workflowId: pointer.workflowId } : null;
}

/** Whether an appointment waits for exactly `text` from this conversation (nothing is taken). */
export async function awaitsAnswer(redis: Redis, tenantId: string, conversationId: string, text: string): Promise<boolean> {
  return (await awaitedPointer(redis, tenantId, conversationId, text)) !== null;
}

async function awaitedPointer(redis: Redis, tenantId: string, conversationId: string, text: string): Promise<Pointer | null> {
  if (!couldBeAwaitedReply(text)) return null;
  const pointer = await readPointer(redis, tenantId, conversationId);
  return pointer && isAwaitedReply(pointer.awaited, text) ? pointer : null;
}

async function readPointer(redis: Redis, tenantId: string, conversationId: string): Promise<Pointer | null> {
  const raw = await redis.get(key(tenantId, conversationId));
  if (!raw) return null;
  try {
    return JSON.parse(raw) as Pointer;
  } catch {
    return null;
  }
}
