/**
 * Conversation labelling end to end on real PostgreSQL and Redis: contact messages stored by
 * `recordInbound` hand their `message.received` events to the labelling queue (worker/labels.ts),
 * as the worker wires it; the job stores the intent and sentiment and emits `conversation.labelled`,
 * which the event sink (events/sink.ts) stores. A repeated job labels once; the close labels again; a test conversation
 * is skipped; the tenant's model labels when one is configured, and a model answer that is not
 * valid falls back to the offline classifier; deleting the conversation deletes its labels.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Worker as QueueWorker } from 'bullmq';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { queueEvent } from '../../activities/events';
import { ConversationLabel, Event } from '../../db/entities';
import { systemEm, tenantEm } from '../../db/orm';
import { createConversation, createIntent, updateTenantSettings } from '../../db/repos';
import { secretBoxFromConfig } from '../../db/secrets';
import type { EventJob } from '../../events/queue';
import { startEventSink } from '../../events/sink';
import { closeQueueWorker } from '../../ingress/queue';
import { labelConversation, QueuedWindows, startLabelling } from '../../worker/labels';
import { activitiesFor, testDeps, type TestDeps } from '../activities/support';
import { makeTenant } from '../db/fixtures';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server';
import { waitUntil } from '../support/wait';

const queueName = `events-labels-${randomBytes(4).toString('hex')}`;
let deps: TestDeps;
let sink: QueueWorker<EventJob>;
let labels: ReturnType<typeof startLabelling>;
let llm: FakeOpenAI;
let config: TestDeps['config'];

const EXAMPLES = {
  card_arrival: ['my card has not arrived yet', 'when will my new card arrive', 'still waiting for my card', 'where is my debit card'],
  lost_card: ['I lost my card', 'my card was stolen', 'block my stolen card please', 'report a lost card'],
  refund: ['I want my money back', 'how do I get a refund', 'refund my order please', 'can I get reimbursed'],
};

async function tenantWithIntents() {
  const t = await makeTenant(deps.orm);
  const em = tenantEm(deps.orm, t.tenantId);
  for (const [name, examples] of Object.entries(EXAMPLES)) await createIntent(em, t.tenantId, { name, description: '', examples });
  return t;
}

/** A contact message stored by recordInbound, its events handed to the labelling as the worker does. */
async function contactSays(t: { tenantId: string; workflowId: string }, conversationId: string, text: string) {
  const acts = activitiesFor({ ...deps, afterEventsStored: async (events) => void (await Promise.all(events.map((e) => labels.schedule(e)))) });
  await acts.recordInbound({ tenantId: t.tenantId, conversationId, workflowId: t.workflowId, channel: 'api', key: randomUUID(), text });
}

const labelsOf = (tenantId: string, conversationId: string) => tenantEm(deps.orm, tenantId).findOne(ConversationLabel, { conversation: conversationId });
const labelledEvents = (tenantId: string, conversationId: string) =>
  tenantEm(deps.orm, tenantId).find(Event, { type: 'conversation.labelled', data: { conversationId } } as never, { orderBy: { createdAt: 'asc' } });

beforeAll(async () => {
  deps = await testDeps({ LABEL_DEBOUNCE_SECONDS: '1', LABELS_QUEUE_NAME: `labels-${randomBytes(4).toString('hex')}` }, queueName);
  config = deps.config;
  labels = startLabelling({ connection: deps.redis.duplicate({ maxRetriesPerRequest: null }), orm: deps.orm, config, eventsQueue: deps.eventsQueue, log: () => undefined });
  sink = startEventSink({ connection: deps.redis.duplicate({ maxRetriesPerRequest: null }), orm: deps.orm, queue: queueName, afterStore: labels.schedule });
  llm = await startFakeOpenAI();
});
afterAll(async () => {
  await sink?.close();
  await labels?.close(closeQueueWorker);
  await labels?.queue.obliterate({ force: true }).catch(() => undefined);
  await deps?.eventsQueue.obliterate({ force: true }).catch(() => undefined);
  await llm?.close();
  await deps?.close();
});

it("labels a conversation from its contact's messages, once per input, and again at the close", async () => {
  const t = await tenantWithIntents();
  await contactSays(t, t.conversationId, 'hi there');
  await contactSays(t, t.conversationId, 'my new card still has not arrived, this is ridiculous');
  await waitUntil(async () => (await labelledEvents(t.tenantId, t.conversationId)).length === 1, 20_000, 'the conversation labelled');
  const stored = await labelsOf(t.tenantId, t.conversationId);
  expect(stored).toMatchObject({ intent: 'card_arrival', sentiment: 'negative', labelledBy: 'offline' });
  expect(stored!.intentConfidence).toBeGreaterThan(0.3);
  expect(stored!.sentimentScore).toBeLessThan(0);
  const [event] = await labelledEvents(t.tenantId, t.conversationId);
  expect(event!.data).toEqual({
    conversationId: t.conversationId,
    intent: 'card_arrival',
    intentConfidence: stored!.intentConfidence,
    sentiment: 'negative',
    sentimentScore: stored!.sentimentScore,
    labelledBy: 'offline',
  });

  // A retried or duplicate job: the same input is not labelled twice.
  expect(await labelConversation({ orm: deps.orm, config, eventsQueue: deps.eventsQueue }, { tenantId: t.tenantId, conversationId: t.conversationId })).toBe('unchanged');

  // The close labels once more, after a happier last message.
  await contactSays(t, t.conversationId, 'found it in the mailbox, thanks a lot, great help!');
  await systemEm(deps.orm).getConnection().execute(`update conversations set status = 'closed' where id = ?`, [t.conversationId]);
  await queueEvent(deps.eventsQueue, { tenantId: t.tenantId, workflowId: t.workflowId, type: 'conversation.closed', data: { conversationId: t.conversationId, reason: 'bot' } }, randomUUID());
  await waitUntil(async () => (await labelsOf(t.tenantId, t.conversationId))?.inputKey.endsWith(':closed') === true, 20_000, 'labelled at the close');
  await waitUntil(async () => (await labelledEvents(t.tenantId, t.conversationId)).length === 2, 10_000, 'the second labelled event');
  expect(await labelsOf(t.tenantId, t.conversationId)).toMatchObject({ intent: 'card_arrival', sentiment: 'positive' });

  // Deleting the conversation deletes its labels.
  await systemEm(deps.orm).getConnection().execute(`delete from events where data->>'conversationId' = ?`, [t.conversationId]);
  await systemEm(deps.orm).getConnection().execute(`delete from messages where conversation_id = ?`, [t.conversationId]);
  await systemEm(deps.orm).getConnection().execute(`delete from conversations where id = ?`, [t.conversationId]);
  expect(await labelsOf(t.tenantId, t.conversationId)).toBeNull();
});

