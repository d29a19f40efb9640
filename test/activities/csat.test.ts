/** The csat node's activities on PostgreSQL and a BullMQ queue: one row and one event per rating, however often retried. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CsatResponse } from '../../db/entities';
import { tenantEm } from '../../db/orm';
import { createContact, createConversation, csatOfConversation, deleteContact } from '../../db/repos';
import { makeTenant } from '../db/fixtures';
import { activitiesFor, testDeps, type TestDeps } from './support';

let deps: TestDeps;
beforeAll(async () => {
  deps = await testDeps();
});
afterAll(async () => {
  await deps.eventsQueue.obliterate({ force: true });
  await deps.close();
});

const csatJobs = async (responseId: string) => (await deps.eventsQueue.getJobs(['waiting', 'delayed', 'completed', 'active'])).filter((j) => j.name === 'csat.submitted' && j.data.data.responseId === responseId);

async function conversationWithContact() {
  const t = await makeTenant(deps.orm);
  const em = tenantEm(deps.orm, t.tenantId);
  const contactId = await createContact(em, t.tenantId, { name: 'Ada' });
  const conversation = await createConversation(em, t.tenantId, { flowId: t.flowId, flowVersion: 2, channel: 'whatsapp', contactId });
  const ref = { tenantId: t.tenantId, conversationId: conversation.id, workflowId: conversation.workflowId, channel: 'whatsapp' as const, nodeId: 'rate' };
  return { ...t, em, contactId, conversation, ref };
}

describe('csat activities', () => {
  it('recordCsat stores a rating once per key with the conversation’s flow, version, contact and channel, and queues csat.submitted once', async () => {
    const { ref, em, contactId, flowId, tenantId, conversation } = await conversationWithContact();
    const acts = activitiesFor(deps);
    const input = { ...ref, key: `${conversation.workflowId}:r:0:1:rate:1`, scale: 'five' as const, score: 4, answer: '4 ⭐ Good', final: true };
    const first = await acts.recordCsat(input);
    // A retried attempt (even one that read the reply differently) finds the stored row.
    const again = await acts.recordCsat({ ...input, score: 2 });
    expect(again.responseId).toBe(first.responseId);
    expect(await em.count(CsatResponse, {})).toBe(1);
    const [row] = await csatOfConversation(em, tenantId, conversation.id);
    expect(row).toMatchObject({ conversationId: conversation.id, contactId, flowId, flowVersion: 2, nodeId: 'rate', channel: 'whatsapp', scale: 'five', score: 4, answer: '4 ⭐ Good', comment: null });
    const jobs = await csatJobs(first.responseId!);
    expect(jobs).toHaveLength(1);
    expect(jobs[0].data).toMatchObject({ tenantId, type: 'csat.submitted', data: { conversationId: conversation.id, score: 4, satisfied: true, scale: 'five', comment: null } });
  });

  it('with a follow-up, the event waits for completeCsat, which adds the comment once', async () => {
    const { ref, em, conversation, tenantId } = await conversationWithContact();
    const acts = activitiesFor(deps);
    const { responseId } = await acts.recordCsat({ ...ref, key: `${conversation.workflowId}:k`, scale: 'thumbs', score: 1, answer: '👎', final: false });
    expect(await csatJobs(responseId!)).toHaveLength(0);
    await acts.completeCsat({ ...ref, comment: 'Too slow' });
    await acts.completeCsat({ ...ref, comment: 'Too slow' });
    const [row] = await csatOfConversation(em, tenantId, conversation.id);
    expect(row).toMatchObject({ score: 1, scale: 'thumbs', comment: 'Too slow' });
    const jobs = await csatJobs(responseId!);
    expect(jobs).toHaveLength(1);
    expect(jobs[0].data.data).toMatchObject({ satisfied: false, comment: 'Too slow' });
  });

  it('erasing the contact erases its ratings (on delete cascade)', async () => {
    const { ref, em, contactId, conversation } = await conversationWithContact();
    await activitiesFor(deps).recordCsat({ ...ref, key: `${conversation.workflowId}:e`, scale: 'five', score: 5, answer: '5', final: true });
    expect(await em.fork().count(CsatResponse, {})).toBe(1);
    expect(await deleteContact(em.fork(), contactId)).toBe(true);
    expect(await em.fork().count(CsatResponse, {})).toBe(0);
  });

  it('another tenant’s conversation stores nothing', async () => {
    const { ref, conversation } = await conversationWithContact();
    const other = await makeTenant(deps.orm);
    const result = await activitiesFor(deps).recordCsat({ ...ref, tenantId: other.tenantId, key: `${conversation.workflowId}:x`, scale: 'five', score: 5, answer: '5', final: true });
    expect(result.responseId).toBeNull();
    expect(await tenantEm(deps.orm, other.tenantId).count(CsatResponse, {})).toBe(0);
  });
});
