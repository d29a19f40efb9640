/**
 * The events webhooks need that the workflows do not emit themselves: the store activities store
 * `conversation.started` (before a conversation's first message), `message.received` and
 * `message.sent` in the statement that stores the message, once per message however often the
 * activity is retried, and hand them on to the fan-out (again on a retry: it is idempotent); none
 * for a "Try it" test conversation. The ingestion's activation queues `document.ready`, once per version.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Conversation, Event } from '../../db/entities';
import { tenantEm } from '../../db/orm';
import { createDocument, createKnowledgeBase } from '../../db/repos';
import { makeTenant } from '../db/fixtures';
import { activitiesFor, testDeps, type TestDeps } from '../activities/support';

let deps: TestDeps;
beforeAll(async () => {
  deps = await testDeps();
});
afterAll(() => deps.close());

const stored = async (tenantId: string, workflowId: string) =>
  (await tenantEm(deps.orm, tenantId).find(Event, { workflowId }, { orderBy: { createdAt: 'asc' } })).map((e) => ({ id: e.id, type: e.type, data: e.data }));
const handedOn = (workflowId: string) => deps.fannedOut.filter((e) => e.workflowId === workflowId).map((e) => e.type);

it('stored messages store their events once each, the conversation’s start before its first, and hand them on', async () => {
  const t = await makeTenant(deps.orm);
  const acts = activitiesFor(deps);
  const ref = { tenantId: t.tenantId, conversationId: t.conversationId, workflowId: t.workflowId, channel: 'api' as const };
  const inbound = { ...ref, key: `${t.workflowId}:in:1`, text: 'hello' };
  const { messageId } = await acts.recordInbound(inbound);
  const greet = { ...ref, message: { key: `${t.workflowId}:greet:1`, text: 'Hi!', author: 'bot' as const, nodeId: 'greet', source: 'template' } };
  const reply = await acts.deliverMessage(greet);
  expect(handedOn(t.workflowId)).toEqual(['conversation.started', 'message.received', 'message.sent']);

  // Retried after the store (the result was lost): nothing stored twice, the same events handed on again.
  await acts.recordInbound(inbound);
  await acts.deliverMessage(greet);
  expect(handedOn(t.workflowId)).toEqual(['conversation.started', 'message.received', 'message.sent', 'conversation.started', 'message.received', 'message.sent']);
  const again = deps.fannedOut.filter((e) => e.workflowId === t.workflowId).map((e) => e.id);
  expect(again.slice(3)).toEqual(again.slice(0, 3));

  const events = await stored(t.tenantId, t.workflowId);
  expect(events.map((e) => e.type).sort()).toEqual(['conversation.started', 'message.received', 'message.sent']);
  const of = (type: string) => events.find((e) => e.type === type)!;
  expect(of('conversation.started').data).toEqual({ conversationId: t.conversationId, channel: 'api' });
  expect(of('message.received').data).toMatchObject({ conversationId: t.conversationId, channel: 'api', message: { id: messageId, author: 'contact', text: 'hello' } });
  expect(of('message.sent').data).toMatchObject({ message: { id: reply.id, author: 'bot', text: 'Hi!' } });
  // Stored in the message's statement, not queued for the sink.
  expect((await deps.eventsQueue.getJobs(['waiting', 'delayed', 'active', 'completed'])).filter((j) => j.data.workflowId === t.workflowId)).toEqual([]);
});

it('a test conversation stores and hands on no message events', async () => {
  const t = await makeTenant(deps.orm);
  const em = tenantEm(deps.orm, t.tenantId);
  await em.nativeUpdate(Conversation, { id: t.conversationId }, { isTest: true });
  await activitiesFor(deps).recordInbound({ tenantId: t.tenantId, conversationId: t.conversationId, workflowId: t.workflowId, channel: 'api', key: `${t.workflowId}:in:1`, text: 'try' });
  expect(await stored(t.tenantId, t.workflowId)).toEqual([]);
  expect(handedOn(t.workflowId)).toEqual([]);
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
