import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conversation, Flow, Message } from '../../db/entities';
import { tenantEm, type Orm } from '../../db/orm';
import { getConversation, getFlow, insertMessageOnce, listConversations, listFlows, listMessages, patchConversation, updateFlow } from '../../db/repos';
import { makeTenant, testOrm } from './fixtures';

let orm: Orm;
let a: Awaited<ReturnType<typeof makeTenant>>;
let b: Awaited<ReturnType<typeof makeTenant>>;

beforeAll(async () => {
  orm = await testOrm();
  [a, b] = await Promise.all([makeTenant(orm), makeTenant(orm)]);
  await insertMessageOnce(tenantEm(orm, b.tenantId), b.tenantId, { conversationId: b.conversationId, direction: 'in', author: 'contact', text: 'secret of B', idempotencyKey: `${b.workflowId}:in:1` });
});
afterAll(() => orm.close(true));

describe('tenant filter', () => {
  it("never lets tenant A read tenant B's flows, conversations or messages", async () => {
    const em = tenantEm(orm, a.tenantId);
    expect(await getFlow(em, b.flowId)).toBeNull();
    expect((await listFlows(em)).map((f) => f.id)).toEqual([a.flowId]);
    expect(await getConversation(em, b.conversationId)).toBeNull();
    expect((await listConversations(em)).items.map((c) => c.id)).toEqual([a.conversationId]);
    expect((await listMessages(em, b.conversationId)).items).toEqual([]);
    expect(await em.count(Message, {})).toBe(0);
    expect((await listMessages(tenantEm(orm, b.tenantId), b.conversationId)).items.map((m) => m.text)).toEqual(['secret of B']);
  });

  it("never lets tenant A update tenant B's rows", async () => {
    const em = tenantEm(orm, a.tenantId);
    expect(await updateFlow(em, b.flowId, { name: 'hijacked' })).toBeNull();
    expect(await patchConversation(em, b.conversationId, { status: 'closed' })).toBe(false);
    expect(await em.nativeUpdate(Flow, { id: b.flowId }, { name: 'hijacked' })).toBe(0);
    expect(await em.nativeDelete(Message, { conversation: b.conversationId })).toBe(0);
    const emB = tenantEm(orm, b.tenantId);
    expect((await getFlow(emB, b.flowId))?.name).toBe('Test flow');
    expect((await getConversation(emB, b.conversationId))?.status).toBe('bot');
  });

  it('fails loudly when a query has no tenant', async () => {
    const em = orm.em.fork();
    await expect(em.find(Conversation, {})).rejects.toThrow(/tenant/);
    await expect(em.findOne(Flow, { id: a.flowId })).rejects.toThrow(/tenant/);
    await expect(em.nativeUpdate(Flow, { id: a.flowId }, { name: 'x' })).rejects.toThrow(/tenant/);
  });

  it('paginates messages with a cursor', async () => {
    const em = tenantEm(orm, a.tenantId);
    for (let i = 0; i < 5; i++) {
      await insertMessageOnce(em, a.tenantId, { conversationId: a.conversationId, direction: 'in', author: 'contact', text: `m${i}`, idempotencyKey: `${a.workflowId}:page:${i}` });
    }
    const first = await listMessages(em, a.conversationId, { limit: 2 });
    const second = await listMessages(em, a.conversationId, { limit: 2, cursor: first.nextCursor! });
    const third = await listMessages(em, a.conversationId, { limit: 2, cursor: second.nextCursor! });
    expect([...first.items, ...second.items, ...third.items].map((m) => m.text)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    expect(third.nextCursor).toBeNull();
  });
});