it('skips test conversations, and labels unknown below the threshold', async () => {
  const t = await tenantWithIntents();
  const em = tenantEm(deps.orm, t.tenantId);
  const test = await createConversation(em, t.tenantId, { flowId: t.flowId, flowVersion: 0, channel: 'webchat' });
  await systemEm(deps.orm).getConnection().execute(`update conversations set is_test = true where id = ?`, [test.id]);
  await contactSays(t, test.id, 'I lost my card');
  const job = { orm: deps.orm, config, eventsQueue: deps.eventsQueue };
  expect(await labelConversation(job, { tenantId: t.tenantId, conversationId: test.id })).toBe('skipped');
  // Another tenant's conversation is not found in this one.
  expect(await labelConversation(job, { tenantId: (await makeTenant(deps.orm)).tenantId, conversationId: t.conversationId })).toBe('skipped');

  await contactSays(t, t.conversationId, 'what is the weather like on mars');
  expect(await labelConversation({ ...job, config: { ...config, INTENT_CONFIDENCE_THRESHOLD: 0.95 } }, { tenantId: t.tenantId, conversationId: t.conversationId })).toBe('labelled');
  expect(await labelsOf(t.tenantId, t.conversationId)).toMatchObject({ intent: null, labelledBy: 'offline' });
});

it("labels by the tenant's model when one is configured, and offline when its answer is not valid", async () => {
  const t = await tenantWithIntents();
  await updateTenantSettings(systemEm(deps.orm), t.tenantId, {
    llm: { baseURL: `${llm.url}/v1`, model: 'fake-gpt', apiKeyEncrypted: secretBoxFromConfig(config).encrypt('sk-test') },
  });
  const job = { orm: deps.orm, config, eventsQueue: deps.eventsQueue, log: () => undefined };
  llm.enqueue({ for: 'labels', content: '```json\n{"intent": "refund", "confidence": 0.92, "sentiment": "negative", "score": -0.6}\n```' });
  await contactSays(t, t.conversationId, 'the blender broke after a day');
  // The sink's job may run first; either way the model labelled it.
  await labelConversation(job, { tenantId: t.tenantId, conversationId: t.conversationId });
  expect(await labelsOf(t.tenantId, t.conversationId)).toMatchObject({ intent: 'refund', intentConfidence: 0.92, sentiment: 'negative', sentimentScore: -0.6, labelledBy: 'model' });
  const request = llm.labelRequests.at(-1)!;
  expect(request.body.messages[0].content).toContain('- refund');
  expect(request.body.messages[1].content).toContain('the blender broke after a day');

  // An intent that is not the tenant's: the offline classifier labels instead.
  llm.enqueue({ for: 'labels', content: '{"intent": "cancel_subscription", "confidence": 0.9, "sentiment": "neutral", "score": 0}' });
  await contactSays(t, t.conversationId, 'I lost my card, please block it');
  await waitUntil(async () => (await labelsOf(t.tenantId, t.conversationId))?.labelledBy === 'offline', 20_000, 'labelled offline after an invalid answer');
  expect(await labelsOf(t.tenantId, t.conversationId)).toMatchObject({ intent: 'lost_card', labelledBy: 'offline' });
});

it('queues a conversation’s labelling once per debounce window, however many messages fall in it', async () => {
  const queued = new QueuedWindows(2);
  expect(queued.claim('c1', 1000)).toBe(true);
  expect(queued.claim('c1', 1000)).toBe(false);
  expect(queued.claim('c1', 2000)).toBe(true);
  // Bounded: a third conversation forgets the oldest, which then queues again (a no-op in Redis).
  expect(queued.claim('c2', 1000)).toBe(true);
  expect(queued.claim('c3', 1000)).toBe(true);
  expect(queued.claim('c1', 2000)).toBe(true);
  queued.forget('c3');
  expect(queued.claim('c3', 1000)).toBe(true);

  const t = await tenantWithIntents();
  for (const text of ['one', 'two', 'three']) await contactSays(t, t.conversationId, text);
  const jobs = (await labels.queue.getJobs(['delayed', 'waiting', 'active', 'completed'])).filter((j) => j.data.conversationId === t.conversationId);
  expect(jobs.length).toBeGreaterThanOrEqual(1);
  expect(jobs.length).toBeLessThanOrEqual(2);
});
