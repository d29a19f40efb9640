/**
 * The inbox socket (`/v1/inbox/live`) of one tenant never carries another tenant's traffic: while
 * tenant B's conversation gets contact messages, bot replies, an agent's takeover, typing and
 * reply, B's own sockets see every frame and tenant A's sockets (API key and signed-in agent) see
 * none of them, not even a frame published on A's feed that names B's conversation.
 */
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishTenantLive } from '../../events/live';
import { signedIn } from '../console-api/support';
import { receptionFlow } from '../support/flows';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { ChatClient } from '../support/ws';

let stack: Stack;
let redis: Redis;
const opened: ChatClient[] = [];

beforeAll(async () => {
  stack = await startStack(sharedServers());
  redis = new Redis(sharedServers().redisUrl);
}, 120_000);

afterAll(async () => {
  for (const c of opened) c.close();
  await stack?.close();
  await redis?.quit();
});

async function tenant() {
  const { tenantId, apiKey } = await stack.createTenant();
  const flow = await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'Reception', graph: receptionFlow } });
  expect((await stack.request('POST', `/v1/flows/${flow.body.id}/publish`, { apiKey })).status).toBe(201);
  const conversation = await stack.request('POST', '/v1/conversations', { apiKey, body: { flowId: flow.body.id } });
  expect(conversation.status).toBe(201);
  const agent = await signedIn(stack, apiKey, 'agent');
  /** Inbox sockets on the API key and on the agent's session, each ready. */
  const inboxes = async () => {
    const sockets = await Promise.all([
      ChatClient.openWith(new WebSocket(`${stack.url.replace('http', 'ws')}/v1/inbox/live`, { headers: { authorization: `Bearer ${apiKey}` } })),
      agent.socket('/v1/inbox/live'),
    ]);
    opened.push(...sockets);
    await Promise.all(sockets.map((s) => s.waitFor((f) => f.type === 'ready')));
    return sockets;
  };
  return { tenantId, apiKey, agent, conversationId: conversation.body.id as string, inboxes };
}

/** Everything in the frames that could identify a tenant's traffic. */
const mentions = (frames: unknown[], needles: string[]) => frames.filter((f) => needles.some((n) => JSON.stringify(f).includes(n)));

describe('the inbox socket across tenants', () => {
  it('relays a tenant’s conversation to its own sockets only', async () => {
    const [a, b] = await Promise.all([tenant(), tenant()]);
    const [aSockets, bSockets] = await Promise.all([a.inboxes(), b.inboxes()]);

    // Tenant B's traffic: a turn, a takeover, typing and an agent reply.
    const turn = await stack.request('POST', `/v1/conversations/${b.conversationId}/messages`, { apiKey: b.apiKey, body: { text: 'Grace from tenant B' } });
    expect(turn.status).toBe(200);
    expect((await b.agent.request('POST', `/v1/conversations/${b.conversationId}/takeover`, { body: {} })).status).toBe(202);
    expect((await b.agent.request('POST', `/v1/conversations/${b.conversationId}/typing`, { body: { typing: true } })).status).toBe(204);
    expect((await b.agent.request('POST', `/v1/conversations/${b.conversationId}/agent-messages`, { body: { text: 'Agent of tenant B here' } })).status).toBe(202);
    // A frame on A's own feed naming B's conversation (a publisher bug) must be dropped too.
    await publishTenantLive(redis, a.tenantId, { type: 'typing', conversationId: b.conversationId, author: 'contact', typing: true });

    // B's sockets see the messages: the traffic really flowed through the live feed (an agent's
    // typing goes to the contact's chat only, so no socket here shows it).
    for (const s of bSockets) {
      await s.waitFor((f) => f.type === 'message' && f.message?.text === 'Grace from tenant B');
      await s.waitFor((f) => f.type === 'message' && f.message?.text === 'Agent of tenant B here');
    }

    // Then A's own traffic: frames are relayed in the order the one subscriber receives them,
    // so once A's sockets have A's reply, anything of B's would have arrived before it.
    expect((await a.agent.request('POST', `/v1/conversations/${a.conversationId}/agent-messages`, { body: { text: 'Agent of tenant A here' } })).status).toBe(202);
    for (const s of aSockets) await s.waitFor((f) => f.type === 'message' && f.message?.text === 'Agent of tenant A here');

    const bNeedles = [b.conversationId, b.tenantId, 'tenant B'];
    for (const s of aSockets) {
      expect(s.frames.length).toBeGreaterThan(1);
      expect(mentions(s.frames, bNeedles)).toEqual([]);
    }
    for (const s of bSockets) expect(mentions(s.frames, [a.conversationId, a.tenantId, 'tenant A'])).toEqual([]);
  }, 120_000);
});
