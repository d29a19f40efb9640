/**
 * insertMessagesWithEvents: a turn's messages in one statement, each with its events, in order;
 * a retried batch finds what the first attempt stored (with that attempt's events) and stores only
 * what is new; a key of another tenant is a conflict, never a row of theirs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { tenantEm, type Orm } from '../../db/orm';
import { insertMessagesWithEvents, listMessages, type MessageEventRow, type NewMessage } from '../../db/repos';
import { makeTenant, testOrm } from './fixtures';

let orm: Orm;
beforeAll(async () => {
  orm = await testOrm();
});
afterAll(() => orm.close(true));

const eventsOf = (conversationId: string) => (m: NewMessage, id: string): MessageEventRow[] => [
  { id: randomUUIDFrom(`started:${conversationId}`), type: 'conversation.started', data: { conversationId }, onlyIfFirst: true },
  { id: randomUUIDFrom(`${m.direction}:${id}`), type: m.direction === 'in' ? 'message.received' : 'message.sent', data: { text: m.text } },
];

/** Stable ids per seed, as the activities derive event ids from their subject. */
const seeded = new Map<string, string>();
const randomUUIDFrom = (seed: string) => seeded.get(seed) ?? (seeded.set(seed, randomUUID()), seeded.get(seed)!);

describe('a batch of messages in one statement', () => {
  it('stores them in order with their events, the conversation started once; a retry stores only the new one', async () => {
    const t = await makeTenant(orm);
    const em = tenantEm(orm, t.tenantId);
    const ref = { conversationId: t.conversationId, workflowId: t.workflowId };
    const msg = (direction: 'in' | 'out', n: number): NewMessage => ({
      conversationId: t.conversationId,
      direction,
      author: direction === 'in' ? 'contact' : 'bot',
      text: `${direction} ${n}`,
      idempotencyKey: `${t.workflowId}:batch:${n}`,
    });
    const batch = [msg('in', 1), msg('out', 2), msg('out', 3)];

    const first = await insertMessagesWithEvents(em, t.tenantId, ref, batch, eventsOf(t.conversationId));
    expect(first.stored.map((s) => [s.message.text, s.created, s.events.map((e) => e.type)])).toEqual([
      ['in 1', true, ['conversation.started', 'message.received']],
      ['out 2', true, ['message.sent']],
      ['out 3', true, ['message.sent']],
    ]);
    const times = first.stored.map((s) => s.message.createdAt.getTime());
    expect(times[1]).toBeGreaterThan(times[0]);
    expect(times[2]).toBeGreaterThan(times[1]);
    expect((await listMessages(em, t.conversationId)).items.map((m) => m.text)).toEqual(['in 1', 'out 2', 'out 3']);

    // A retried attempt (with one more message) hands back the first attempt's rows and events.
    const again = await insertMessagesWithEvents(em, t.tenantId, ref, [...batch, msg('out', 4)], eventsOf(t.conversationId));
    expect(again.stored.map((s) => [s.message.id, s.created, s.events.map((e) => e.id)])).toEqual([
      ...first.stored.map((s) => [s.message.id, false, s.events.map((e) => e.id)]),
      [again.stored[3].message.id, true, [again.stored[3].events[0].id]],
    ]);
    expect(again.stored[3].events.map((e) => e.type)).toEqual(['message.sent']);
    const events = await em.getConnection().execute(`select type from events where tenant_id = ?`, [t.tenantId]);
    expect(events.map((e: any) => e.type).sort()).toEqual(['conversation.started', 'message.received', 'message.sent', 'message.sent', 'message.sent']);
  });

  it("refuses a key another tenant's message holds, and never returns or changes their row", async () => {
    const [a, b] = await Promise.all([makeTenant(orm), makeTenant(orm)]);
    const key = `${b.workflowId}:theirs`;
    const theirs: NewMessage = { conversationId: b.conversationId, direction: 'in', author: 'contact', text: 'secret of B', idempotencyKey: key };
    await insertMessagesWithEvents(tenantEm(orm, b.tenantId), b.tenantId, { conversationId: b.conversationId, workflowId: b.workflowId }, [theirs], eventsOf(b.conversationId));
    const em = tenantEm(orm, a.tenantId);
    const mine: NewMessage = { conversationId: a.conversationId, direction: 'out', author: 'bot', text: 'taken', idempotencyKey: key };
    await expect(insertMessagesWithEvents(em, a.tenantId, { conversationId: a.conversationId, workflowId: a.workflowId }, [mine], eventsOf(a.conversationId))).rejects.toMatchObject({ code: 'conflict' });
    expect((await listMessages(tenantEm(orm, b.tenantId), b.conversationId)).items.map((m) => m.text)).toEqual(['secret of B']);
    expect((await listMessages(em, a.conversationId)).items).toEqual([]);
  });
});
