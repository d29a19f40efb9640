/**
 * The four alert metrics against hand-placed rows (db/repos/alerts.ts): conversations and their
 * handoff events, failed outbound messages, dead webhook deliveries and LLM costs, inside and
 * outside the window, narrowed to a channel or a flow, test conversations and other tenants left out.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertMetric } from '../../core/reports';
import { Conversation, Event, LlmCall, Message } from '../../db/entities';
import { systemEm } from '../../db/orm';
import { abandonDelivery, insertDeliveries } from '../../db/repos';
import { alertMetricValue } from '../../db/repos/alerts';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let t: { tenantId: string; apiKey: string };
let other: { tenantId: string; apiKey: string };
let f1: string;
let f2: string;
const now = new Date();
const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

async function flow(apiKey: string, name: string): Promise<string> {
  const res = await stack.request('POST', '/v1/flows', { apiKey, body: { name, graph: { nodes: [{ id: 'start', type: 'start', data: {} }], edges: [] } } });
  return res.body.id;
}

async function seed(tenantId: string, flows: [string, string]) {
  const em = systemEm(stack.orm).fork();
  const conv = (flowId: string, channel: 'webchat' | 'sms', minutesAgo: number, isTest = false) =>
    em.create(Conversation, { tenant: tenantId, flow: flowId, flowVersion: 1, channel, workflowId: `conv:${tenantId}:${randomUUID()}`, createdAt: ago(minutesAgo), isTest } as never) as Conversation;
  const c1 = conv(flows[0], 'webchat', 10);
  const c2 = conv(flows[0], 'webchat', 20);
  const c3 = conv(flows[1], 'sms', 30);
  const c4 = conv(flows[0], 'webchat', 180);
  const c5 = conv(flows[0], 'webchat', 5, true);
  await em.flush();
  const handoff = (c: Conversation, minutesAgo: number) => em.create(Event, { tenant: tenantId, type: 'handoff.requested', workflowId: c.workflowId, data: { conversationId: c.id }, createdAt: ago(minutesAgo) } as never);
  [handoff(c1, 5), handoff(c1, 4), handoff(c3, 25), handoff(c4, 120), handoff(c5, 2)];
  const message = (c: Conversation, direction: 'in' | 'out', status: string, minutesAgo: number) =>
    em.create(Message, { tenant: tenantId, conversation: c.id, direction, author: direction === 'in' ? 'contact' : 'bot', text: 'x', idempotencyKey: randomUUID(), status, createdAt: ago(minutesAgo) } as never);
  [message(c1, 'out', 'failed', 5), message(c3, 'out', 'failed', 10), message(c2, 'out', 'sent', 5), message(c1, 'in', 'failed', 5), message(c4, 'out', 'failed', 120)];
  const call = (c: Conversation | null, costUsd: number, minutesAgo: number) =>
    em.create(LlmCall, { tenant: tenantId, workflowId: 'w', conversation: c?.id ?? null, nodeId: 'n', provider: 'p', model: 'm', costUsd, latencyMs: 1, ok: true, createdAt: ago(minutesAgo) } as never);
  [call(c1, 0.5, 5), call(null, 0.25, 5), call(c3, 1, 10), call(c4, 9, 120)];
  await em.flush();
}

beforeAll(async () => {
  stack = await startStack({ ...sharedServers(), worker: false });
  [t, other] = [await stack.createTenant(), await stack.createTenant()];
  f1 = await flow(t.apiKey, 'One');
  f2 = await flow(t.apiKey, 'Two');
  await seed(t.tenantId, [f1, f2]);
  // The same rows in another tenant: never counted for the first.
  await seed(other.tenantId, [await flow(other.apiKey, 'One'), await flow(other.apiKey, 'Two')]);
  const sub = await stack.request('POST', '/v1/webhooks/subscriptions', { apiKey: t.apiKey, body: { url: 'https://receiver.example/hook', eventTypes: ['*'] } });
  const ids = [randomUUID(), randomUUID(), randomUUID()];
  await insertDeliveries(systemEm(stack.orm), ids.map((id) => ({ id, tenantId: t.tenantId, subscriptionId: sub.body.id, eventId: randomUUID(), eventType: 'run.completed', eventAt: new Date(), eventSeq: 1, orderKey: null, payload: {} })));
  for (const id of ids.slice(0, 2)) await abandonDelivery(systemEm(stack.orm), id, 'test');
});
afterAll(async () => {
  await stack?.close();
});

const value = (metric: AlertMetric, windowMinutes: number, scope: { channel?: string; flowId?: string } = {}, tenantId = t.tenantId) =>
  alertMetricValue(systemEm(stack.orm), { tenantId, metric, windowMinutes, ...scope }, new Date());

describe('alert metrics', () => {
  it('handoff rate: conversations handed off over conversations started, in the window', async () => {
    expect(await value('handoff_rate', 60)).toBe(0.6667);
    expect(await value('handoff_rate', 60, { channel: 'webchat' })).toBe(0.5);
    expect(await value('handoff_rate', 60, { flowId: f2 })).toBe(1);
    expect(await value('handoff_rate', 60, { channel: 'whatsapp' })).toBeNull();
  });

  it('failed sends: outbound messages that failed', async () => {
    expect(await value('failed_sends', 60)).toBe(2);
    expect(await value('failed_sends', 60, { channel: 'sms' })).toBe(1);
    expect(await value('failed_sends', 60, { flowId: f1 })).toBe(1);
    expect(await value('failed_sends', 240)).toBe(3);
  });

  it('webhook failures: dead deliveries, whatever the scope', async () => {
    expect(await value('webhook_failures', 60)).toBe(2);
    expect(await value('webhook_failures', 60, { channel: 'sms' })).toBe(2);
    expect(await value('webhook_failures', 60, {}, other.tenantId)).toBe(0);
  });

  it('spend: LLM cost, conversation-less calls only without a scope', async () => {
    // Test conversations cost real money: their calls count (none are seeded here).
    expect(await value('spend', 60)).toBe(1.75);
    expect(await value('spend', 60, { channel: 'webchat' })).toBe(0.5);
    expect(await value('spend', 60, { flowId: f2 })).toBe(1);
    expect(await value('spend', 240)).toBe(10.75);
  });
});
