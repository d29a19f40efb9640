import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conversation, Message } from '../../db/entities';
import { tenantEm } from '../../db/orm';
import { makeTenant } from '../db/fixtures';
import { activitiesFor, listen, testDeps, waitFor, type TestDeps } from './support';
import { publishAwaited } from '../../activities/scheduling/replies';

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

  it('recordTurn stores and publishes the contact message, then the replies, and hands their events on once with the subscriptions its statements read', async () => {
    const t = await makeTenant(deps.orm);
    const acts = activitiesFor(deps);
    const exec = (sql: string, params: unknown[]) => tenantEm(deps.orm, t.tenantId).getConnection().execute(sql, params);
    const [on] = await exec(`insert into webhook_subscriptions (tenant_id, url, event_types, secret_encrypted) values (?, 'https://hooks.test/a', '["message.sent"]', 'x') returning id`, [t.tenantId]);
    await exec(`insert into webhook_subscriptions (tenant_id, url, event_types, secret_encrypted, enabled) values (?, 'https://hooks.test/b', '["message.sent"]', 'x', false)`, [t.tenantId]);
    const ref = { tenantId: t.tenantId, conversationId: t.conversationId, workflowId: t.workflowId, channel: 'api' as const };
    const said = (n: number) => ({ key: `${t.workflowId}:reply:${n}`, text: `Reply ${n}`, author: 'bot' as const, nodeId: `n${n}`, source: 'template' });
    deps.handOns.length = 0;
    const live = await listen(t.tenantId, t.conversationId);

    const { inbound, replies } = await acts.recordTurn({ ...ref, inbound: { key: `${t.workflowId}:in:1`, text: 'Hi' }, messages: [said(1), said(2)] });
    expect(replies.map((r) => r.text)).toEqual(['Reply 1', 'Reply 2']);
    // Published in order: the contact's message, then the replies.
    await waitFor(() => live.events.length >= 3);
    expect(live.events.map((e) => (e.type === 'message' ? `${e.message.author}: ${e.message.text}` : e.type))).toEqual(['contact: Hi', 'bot: Reply 1', 'bot: Reply 2']);
    live.stop();
    const rows = await exec(`select id, direction, text from messages where conversation_id = ? order by created_at, direction`, [t.conversationId]);
    expect(rows.map((r: any) => r.text)).toEqual(['Hi', 'Reply 1', 'Reply 2']);
    expect(rows[0].id).toBe(inbound.messageId);
    expect(deps.handOns).toHaveLength(1);
    expect(deps.handOns[0].events.map((e) => e.type)).toEqual(['conversation.started', 'message.received', 'message.sent', 'message.sent']);
    expect(deps.handOns[0].subscriptions).toEqual([{ id: on.id, eventTypes: ['message.sent'] }]);
  });

  it('recordTurn hands an appointment’s awaited answer over: the message stored and published, no reply stored', async () => {
    const t = await makeTenant(deps.orm);
    const acts = activitiesFor(deps);
    await publishAwaited(deps.redis, t.tenantId, t.conversationId, 'appt:x', { expects: 'answer' }, new Date(Date.now() + 3_600_000).toISOString());
    const ref = { tenantId: t.tenantId, conversationId: t.conversationId, workflowId: t.workflowId, channel: 'webchat' as const };
    deps.handOns.length = 0;
    const live = await listen(t.tenantId, t.conversationId);
    const said = { key: `${t.workflowId}:reply:1`, text: 'The flow would say this', author: 'bot' as const, nodeId: 'n1', source: 'template' };
    const { inbound, replies } = await acts.recordTurn({ ...ref, inbound: { key: `${t.workflowId}:in:1`, text: 'C' }, messages: [said] });
    expect(inbound.appointmentWorkflowId).toBe('appt:x');
    expect(replies).toEqual([]);
    const rows = await tenantEm(deps.orm, t.tenantId).getConnection().execute(`select text from messages where conversation_id = ?`, [t.conversationId]);
    expect(rows.map((r: any) => r.text)).toEqual(['C']);
    expect(deps.handOns.map((h) => h.events.map((e) => e.type))).toEqual([['conversation.started', 'message.received']]);
    await waitFor(() => live.events.length >= 1);
    expect(live.events.map((e) => (e.type === 'message' ? e.message.text : e.type))).toEqual(['C']);
    live.stop();
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
