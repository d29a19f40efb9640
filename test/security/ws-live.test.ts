/**
 * The chat and inbox WebSockets: one Redis subscriber per API process whatever the number of
 * sockets, caps per token, per address and per tenant, and a frame flood closes its socket.
 */
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveChannel } from '../../events/live';
import { receptionFlow } from '../support/flows';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { waitUntil } from '../support/wait';
import { ChatClient } from '../support/ws';

let roomy: Stack;
let tight: Stack;
let redis: Redis;
const opened: ChatClient[] = [];

beforeAll(async () => {
  [roomy, tight] = await Promise.all([
    startStack({ ...sharedServers(), worker: false }),
    startStack({ ...sharedServers(), worker: false, env: { WS_MAX_PER_TOKEN: '2', WS_MAX_PER_TENANT: '3', WS_MAX_PER_IP: '5' } }),
  ]);
  redis = new Redis(sharedServers().redisUrl);
});

afterAll(async () => {
  for (const c of opened) c.close();
  await Promise.allSettled([roomy?.close(), tight?.close()]);
  await redis?.quit();
});

async function tenant(stack: Stack) {
  const { tenantId, apiKey } = await stack.createTenant();
  const flow = await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'Live', graph: receptionFlow } });
  expect((await stack.request('POST', `/v1/flows/${flow.body.id}/publish`, { apiKey })).status).toBe(201);
  /** A chat token for a new conversation (or another token for `conversationId`). */
  const session = async (conversationId?: string) => {
    const res = await stack.request('POST', '/v1/chat/sessions', { apiKey, body: conversationId ? { conversationId } : { flowId: flow.body.id } });
    expect(res.status).toBe(201);
    return res.body as { token: string; conversationId: string };
  };
  return { tenantId, apiKey, session };
}

/** Opens a socket and resolves with the client and how the server ended it (if it did). */
async function open(url: string, headers?: Record<string, string>) {
  const socket = new WebSocket(url, headers ? { headers } : undefined);
  const closed = new Promise<{ code: number; reason: string }>((r) => socket.once('close', (code, reason) => r({ code, reason: String(reason) })));
  const client = await ChatClient.openWith(socket);
  opened.push(client);
  return { client, closed };
}
const chatUrl = (stack: Stack, token: string) => `${stack.url.replace('http', 'ws')}/v1/chat?token=${encodeURIComponent(token)}`;
const inboxUrl = (stack: Stack) => `${stack.url.replace('http', 'ws')}/v1/inbox/live`;
/** Opens a chat socket and waits for its history frame (it is subscribed by then). */
async function chat(stack: Stack, token: string) {
  const s = await open(chatUrl(stack, token));
  await Promise.race([s.client.waitFor((f) => f.type === 'history'), s.closed]);
  return s;
}
async function closeAll(list: { client: ChatClient; closed: Promise<unknown> }[]) {
  for (const s of list) s.client.close();
  await Promise.all(list.map((s) => s.closed));
}

async function subscriberConnections(name: string) {
  const list = (await redis.call('CLIENT', 'LIST')) as string;
  return list.split('\n').filter((line) => line.includes(` name=${name} `));
}
const numsub = async (channel: string) => Number(((await redis.pubsub('NUMSUB', channel)) as [string, number])[1]);

describe('one Redis subscriber per API process', () => {
  it('serves many chat and inbox sockets over one connection and fans frames out by channel', async () => {
    const t = await tenant(roomy);
    const conversations = await Promise.all([t.session(), t.session(), t.session()]);
    const sockets = [];
    for (const conv of conversations) for (let i = 0; i < 4; i++) sockets.push({ conv, ...(await chat(roomy, conv.token)) });
    const inboxes = await Promise.all([1, 2, 3].map(() => open(inboxUrl(roomy), { authorization: `Bearer ${t.apiKey}` })));
    await Promise.all(inboxes.map((s) => s.client.waitFor((f) => f.type === 'ready')));

    expect(await subscriberConnections(roomy.subscriberName)).toHaveLength(1);
    for (const conv of conversations) expect(await numsub(liveChannel(t.tenantId, conv.conversationId))).toBe(1);

    const target = conversations[1].conversationId;
    await redis.publish(liveChannel(t.tenantId, target), JSON.stringify({ type: 'typing', author: 'agent', typing: true, probe: 'fan-out' }));
    const receivers = sockets.filter((s) => s.conv.conversationId === target);
    await Promise.all(receivers.map((s) => s.client.waitFor((f) => f.probe === 'fan-out', 5_000)));
    await new Promise((r) => setTimeout(r, 200));
    for (const s of sockets.filter((s) => s.conv.conversationId !== target)) expect(s.client.frames.some((f) => f.probe)).toBe(false);

    // The last socket of a channel unsubscribes it; the others keep theirs.
    await closeAll(receivers);
    await waitUntil(async () => (await numsub(liveChannel(t.tenantId, target))) === 0, 5_000, 'channel unsubscribed');
    expect(await numsub(liveChannel(t.tenantId, conversations[0].conversationId))).toBe(1);
    await closeAll([...sockets.filter((s) => s.conv.conversationId !== target), ...inboxes]);
    await waitUntil(async () => (await numsub(liveChannel(t.tenantId, conversations[0].conversationId))) === 0, 5_000, 'all unsubscribed');
    expect(await subscriberConnections(roomy.subscriberName)).toHaveLength(1);
  });
});

