/**
 * The inbox: filtered lists with contact and last message, takeover by role, agent typing on the
 * web chat, the tenant-wide live socket, canned responses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedServers } from '../support/shared-servers';
import { receptionFlow } from '../support/flows';
import { startStack, type Stack } from '../support/stack';
import { waitUntil } from '../support/wait';
import { ChatClient } from '../support/ws';
import { ConsoleClient, signedIn } from './support';

let stack: Stack;
let apiKey: string;
let flowId: string;

beforeAll(async () => {
  stack = await startStack(sharedServers());
  ({ apiKey } = await stack.createTenant());
  flowId = (await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'Inbox', graph: receptionFlow } })).body.id;
  expect((await stack.request('POST', `/v1/flows/${flowId}/publish`, { apiKey })).status).toBe(201);
});

afterAll(async () => {
  await stack?.close();
});

const wsUrl = (path: string) => `${stack.url.replace('http', 'ws')}${path}`;

async function conversation(channel = 'api', contact?: { name: string }) {
  const res = await stack.request('POST', '/v1/conversations', { apiKey, body: { flowId, channel, ...(contact ? { contact } : {}) } });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

describe('the conversation list', () => {
  it('filters by status and channel and carries contact, last message and agent', async () => {
    const a = await conversation('api', { name: 'Ada Lovelace' });
    const b = await conversation('webchat');
    await stack.request('POST', `/v1/conversations/${a}/messages`, { apiKey, body: { text: 'hello' } });
    await stack.request('POST', `/v1/conversations/${b}/messages`, { apiKey, body: { text: 'hi' } });
    const agent = await signedIn(stack, apiKey, 'agent');
    expect((await agent.request('POST', `/v1/conversations/${a}/takeover`, { body: {} })).status).toBe(202);
    await waitUntil(async () => (await stack.request('GET', `/v1/conversations/${a}`, { apiKey })).body.status === 'human', 10_000, 'status human');

    const human = await agent.request('GET', '/v1/conversations?status=human');
    expect(human.body.conversations.map((c: any) => c.id)).toEqual([a]);
    expect(human.body.conversations[0]).toMatchObject({
      contact: { name: 'Ada Lovelace' },
      lastMessage: { text: 'Hello! What is your name?', author: 'bot' },
      assignedAgent: 'agent person',
      channel: 'api',
    });
    const webchat = await agent.request('GET', '/v1/conversations?channel=webchat');
    expect(webchat.body.conversations.map((c: any) => c.id)).toContain(b);
    expect(webchat.body.conversations.map((c: any) => c.id)).not.toContain(a);
    const page = await agent.request('GET', '/v1/conversations?limit=1');
    expect(page.body.conversations).toHaveLength(1);
    expect(page.body.nextCursor).toBeTruthy();
    expect((await agent.request('GET', '/v1/conversations?status=nope')).status).toBe(400);

    expect((await agent.request('POST', `/v1/conversations/${a}/release`)).status).toBe(202);
    await waitUntil(async () => (await stack.request('GET', '/v1/conversations?status=bot', { apiKey })).body.conversations.some((c: any) => c.id === a && c.assignedAgent === null), 10_000, 'released');
  });

  it('lets agents act on conversations but not viewers or builders', async () => {
    const id = await conversation();
    const viewer = await signedIn(stack, apiKey, 'viewer');
    const builder = await signedIn(stack, apiKey, 'builder');
    const agent = await signedIn(stack, apiKey, 'agent');
    const takeover = await viewer.request('POST', `/v1/conversations/${id}/takeover`, { body: {} });
    expect(takeover.status).toBe(403);
    expect(takeover.body.error.code).toBe('forbidden');
    expect((await builder.request('POST', `/v1/conversations/${id}/agent-messages`, { body: { text: 'hi' } })).status).toBe(403);
    expect((await viewer.request('GET', `/v1/conversations/${id}/messages`)).status).toBe(200);
    expect((await agent.request('POST', `/v1/conversations/${id}/agent-messages`, { body: { text: 'Maria here' } })).status).toBe(202);
    expect((await agent.request('POST', `/v1/conversations/${id}/close`)).status).toBe(202);
    await waitUntil(async () => (await stack.request('GET', `/v1/conversations/${id}`, { apiKey })).body.status === 'closed', 10_000, 'closed');
  });
});

describe('live', () => {
  it('relays agent typing to the visitor’s web chat', async () => {
    const session = await stack.request('POST', '/v1/chat/sessions', { apiKey, body: { flowId } });
    const chat = await ChatClient.open(wsUrl(`/v1/chat?token=${encodeURIComponent(session.body.token)}`));
    try {
      await chat.waitFor((f) => f.type === 'history');
      const agent = await signedIn(stack, apiKey, 'agent');
      expect((await agent.request('POST', `/v1/conversations/${session.body.conversationId}/typing`, { body: { typing: true } })).status).toBe(204);
      const frame = await chat.waitFor((f) => f.type === 'typing');
      expect(frame).toMatchObject({ type: 'typing', author: 'agent', typing: true });
      await agent.request('POST', `/v1/conversations/${session.body.conversationId}/typing`, { body: { typing: false } });
      await chat.waitFor((f) => f.type === 'typing' && f.typing === false);
      expect((await agent.request('POST', `/v1/conversations/${session.body.conversationId}/typing`, { body: { typing: 'yes' } })).status).toBe(400);
    } finally {
      chat.close();
    }
  });

  it('relays the visitor’s typing to the inbox', async () => {
    const session = await stack.request('POST', '/v1/chat/sessions', { apiKey, body: { flowId } });
    const agent = await signedIn(stack, apiKey, 'agent');
    const inbox = await agent.socket('/v1/inbox/live');
    const chat = await ChatClient.open(wsUrl(`/v1/chat?token=${encodeURIComponent(session.body.token)}`));
    try {
      await Promise.all([inbox.waitFor((f) => f.type === 'ready'), chat.waitFor((f) => f.type === 'history')]);
      chat.send({ type: 'typing', typing: true });
      const frame = await inbox.waitFor((f) => f.type === 'typing');
      expect(frame).toEqual({ type: 'typing', conversationId: session.body.conversationId, author: 'contact', typing: true });
    } finally {
      chat.close();
      inbox.close();
    }
  });

  it('streams the tenant’s messages and conversation changes on /v1/inbox/live, never test conversations', async () => {
    const viewer = await signedIn(stack, apiKey, 'viewer');
    const inbox = await viewer.socket('/v1/inbox/live');
    try {
      await inbox.waitFor((f) => f.type === 'ready');
      // A test session on the same tenant stays out of the feed.
      const test = await stack.request('POST', `/v1/flows/${flowId}/test-sessions`, { apiKey, body: {} });
      await stack.request('POST', `/v1/conversations/${test.body.conversationId}/messages`, { apiKey, body: { text: 'test only' } });

      const id = await conversation();
      await stack.request('POST', `/v1/conversations/${id}/messages`, { apiKey, body: { text: 'hello inbox' } });
      const message = await inbox.waitFor((f) => f.type === 'message' && f.message.text === 'hello inbox');
      expect(message).toMatchObject({ conversationId: id, message: { author: 'contact' } });
      const item = await inbox.waitFor((f) => f.type === 'conversation' && f.conversation.id === id && f.conversation.lastMessage?.text === 'Hello! What is your name?');
      expect(item.conversation).toMatchObject({ status: 'bot', isTest: false });

      await stack.request('POST', `/v1/conversations/${id}/takeover`, { apiKey, body: { agent: 'Maria' } });
      const human = await inbox.waitFor((f) => f.type === 'conversation' && f.conversation.id === id && f.conversation.status === 'human');
      expect(human.conversation.assignedAgent).toBe('Maria');
      expect(inbox.frames.some((f) => f.conversationId === test.body.conversationId || f.conversation?.id === test.body.conversationId)).toBe(false);
    } finally {
      inbox.close();
    }
    // Without a session or key the socket is refused; so is a foreign origin.
    await expect(new ConsoleClient(stack.url).socket('/v1/inbox/live')).rejects.toThrow(/401/);
    await expect(viewer.socket('/v1/inbox/live', { origin: 'https://evil.example' })).rejects.toThrow(/403/);
  });
});

describe('canned responses', () => {
  it('are read by everyone and written by builders', async () => {
    const builder = await signedIn(stack, apiKey, 'builder');
    const agent = await signedIn(stack, apiKey, 'agent');
    const created = await builder.request('POST', '/v1/canned-responses', { body: { shortcut: 'hours', text: 'We are open 9 to 5.' } });
    expect(created.status).toBe(201);
    expect((await builder.request('POST', '/v1/canned-responses', { body: { shortcut: 'hours', text: 'again' } })).body.error).toMatchObject({ code: 'conflict', field: 'shortcut' });
    expect((await builder.request('POST', '/v1/canned-responses', { body: { shortcut: 'bad shortcut', text: 'x' } })).body.error.field).toBe('shortcut');
    expect((await agent.request('GET', '/v1/canned-responses')).body.items).toEqual([{ id: created.body.id, shortcut: 'hours', text: 'We are open 9 to 5.' }]);
    expect((await agent.request('PUT', `/v1/canned-responses/${created.body.id}`, { body: { text: 'x' } })).status).toBe(403);
    const updated = await builder.request('PUT', `/v1/canned-responses/${created.body.id}`, { body: { text: 'Open 9 to 6.' } });
    expect(updated.body).toMatchObject({ shortcut: 'hours', text: 'Open 9 to 6.' });
    expect((await builder.request('DELETE', `/v1/canned-responses/${created.body.id}`)).status).toBe(204);
    expect((await builder.request('DELETE', `/v1/canned-responses/${created.body.id}`)).status).toBe(404);
    expect((await agent.request('GET', '/v1/canned-responses')).body.items).toEqual([]);
  });
});
