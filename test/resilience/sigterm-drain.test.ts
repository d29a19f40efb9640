/**
 * Graceful shutdown: a worker sent SIGTERM while a turn waits on the model stops polling, lets that
 * call finish and exits — the reply comes from the call already made, not from a retry on the next
 * worker.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sharedServers } from '../support/shared-servers';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server';
import { llmOnlyFlow } from '../support/flows';
import { startStack, type Stack } from '../support/stack';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';
import { waitUntil } from '../support/wait';

let stack: Stack;
let fake: FakeOpenAI;
let worker: WorkerProcess | undefined;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  stack = await startStack({ ...sharedServers(), worker: false });
});

afterAll(async () => {
  await worker?.kill('SIGKILL');
  await stack?.close();
  await fake?.close();
});

it('finishes the in-flight model call on SIGTERM, then exits cleanly', async () => {
  worker = await startWorkerProcess({ ...stack.workerEnv(), WORKER_SHUTDOWN_GRACE_MS: '15000' }, 120_000);
  const { apiKey } = await stack.createTenant({ llm: { baseURL: `${fake.url}/v1` } });
  const flow = await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'LLM', graph: llmOnlyFlow } });
  await stack.request('POST', `/v1/flows/${flow.body.id}/publish`, { apiKey });
  const conversation = await stack.request('POST', '/v1/conversations', { apiKey, body: { flowId: flow.body.id } });

  fake.enqueue({ content: 'Finished while shutting down.', delayMs: 3_000 });
  const before = fake.chatRequests.length;
  const turn = stack.request('POST', `/v1/conversations/${conversation.body.id}/messages`, { apiKey, body: { text: 'still there?' } });
  await waitUntil(() => fake.chatRequests.length > before, 60_000, 'the model call to start');

  const exit = new Promise<number | null>((resolve) => worker!.child.once('exit', (code) => resolve(code)));
  worker.child.kill('SIGTERM');
  const code = await exit;
  expect(code).toBe(0);
  expect(worker.output()).toContain('worker stopped');

  // The drained worker recorded the model's answer; the next worker only runs the workflow task
  // that reads it, so the model is not asked again.
  worker = await startWorkerProcess(stack.workerEnv(), 120_000);
  const result = await turn;
  expect(result.status).toBe(200);
  expect(result.body.replies.map((r: { text: string }) => r.text)).toEqual(['Finished while shutting down.']);
  expect(fake.chatRequests.length).toBe(before + 1);
}, 240_000);
