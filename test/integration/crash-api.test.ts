/**
 * Durability of a synchronous turn: the API process dies (SIGKILL) while its turn waits on the
 * model; the client retries the same request (same idempotencyKey) on another API process and gets
 * the first turn's reply — one turn, one model call, one stored reply, one frame on the socket.
 * The same for a chat-socket message whose API process died before its turn reached Temporal and
 * which the widget resent with its clientId on another process.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { conversationWorkflowId } from '../../core/ids';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server';
import { waitForQuiescence } from '../support/quiescence';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { storedMessageCounts } from '../support/stored-messages';
import { waitUntil } from '../support/wait';
import { startApiProcess, type ApiProcess } from '../support/worker-process';
import { startStallingProxy } from '../support/tcp-proxy';
import { ChatClient, openLlmChat } from '../support/ws';

let stack: Stack;
let fake: FakeOpenAI;
const apis: ApiProcess[] = [];

beforeAll(async () => {
  fake = await startFakeOpenAI();
  stack = await startStack(sharedServers());
});
afterAll(async () => {
  await Promise.all(apis.map((a) => a.kill('SIGKILL')));
  await stack?.close();
  await fake?.close();
});

const startApi = async () => {
  const api = await startApiProcess(stack.workerEnv(), 120_000);
  apis.push(api);
  return api;
};

const post = (base: string, path: string, apiKey: string, body: unknown) =>
  fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` }, body: JSON.stringify(body) });

it('answers a turn retried after its API process died with the first turn\'s reply, once', async () => {
  const first = await startApi();
  // The visitor's socket is on another API process (the stack's), which stays up.
  const { apiKey, tenantId, conversationId, chat } = await openLlmChat(stack, `${fake.url}/v1`);

  fake.enqueue({ content: 'Answered once.', delayMs: 5_000 });
  fake.enqueue({ content: 'A second turn.' });
  const before = fake.chatRequests.length;
  const request = { text: 'are you there?', idempotencyKey: `turn-${Date.now()}` };
  const path = `/v1/conversations/${conversationId}/messages`;
  const lost = post(first.url, path, apiKey, request).catch((err: Error) => err);
  await waitUntil(() => fake.chatRequests.length > before, 60_000, 'the model call to start');
  await first.kill('SIGKILL');
  expect(await lost).toBeInstanceOf(Error);

  const second = await startApi();
  const retried = await post(second.url, path, apiKey, request);
  expect(retried.status).toBe(200);
  expect((await retried.json()).replies.map((r: any) => r.text)).toEqual(['Answered once.']);

  await waitForQuiescence(stack, { tenantId, workflowIds: [conversationWorkflowId(tenantId, conversationId)] });
  expect(fake.chatRequests.length).toBe(before + 1);
  const stored = await storedMessageCounts(stack.orm, { conversationIds: [conversationId] });
  expect(stored.map((m) => `${m.author}:${m.text}:${m.count}`)).toEqual(['contact:are you there?:1', 'bot:Answered once.:1']);
  expect(chat.messageFrames().map((m) => `${m.author}:${m.text}`)).toEqual(['contact:are you there?', 'bot:Answered once.']);
  chat.close();
}, 300_000);

it('runs a chat-socket message once when its API process died before the turn reached Temporal, and the widget resent it', async () => {
  // The first API process reaches Temporal through a proxy that stalls: its turn never arrives.
  const proxy = await startStallingProxy(stack.workerEnv().TEMPORAL_ADDRESS);
  const first = await startApiProcess({ ...stack.workerEnv(), TEMPORAL_ADDRESS: proxy.address }, 120_000);
  apis.push(first);
  const { apiKey, tenantId, conversationId, chat: watcher } = await openLlmChat(stack, `${fake.url}/v1`);
  const token: string = (await stack.request('POST', '/v1/chat/sessions', { apiKey, body: { conversationId } })).body.token;
  const socketOn = (base: string) => ChatClient.open(`${base.replace('http', 'ws')}/v1/chat?token=${encodeURIComponent(token)}`);

  // The first case leaves its spare answer queued.
  fake.reset();
  fake.enqueue({ content: 'Socket answered once.' });
  fake.enqueue({ content: 'A second socket turn.' });
  const before = fake.chatRequests.length;
  const visitor = await socketOn(first.url);
  await visitor.waitFor((f) => f.type === 'history');
  proxy.stall();
  const frame = { text: 'still there?', clientId: `client-${Date.now()}` };
  visitor.send(frame);
  // An update request carries the flow: far more than a keepalive ping.
  await waitUntil(() => proxy.swallowedBytes() > 200, 60_000, 'the turn to leave the first API process');
  await first.kill('SIGKILL');
  await proxy.close();

  // The widget reconnects (to another API process) and resends what it has not seen stored.
  const second = await startApi();
  const again = await socketOn(second.url);
  await again.waitFor((f) => f.type === 'history');
  again.send(frame);
  again.send(frame);
  await waitUntil(() => watcher.messageFrames().some((m) => m.text === 'Socket answered once.'), 60_000, 'the reply');

  await waitForQuiescence(stack, { tenantId, workflowIds: [conversationWorkflowId(tenantId, conversationId)] });
  expect(fake.chatRequests.length).toBe(before + 1);
  const stored = await storedMessageCounts(stack.orm, { conversationIds: [conversationId] });
  expect(stored.map((m) => `${m.author}:${m.text}:${m.count}`)).toEqual(['contact:still there?:1', 'bot:Socket answered once.:1']);
  expect(watcher.messageFrames().map((m) => `${m.author}:${m.text}`)).toEqual(['contact:still there?', 'bot:Socket answered once.']);
  again.close();
  watcher.close();
}, 300_000);