describe('caps', () => {
  it('refuses a third socket on one chat token and admits one again after a close', async () => {
    const t = await tenant(tight);
    const { token } = await t.session();
    const first = await chat(tight, token);
    const second = await chat(tight, token);
    const third = await open(chatUrl(tight, token));
    expect(await third.closed).toEqual({ code: 4429, reason: 'too many open sockets for this token' });
    await closeAll([first]);
    const again = await chat(tight, token);
    expect(again.client.frames.some((f) => f.type === 'history')).toBe(true);
    await closeAll([second, again]);
  });

  it('refuses sockets over the tenant’s cap, whatever the token', async () => {
    const t = await tenant(tight);
    const admitted = [];
    for (let i = 0; i < 3; i++) admitted.push(await chat(tight, (await t.session()).token));
    const over = await open(chatUrl(tight, (await t.session()).token));
    expect(await over.closed).toEqual({ code: 4429, reason: 'too many open sockets for this tenant' });
    const inbox = await open(inboxUrl(tight), { authorization: `Bearer ${t.apiKey}` });
    expect((await inbox.closed).code).toBe(4429);
    await closeAll(admitted);
  });

  it('refuses sockets over the cap per client address across tenants', async () => {
    const [a, b, c] = await Promise.all([tenant(tight), tenant(tight), tenant(tight)]);
    const admitted = [];
    for (const t of [a, a, a, b, b]) admitted.push(await chat(tight, (await t.session()).token));
    const over = await open(chatUrl(tight, (await c.session()).token));
    expect(await over.closed).toEqual({ code: 4429, reason: 'too many open sockets for this address' });
    await closeAll(admitted);
  });

  it('caps inbox sockets per credential', async () => {
    const t = await tenant(tight);
    const headers = { authorization: `Bearer ${t.apiKey}` };
    const admitted = [await open(inboxUrl(tight), headers), await open(inboxUrl(tight), headers)];
    await Promise.all(admitted.map((s) => s.client.waitFor((f) => f.type === 'ready')));
    const over = await open(inboxUrl(tight), headers);
    expect(await over.closed).toEqual({ code: 4429, reason: 'too many open sockets for this token' });
    await closeAll(admitted);
  });
});

describe('frame rate', () => {
  it('closes a chat socket that floods frames, after telling it why', async () => {
    const t = await tenant(roomy);
    const s = await chat(roomy, (await t.session()).token);
    for (let i = 0; i < 300; i++) s.client.send({ type: 'typing', typing: i % 2 === 0 });
    expect(await s.closed).toEqual({ code: 1008, reason: 'too many frames' });
    expect(s.client.frames.find((f) => f.type === 'error')?.error.code).toBe('rate_limited');
  });

  it('closes an inbox socket that floods frames', async () => {
    const t = await tenant(roomy);
    const s = await open(inboxUrl(roomy), { authorization: `Bearer ${t.apiKey}` });
    await s.client.waitFor((f) => f.type === 'ready');
    for (let i = 0; i < 300; i++) s.client.send({ hello: i });
    expect((await s.closed).code).toBe(1008);
  });

  it('lets a client that stays under the rate keep its socket', async () => {
    const t = await tenant(roomy);
    const s = await chat(roomy, (await t.session()).token);
    for (let i = 0; i < 10; i++) s.client.send({ type: 'typing', typing: i % 2 === 0 });
    await new Promise((r) => setTimeout(r, 300));
    expect(s.client.socket.readyState).toBe(WebSocket.OPEN);
    await closeAll([s]);
  });
});
