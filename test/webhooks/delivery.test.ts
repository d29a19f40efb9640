/**
 * Delivery end to end against a local receiver: events go through the events queue and the sink,
 * are fanned out, POSTed by the delivery worker, retried (backoff, Retry-After), kept in order per
 * conversation, declared dead after the last attempt, replayed with the same delivery id, and a
 * failing subscription is disabled with an email to the tenant's admins.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextEventSeq } from '../../events/queue';
import { startFakeSmtp, type FakeSmtp } from '../fakes/smtp-server';
import { waitUntil } from '../support/wait';
import { startReceiver, startRig, subscribe, type Receiver, type Rig } from './support';

let rig: Rig;
let smtp: FakeSmtp;
const receivers: Receiver[] = [];
beforeAll(async () => {
  smtp = await startFakeSmtp();
  rig = await startRig({ env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, WEBHOOK_DISABLE_AFTER_DEAD: '3', WEBHOOK_TIMEOUT_MS: '1500' } });
});
afterAll(async () => {
  await rig.close();
  await Promise.all(receivers.map((r) => r.close()));
  await smtp.close();
});

async function receiver(...args: Parameters<typeof startReceiver>) {
  const r = await startReceiver(...args);
  receivers.push(r);
  return r;
}

const deliveries = async (apiKey: string, query: string) => (await rig.stack.request('GET', `/v1/webhooks/deliveries?${query}`, { apiKey })).body.items as any[];
const subscription = async (apiKey: string, id: string) => (await rig.stack.request('GET', `/v1/webhooks/subscriptions/${id}`, { apiKey })).body;

async function waitForDead(apiKey: string, subscriptionId: string, count: number) {
  await waitUntil(async () => (await deliveries(apiKey, `status=dead&subscriptionId=${subscriptionId}`)).length >= count, 20_000, `${count} dead deliveries`);
  return deliveries(apiKey, `status=dead&subscriptionId=${subscriptionId}`);
}

describe('retries', () => {
  it('retry a 503 after the Retry-After it asked for, then succeed, with one delivery id and every attempt logged', async () => {
    const { stack } = rig;
    const t = await stack.createTenant();
    const r = await receiver((_, n) => (n === 0 ? { status: 503, headers: { 'retry-after': '1' }, body: 'busy' } : n === 1 ? { status: 429, headers: { 'retry-after': new Date(Date.now() + 2000).toUTCString() } } : { status: 204 }));
    const sub = await subscribe(stack, t.apiKey, r.url, ['run.completed']);
    await rig.emit(t.tenantId, 'run.completed', { status: 'completed' });
    await waitUntil(() => r.received.length === 3, 20_000, 'three attempts');

    const ids = new Set(r.received.map((x) => x.headers['switchboard-delivery-id']));
    expect(ids.size).toBe(1);
    // The backoff alone would retry within 200 ms: the waits are the receiver's.
    expect(r.received[1].at - r.received[0].at).toBeGreaterThanOrEqual(950);
    expect(r.received[2].at - r.received[1].at).toBeGreaterThanOrEqual(900);

    const [id] = ids as Set<string>;
    await waitUntil(async () => (await stack.request('GET', `/v1/webhooks/deliveries/${id}`, { apiKey: t.apiKey })).body.status === 'succeeded');
    const d = (await stack.request('GET', `/v1/webhooks/deliveries/${id}`, { apiKey: t.apiKey })).body;
    expect(d).toMatchObject({ subscriptionId: sub.id, eventType: 'run.completed', attempts: 3, lastStatusCode: 204 });
    expect(d.attemptLog.map((a: any) => a.statusCode)).toEqual([503, 429, 204]);
    expect(d.attemptLog[0].responseExcerpt).toBe('busy');
    expect(d.attemptLog.every((a: any) => a.latencyMs >= 0)).toBe(true);
  });

  it('give up on a receiver that does not answer within the timeout, and try again', async () => {
    const t = await rig.stack.createTenant();
    const r = await receiver((_, n) => ({ status: 200, delayMs: n === 0 ? 4000 : 0 }));
    await subscribe(rig.stack, t.apiKey, r.url, ['run.completed']);
    await rig.emit(t.tenantId, 'run.completed', {});
    await waitUntil(async () => (await deliveries(t.apiKey, 'status=succeeded')).length === 1, 20_000, 'the delivery to succeed');
    const [d] = await deliveries(t.apiKey, 'status=succeeded');
    const log = (await rig.stack.request('GET', `/v1/webhooks/deliveries/${d.id}`, { apiKey: t.apiKey })).body.attemptLog;
    expect(log.map((a: any) => [a.statusCode, a.error])).toEqual([
      [null, 'no complete answer within 1500 ms'],
      [200, null],
    ]);
    expect(log[0].latencyMs).toBeGreaterThanOrEqual(1400);
    expect(log[0].latencyMs).toBeLessThan(3500);
  });

  it('go only to subscribed types: an unsubscribed type sends nothing', async () => {
    const t = await rig.stack.createTenant();
    const r = await receiver();
    await subscribe(rig.stack, t.apiKey, r.url, ['document.ready']);
    await rig.emit(t.tenantId, 'message.sent', { conversationId: randomUUID() });
    await rig.emit(t.tenantId, 'flow.failed', { conversationId: randomUUID() });
    await rig.emit(t.tenantId, 'document.ready', { documentId: randomUUID() });
    await waitUntil(() => r.received.length === 1);
    await new Promise((done) => setTimeout(done, 500));
    expect(r.received.map((x) => x.json.type)).toEqual(['document.ready']);
  });
});

describe('order', () => {
  it('sends a conversation’s events one at a time in order under a slow, once-failing receiver; other conversations do not wait', async () => {
    const { stack } = rig;
    const t = await stack.createTenant();
    const [c1, c2] = [randomUUID(), randomUUID()];
    // c1's first request fails (not the first overall: c2's first attempt may arrive before c1's).
    let c1Seen = 0;
    const r = await receiver((req) => {
      const ofC1 = req.json.data.conversationId === c1;
      const status = ofC1 && c1Seen++ === 0 ? 500 : 200;
      return { status, delayMs: ofC1 ? 300 : 0 };
    });
    await subscribe(stack, t.apiKey, r.url, ['message.received', 'message.sent']);
    for (let seq = 1; seq <= 4; seq++) await rig.emit(t.tenantId, seq % 2 ? 'message.received' : 'message.sent', { conversationId: c1, seq });
    await rig.emit(t.tenantId, 'message.sent', { conversationId: c2, seq: 1 });
    await waitUntil(() => r.received.length === 6, 20_000, 'six requests');

    const ofC1 = r.received.filter((x) => x.json.data.conversationId === c1);
    expect(ofC1.map((x) => x.json.data.seq)).toEqual([1, 1, 2, 3, 4]);
    // One at a time: each request arrived after the previous one's 300 ms answer.
    for (let i = 1; i < ofC1.length; i++) expect(ofC1[i].at - ofC1[i - 1].at).toBeGreaterThanOrEqual(290);
    // c2 was not held behind c1's chain.
    const c2At = r.received.find((x) => x.json.data.conversationId === c2)!.at;
    expect(c2At).toBeLessThan(ofC1[3].at);
  });

  it('keeps the order of events stamped in the same millisecond', async () => {
    const t = await rig.stack.createTenant();
    const conversationId = randomUUID();
    // A slow first answer: the other five are all waiting when the chain moves on.
    const r = await receiver((_, n) => ({ status: 200, delayMs: n === 0 ? 300 : 0 }));
    await subscribe(rig.stack, t.apiKey, r.url, ['message.sent']);
    // Six events with one time: ordered by anything but their arrival, 5 of 6 are sent in a random order.
    const at = new Date();
    for (let seq = 1; seq <= 6; seq++) await rig.emit(t.tenantId, 'message.sent', { conversationId, seq }, at);
    await waitUntil(() => r.received.length === 6, 20_000, 'six requests');
    expect(r.received.map((x) => x.json.data.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("follows the events' seq when their deliveries are created in another order", async () => {
    // The sink, running several jobs at once, and the message activity can each store a later event first.
    const t = await rig.stack.createTenant();
    const conversationId = randomUUID();
    const r = await receiver(() => ({ status: 200 }));
    await subscribe(rig.stack, t.apiKey, r.url, ['message.sent']);
    const at = new Date();
    const events = [1, 2, 3].map((n) => ({ id: randomUUID(), tenantId: t.tenantId, type: 'message.sent', workflowId: 'w', data: { conversationId, n }, createdAt: at, seq: nextEventSeq() }));
    await rig.fanOutMany(events.toReversed());
    await waitUntil(() => r.received.length === 3, 20_000, 'three requests');
    expect(r.received.map((x) => x.json.data.n)).toEqual([1, 2, 3]);
  });
});

describe('dead-letter queue', () => {
  it('declares a delivery dead after the last attempt and replays it, one or in bulk, with the same delivery id', async () => {
    const { stack } = rig;
    const t = await stack.createTenant();
    const r = await receiver(() => ({ status: 500, body: 'down' }));
    const sub = await subscribe(stack, t.apiKey, r.url);
    await rig.emit(t.tenantId, 'conversation.closed', { conversationId: randomUUID(), reason: 'idle' });
    await rig.emit(t.tenantId, 'run.failed', { error: 'x' });
    const dead = await waitForDead(t.apiKey, sub.id, 2);
    expect(r.received).toHaveLength(6);
    expect(dead[0]).toMatchObject({ status: 'dead', attempts: 3, lastStatusCode: 500, lastResponseExcerpt: 'down' });
    expect((await subscription(t.apiKey, sub.id)).consecutiveDead).toBe(2);

    r.respond(() => ({ status: 200 }));
    const one = await stack.request('POST', `/v1/webhooks/deliveries/${dead[0].id}/replay`, { apiKey: t.apiKey });
    expect(one).toMatchObject({ status: 202, body: { replayed: 1 } });
    await waitUntil(() => r.received.length === 7);
    expect(r.received[6].headers['switchboard-delivery-id']).toBe(dead[0].id);
    await waitUntil(async () => (await deliveries(t.apiKey, 'status=succeeded')).length === 1);
    expect((await subscription(t.apiKey, sub.id)).consecutiveDead).toBe(0);

    const bulk = await stack.request('POST', '/v1/webhooks/deliveries/replay', { apiKey: t.apiKey, body: { subscriptionId: sub.id } });
    expect(bulk.body).toEqual({ replayed: 1 });
    await waitUntil(async () => (await deliveries(t.apiKey, 'status=succeeded')).length === 2);
    expect(r.received.slice(7).map((x) => x.headers['switchboard-delivery-id'])).toContain(dead[1].id);
    expect(await deliveries(t.apiKey, 'status=dead')).toEqual([]);
  });

  it('does not reach a private address the operator has not opened', async () => {
    const t = await rig.stack.createTenant();
    // 127.0.0.1 is open to tests (OUTBOUND_ALLOWED_PRIVATE); 127.0.0.2 is loopback too, and not.
    const sub = await subscribe(rig.stack, t.apiKey, 'http://127.0.0.2:9/hook');
    await rig.emit(t.tenantId, 'run.completed', {});
    const [dead] = await waitForDead(t.apiKey, sub.id, 1);
    expect(dead.lastStatusCode).toBeNull();
    expect(dead.lastError).toMatch(/127\.0\.0\.2 is not reachable from the platform \(loopback address\)/);
  });
});

describe('failing subscriptions', () => {
  async function tenantWithAdmin() {
    const t = await rig.stack.createTenant();
    const email = `admin-${randomUUID().slice(0, 8)}@example.test`;
    const created = await rig.stack.request('POST', '/v1/users', { apiKey: t.apiKey, body: { email, name: 'Admin', role: 'admin', password: `pw-${randomUUID()}` } });
    expect(created.status).toBe(201);
    return { ...t, email };
  }

  it('disables a subscription after consecutive dead deliveries and emails the admins; re-enabling resets it', async () => {
    const t = await tenantWithAdmin();
    const r = await receiver(() => ({ status: 502 }));
    const sub = await subscribe(rig.stack, t.apiKey, r.url);
    const before = smtp.messages.length;
    for (let i = 0; i < 3; i++) await rig.emit(t.tenantId, 'run.failed', { n: i });
    await waitUntil(async () => (await subscription(t.apiKey, sub.id)).enabled === false, 20_000, 'the subscription disabled');
    expect(await subscription(t.apiKey, sub.id)).toMatchObject({ disabledReason: 'failing', consecutiveDead: 3 });
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail.envelope.to).toEqual([t.email]);
    expect(mail.subject).toBe(`Webhook endpoint disabled: ${r.url}`);

    // Disabled: new events are not sent.
    const sent = r.received.length;
    await rig.emit(t.tenantId, 'run.failed', { n: 4 });
    await new Promise((done) => setTimeout(done, 700));
    expect(r.received.length).toBe(sent);

    const enabled = await rig.stack.request('PATCH', `/v1/webhooks/subscriptions/${sub.id}`, { apiKey: t.apiKey, body: { enabled: true } });
    expect(enabled.body).toMatchObject({ enabled: true, disabledReason: null, consecutiveDead: 0 });
  });

  it('disables a subscription whose receiver answers 410 Gone at once', async () => {
    const t = await tenantWithAdmin();
    const r = await receiver(() => ({ status: 410 }));
    const sub = await subscribe(rig.stack, t.apiKey, r.url);
    const before = smtp.messages.length;
    await rig.emit(t.tenantId, 'run.completed', {});
    await waitUntil(async () => (await subscription(t.apiKey, sub.id)).enabled === false, 20_000, 'the subscription disabled');
    expect(r.received).toHaveLength(1);
    expect((await subscription(t.apiKey, sub.id)).disabledReason).toBe('gone');
    await smtp.waitFor(before + 1);
  });
});
