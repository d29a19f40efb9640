/**
 * Labels conversations with an intent and a sentiment, off the event stream rather than inside the
 * conversation workflow (whose recorded histories stay as they are). After the sink stores a
 * contact's `message.received`, a delayed BullMQ job is queued under an id of the conversation and
 * the debounce window it falls in: messages within one window share a job, a message after it gets
 * the next. `conversation.closed` queues one at once. The job reads the conversation's contact
 * messages, labels them by the tenant's model when one is configured (offline on any error of
 * it), or by the offline classifier, and stores the labels only if that input (last contact
 * message, open or closed) was not labelled yet — so a retried or duplicate job labels once, and
 * only a write emits `conversation.labelled`.
 */
import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { MikroORM } from '@mikro-orm/postgresql';
import { UNKNOWN_INTENT } from '../core/api/intents';
import type { Config } from '../core/config';
import { offlineLabels } from '../core/intents/label';
import { queueEvent, subjectJobId } from '../activities/events';
import { cachedTenant } from '../db/repos/tenants';
import { tenantEm } from '../db/orm';
import { labelInput, listIntents, storedLabels, storeLabels, tenantIntentModel, type LabelsToStore } from '../db/repos';
import type { EventJob } from '../events/queue';
import type { StoredEvent } from '../events/sink';
import { modelLabels } from '../llm/labels';
import { tenantProviders } from '../llm/providers';
import { BoundedMap } from '../core/bounded-map';

export interface LabelJob {
  tenantId: string;
  conversationId: string;
}

type Log = (msg: string, fields?: Record<string, unknown>) => void;

export interface LabelDeps {
  orm: MikroORM;
  config: Config;
  eventsQueue: Queue<EventJob>;
  log?: Log;
}

export type LabelOutcome = 'labelled' | 'unchanged' | 'skipped';

async function labelsFor(deps: LabelDeps, tenantId: string, input: NonNullable<Awaited<ReturnType<typeof labelInput>>>): Promise<LabelsToStore> {
  const em = tenantEm(deps.orm, tenantId);
  const tenant = await cachedTenant(deps.orm, tenantId);
  const providers = tenant ? tenantProviders(tenant, deps.config) : [];
  if (providers.length > 0) {
    try {
      const intents = (await listIntents(em, tenantId)).map((i) => ({ name: i.name, description: i.description }));
      const scope = { tenantId, workflowId: input.workflowId, conversationId: input.conversationId, nodeId: 'labels' };
      const m = await modelLabels(deps.orm, scope, providers, { intents, contactTexts: input.contactTexts });
      return { intent: m.intent === UNKNOWN_INTENT ? null : m.intent, intentConfidence: m.confidence, sentiment: m.sentiment, sentimentScore: m.score, labelledBy: 'model', inputKey: input.inputKey };
    } catch (err) {
      deps.log?.('model labelling failed, labelling offline', { conversationId: input.conversationId, error: (err as Error).message });
    }
  }
  const model = await tenantIntentModel(em, tenantId);
  const { intent, sentiment } = offlineLabels(model, input.contactTexts, deps.config.INTENT_CONFIDENCE_THRESHOLD);
  return {
    intent: intent.intent === UNKNOWN_INTENT ? null : intent.intent,
    intentConfidence: intent.confidence === null ? null : Math.round(intent.confidence * 1000) / 1000,
    sentiment: sentiment.sentiment,
    sentimentScore: sentiment.score,
    labelledBy: 'offline',
    inputKey: input.inputKey,
  };
}

/** What the job runs: label one conversation, once per input. */
export async function labelConversation(deps: LabelDeps, job: LabelJob): Promise<LabelOutcome> {
  const em = tenantEm(deps.orm, job.tenantId);
  const input = await labelInput(em, job.tenantId, job.conversationId);
  if (!input || input.isTest || input.contactTexts.length === 0) return 'skipped';
  if ((await storedLabels(em, job.conversationId))?.inputKey === input.inputKey) return 'unchanged';
  const labels = await labelsFor(deps, job.tenantId, input);
  if (!(await storeLabels(em, job.tenantId, job.conversationId, labels))) return 'unchanged';
  const data = {
    conversationId: job.conversationId,
    intent: labels.intent ?? UNKNOWN_INTENT,
    intentConfidence: labels.intentConfidence,
    sentiment: labels.sentiment,
    sentimentScore: labels.sentimentScore,
    labelledBy: labels.labelledBy,
  };
  // The id derives from the input: a job that stored the labels and then failed queues the event once on its retry.
  await queueEvent(deps.eventsQueue, { tenantId: job.tenantId, type: 'conversation.labelled', workflowId: input.workflowId, data }, subjectJobId(job.tenantId, 'conversation.labelled', `${job.conversationId}:${input.inputKey}`));
  return 'labelled';
}

