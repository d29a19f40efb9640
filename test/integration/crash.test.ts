/**
 * Durability: the worker process dies (SIGKILL) while a turn waits on the model; a new worker
 * picks the turn up, and the contact gets exactly one reply — stored once, delivered once.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sharedServers } from '../support/shared-servers';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server';
import { startStack, type Stack } from '../support/stack';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';
import { waitUntil } from '../support/wait';
import { openLlmChat } from '../support/ws';
import { waitForQuiescence } from '../support/quiescence';
import { storedMessageCounts } from '../support/stored-messages';
import { conversationWorkflowId } from '../../core/ids';

let stack: Stack;
let fake: FakeOpenAI;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  fake = await startFakeOpenAI();
  stack = await startStack({ ...sharedServers(), worker: false });
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.kill('SIGTERM')));
  await stack?.close();
  await fake?.close();
});

it('completes a turn whose worker was killed mid-flight, with exactly one reply', async () => {
  const workerEnv = stack.workerEnv();
  const first = await startWorkerProcess(workerEnv);
  workers.push(first);

  const { apiKey, tenantId, conversationId, chat } = await openLlmChat(stack, `${fake.url}/v1`);

  // The first model call hangs until its worker is gone; the retry on the new worker answers.
  fake.enqueue({ content: 'never delivered', delayMs: 120_000 });
  fake.enqueue({ content: 'Survived the crash.' });
  const before = fake.chatRequests.length;
  const turn = stack.request('POST', `/v1/conversations/${conversationId}/messages`, { apiKey, body: { text: 'are you durable?' } });

  await waitUntil(() => fake.chatRequests.length > before, 30_000, 'the model call to start');
  await first.kill('SIGKILL');
  const second = await startWorkerProcess(workerEnv);
  workers.push(second);

  const result = await turn;
  expect(result.status).toBe(200);
  expect(result.body.replies.map((r: any) => r.text)).toEqual(['Survived the crash.']);
  expect(fake.chatRequests.length).toBe(before + 2);

  const transcript = await stack.request('GET', `/v1/conversations/${conversationId}/messages`, { apiKey });
  const bot = transcript.body.messages.filter((m: any) => m.author === 'bot');
  expect(bot.map((m: any) => m.text)).toEqual(['Survived the crash.']);

  await chat.waitFor((f) => f.type === 'message' && f.message.text === 'Survived the crash.');
  await waitForQuiescence(stack, { tenantId, workflowIds: [conversationWorkflowId(tenantId, conversationId)] });
  expect(chat.messageFrames().filter((m) => m.author === 'bot').map((m) => m.text)).toEqual(['Survived the crash.']);
  const stored = await storedMessageCounts(stack.orm, { conversationIds: [conversationId] });
  expect(stored.map((m) => `${m.author}:${m.text}:${m.count}`)).toEqual(['contact:are you durable?:1', 'bot:Survived the crash.:1']);
  expect(fake.chatRequests.length).toBe(before + 2);
  chat.close();
}, 120_000);
