import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conversation, Message } from '../../db/entities';
import { tenantEm } from '../../db/orm';
import { makeTenant } from '../db/fixtures';
import { activitiesFor, listen, testDeps, waitFor, type TestDeps } from './support';

let deps: TestDeps;
beforeAll(async () => {
  deps = await testDeps();
});
afterAll(() => deps.close());

describe('store activities', () => {
  it('deliverMessage stores once per key, returns the same reply and publishes every attempt', async () => {
    const t = await makeTenant(deps.orm);
    const acts = activitiesFor(deps);
    const live = await listen(t.tenantId, t.conversationId);
    const ref = { tenantId: t.tenantId, conversationId: t.conversationId, workflowId: t.workflowId, channel: 'api' as const };
    const message = { key: `${t.workflowId}:greet:1`, text: 'Hello!', author: 'bot' as const, nodeId: 'greet', source: 'template', usage: { promptTokens: 3, completionTokens: 2, costUsd: 0.001, model: 'm' } };

    const first = await acts.deliverMessage({ ...ref, message });
    const second = await acts.deliverMessage({ ...ref, message: { ...message, text: 'changed on retry' } });
    expect(second).toEqual(first);
    expect(first).toMatchObject({ key: message.key, text: 'Hello!', author: 'bot', nodeId: 'greet', source: 'template', usage: { promptTokens: 3, completionTokens: 2, costUsd: 0.001, model: 'm' } });

    const em = tenantEm(deps.orm, t.tenantId);
    expect(await em.count(Message, { conversation: t.conversationId })).toBe(1);
    await waitFor(() => live.events.length >= 2);
    expect(live.events).toEqual([
      { type: 'message', message: first },
      { type: 'message', message: first },
    ]);
    live.stop();
  });

  it('recordInbound is idempotent and bumps lastMessageAt', async () => {
    const t = await makeTenant(deps.orm);
    const acts = activitiesFor(deps);
    const ref = { tenantId: t.tenantId, conversationId: t.conversationId, workflowId: t.workflowId, channel: 'api' as const };
    const before = (await tenantEm(deps.orm, t.tenantId).findOneOrFail(Conversation, { id: t.conversationId })).lastMessageAt;
    const a = await acts.recordInbound({ ...ref, key: `${t.workflowId}:in:1`, text: 'Hi', externalId: 'wamid.1' });
    const b = await acts.recordInbound({ ...ref, key: `${t.workflowId}:in:1`, text: 'Hi' });
    expect(b.messageId).toBe(a.messageId);
    const em = tenantEm(deps.orm, t.tenantId);
    const stored = await em.findOneOrFail(Message, { id: a.messageId });
    expect(stored).toMatchObject({ direction: 'in', author: 'contact', text: 'Hi', externalId: 'wamid.1' });
    const after = (await em.findOneOrFail(Conversation, { id: t.conversationId })).lastMessageAt;
    expect(after.getTime()).toBeGreaterThanOrEqual(before.getTime());
  });

  it("refuses a conversation of another tenant without retrying", async () => {
    const [t, other] = await Promise.all([makeTenant(deps.orm), makeTenant(deps.orm)]);
    const acts = activitiesFor(deps);
    await expect(acts.updateConversation({ tenantId: t.tenantId, conversationId: other.conversationId, status: 'closed' })).rejects.toMatchObject({ nonRetryable: true });
    await acts.updateConversation({ tenantId: t.tenantId, conversationId: t.conversationId, status: 'human', variables: { name: 'Ada' }, currentNodeId: 'ask' });
    const c = await tenantEm(deps.orm, t.tenantId).findOneOrFail(Conversation, { id: t.conversationId });
    expect(c).toMatchObject({ status: 'human', variables: { name: 'Ada' }, currentNodeId: 'ask' });
    const other2 = await tenantEm(deps.orm, other.tenantId).findOneOrFail(Conversation, { id: other.conversationId });
    expect(other2.status).toBe('bot');
  });
});