const isContactMessage = (e: StoredEvent) => e.type === 'message.received' && (e.data.message as { author?: string } | undefined)?.author === 'contact';

/**
 * The debounce window each conversation's labelling was last queued for, in this process: a second
 * message in the same window would queue the same job id (a no-op in Redis), so it queues nothing.
 * Bounded: the oldest conversations are forgotten first (forgetting only costs that no-op).
 */
export class QueuedWindows {
  private readonly windows: BoundedMap<string, number>;
  constructor(max = 10_000) {
    this.windows = new BoundedMap(max);
  }
  /** True when `windowEnd` was not yet queued for the conversation; remembers it. */
  claim(conversationId: string, windowEnd: number): boolean {
    if (this.windows.get(conversationId) === windowEnd) return false;
    this.windows.delete(conversationId);
    this.windows.set(conversationId, windowEnd);
    return true;
  }
  /** The queueing failed: the next message of the window tries again. */
  forget(conversationId: string): void {
    this.windows.delete(conversationId);
  }
}

/** Queues labelling for a stored event that changes what a conversation is labelled from; called after the sink. */
export async function scheduleLabelling(queue: Queue<LabelJob>, config: Pick<Config, 'LABEL_DEBOUNCE_SECONDS'>, event: StoredEvent, now = Date.now(), queued?: QueuedWindows): Promise<void> {
  const conversationId = typeof event.data.conversationId === 'string' ? event.data.conversationId : null;
  if (!conversationId) return;
  const data = { tenantId: event.tenantId, conversationId };
  // BullMQ job ids may not hold a colon.
  const opts = { attempts: 5, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: { age: 3600 }, removeOnFail: { age: 7 * 24 * 3600 } };
  if (event.type === 'conversation.closed') {
    await queue.add('close', data, { ...opts, jobId: `${conversationId}-close` });
  } else if (isContactMessage(event)) {
    const windowMs = config.LABEL_DEBOUNCE_SECONDS * 1000;
    if (windowMs === 0) return void (await queue.add('message', data, { ...opts, jobId: `${conversationId}-${event.id}` }));
    const windowEnd = (Math.floor(now / windowMs) + 1) * windowMs;
    if (queued && !queued.claim(conversationId, windowEnd)) return;
    try {
      await queue.add('message', data, { ...opts, jobId: `${conversationId}-${windowEnd}`, delay: windowEnd - now });
    } catch (err) {
      queued?.forget(conversationId);
      throw err;
    }
  }
}

export function startLabelling(opts: { connection: ConnectionOptions; orm: MikroORM; config: Config; eventsQueue: Queue<EventJob>; log?: Log }) {
  const log = opts.log ?? ((msg, fields) => console.warn(JSON.stringify({ msg, ...fields })));
  const queue = new Queue<LabelJob>(opts.config.LABELS_QUEUE_NAME, { connection: opts.connection });
  const deps: LabelDeps = { orm: opts.orm, config: opts.config, eventsQueue: opts.eventsQueue, log };
  const worker = new Worker<LabelJob>(opts.config.LABELS_QUEUE_NAME, (job) => labelConversation(deps, job.data), { connection: opts.connection, concurrency: 4 });
  const queued = new QueuedWindows();
  worker.on('failed', (job, err) => log('conversation labelling failed', { conversationId: job?.data.conversationId, error: err.message }));
  return {
    queue,
    worker,
    /** For the sink's `afterStore` and the events activities store themselves. */
    schedule: (event: StoredEvent) => scheduleLabelling(queue, opts.config, event, Date.now(), queued),
    async close(closeWorker: (w: Worker) => Promise<void>) {
      await closeWorker(worker);
      await queue.close();
    },
  };
}
