/**
 * The events webhooks need that the workflows do not emit themselves: the store activities queue
 * `conversation.started` (before a conversation's first message), `message.received` and
 * `message.sent`, once per message however often the activity is retried, and none for a "Try it"
 * test conversation; the ingestion's activation queues `document.ready`, once per version.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Conversation } from '../../db/entities';
import { tenantEm } from '../../db/orm';
import { createDocument, createKnowledgeBase } from '../../db/repos';
import { makeTenant } from '../db/fixtures';
import { activitiesFor, testDeps, type TestDeps } from '../activities/support';

let deps: TestDeps;
beforeAll(async () => {
  deps = await testDeps();
});
afterAll(() => deps.close());

const queued = async (workflowId: string) =>
  (await deps.eventsQueue.getJobs(['waiting', 'delayed', 'active', 'completed']))
    .filter((j) => j.data.workflowId === workflowId)
    .sort((a, b) => a.timestamp - b.timestamp || a.data.occurredAt.localeCompare(b.data.occurredAt))
    .map((j) => ({ type: j.data.type, data: j.data.data }));

it('stored messages queue their events once each, the conversation’s start before its first', async () => {
  const t = await makeTenant(deps.orm);
  const acts = activitiesFor(deps);
  const ref = { tenantId: t.tenantId, conversationId: t.conversationId, workflowId: t.workflowId, channel: 'api' as const };
  const inbound = { ...ref, key: `${t.workflowId}:in:1`, text: 'hello' };
  const { messageId } = await acts.recordInbound(inbound);
  await acts.recordInbound(inbound);
  const reply = await acts.deliverMessage({ ...ref, message: { key: `${t.workflowId}:greet:1`, text: 'Hi!', author: 'bot', nodeId: 'greet', source: 'template' } });
  await acts.deliverMessage({ ...ref, message: { key: `${t.workflowId}:greet:1`, text: 'Hi!', author: 'bot', nodeId: 'greet', source: 'template' } });

  const events = await queued(t.workflowId);
  expect(events.map((e) => e.type)).toEqual(['conversation.started', 'message.received', 'message.sent']);
  expect(events[0].data).toEqual({ conversationId: t.conversationId, channel: 'api' });
  expect(events[1].data).toMatchObject({ conversationId: t.conversationId, channel: 'api', message: { id: messageId, author: 'contact', text: 'hello' } });
  expect(events[2].data).toMatchObject({ message: { id: reply.id, author: 'bot', text: 'Hi!' } });
});

it('a test conversation queues no message events', async () => {
  const t = await makeTenant(deps.orm);
  const em = tenantEm(deps.orm, t.tenantId);
  await em.nativeUpdate(Conversation, { id: t.conversationId }, { isTest: true });
  await activitiesFor(deps).recordInbound({ tenantId: t.tenantId, conversationId: t.conversationId, workflowId: t.workflowId, channel: 'api', key: `${t.workflowId}:in:1`, text: 'try' });
  expect(await queued(t.workflowId)).toEqual([]);
});

it('a document version that goes live queues document.ready once', async () => {
  const t = await makeTenant(deps.orm);
  const em = tenantEm(deps.orm, t.tenantId);
  const kb = await createKnowledgeBase(em, t.tenantId, { name: 'Docs' });
  const { document } = await createDocument(em, t.tenantId, { knowledgeBaseId: kb.id, name: 'Note', sourceType: 'text', mimeType: 'text/plain', content: Buffer.from('Open nine to five.') });
  const acts = activitiesFor(deps);
  const ref = { tenantId: t.tenantId, documentId: document.id, version: 1 };
  expect(await acts.activateDocumentVersion(ref)).toEqual({ activated: true });
  await acts.activateDocumentVersion(ref);
  const jobs = (await deps.eventsQueue.getJobs(['waiting', 'delayed', 'active', 'completed'])).filter((j) => j.data.tenantId === t.tenantId);
  expect(jobs.map((j) => [j.data.type, j.data.data])).toEqual([['document.ready', { documentId: document.id, version: 1 }]]);
});
