/**
 * Text the platform produced itself (a model's reply, variables filled from an HTTP response)
 * with a NUL or an unpaired surrogate is stored cleaned, on real PostgreSQL: before, the insert
 * failed and the store activity retried it without limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conversation, Message } from '../../db/entities';
import { tenantEm } from '../../db/orm';
import { makeTenant } from '../db/fixtures';
import { activitiesFor, testDeps, type TestDeps } from '../activities/support';

let deps: TestDeps;
beforeAll(async () => {
  deps = await testDeps();
});
afterAll(() => deps.close());

describe('store activities and text the database cannot store', () => {
  it('store a bot reply and the conversation variables cleaned', async () => {
    const t = await makeTenant(deps.orm);
    const acts = activitiesFor(deps);
    const ref = { tenantId: t.tenantId, conversationId: t.conversationId, workflowId: t.workflowId, channel: 'api' as const };
    const reply = await acts.deliverMessage({
      ...ref,
      message: { key: `${t.workflowId}:ai:1`, text: 'Hel\u0000lo \uD800', author: 'bot', nodeId: 'ai', source: 'llm', rich: { media: { url: 'https://x.test/a\u0000.png', contentType: 'image/png' } } },
    });
    expect(reply.text).toBe('Hello \uFFFD');
    const em = tenantEm(deps.orm, t.tenantId);
    expect((await em.findOneOrFail(Message, { id: reply.id })).text).toBe('Hello \uFFFD');

    await acts.updateConversation({ tenantId: t.tenantId, conversationId: t.conversationId, status: 'bot', variables: { note: 'a\u0000b', ['k\u0000']: ['\uDC00'] }, currentNodeId: null });
    em.clear();
    expect((await em.findOneOrFail(Conversation, { id: t.conversationId })).variables).toEqual({ note: 'ab', k: ['\uFFFD'] });
  });

  it('queue an event with the same cleaning, so the sink can store it', async () => {
    const t = await makeTenant(deps.orm);
    const acts = activitiesFor(deps);
    await acts.emitEvent({ tenantId: t.tenantId, type: 'flow.failed', workflowId: t.workflowId, data: { error: 'bad\u0000value' } });
    const jobs = await deps.eventsQueue.getJobs(['waiting', 'delayed', 'active', 'completed']);
    const job = jobs.find((j) => j.data.workflowId === t.workflowId);
    expect(job?.data.data).toEqual({ error: 'badvalue' });
  });
});
