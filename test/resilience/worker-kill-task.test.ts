/**
 * A worker killed while it holds a conversation's workflow task (a turn whose store write waits on
 * the database): nothing tells the server the task is lost, so it gives the task to another worker
 * only when the task's start-to-close timeout passes. Conversations are started with
 * INTERACTIVE_TASK_TIMEOUT_MS, not the SDK's 10 s, so the turn answers sooner after the kill, once,
 * and nothing is stored twice.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { INTERACTIVE_TASK_TIMEOUT_MS } from '../../core/workflows';
import { lockConversation } from '../support/conversation-lock';
import { echoFlow } from '../support/flows';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { storedMessageCounts } from '../support/stored-messages';
import { waitUntil } from '../support/wait';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';

let stack: Stack;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  stack = await startStack({ ...sharedServers(), worker: false });
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.kill('SIGKILL')));
  await stack?.close();
});

it('hands the task of a killed worker to another within the task timeout, and answers the turn once', async () => {
  workers.push(await startWorkerProcess(stack.workerEnv(), 120_000));
  const { apiKey } = await stack.createTenant();
  const flow = await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'Echo', graph: echoFlow } });
  await stack.request('POST', `/v1/flows/${flow.body.id}/publish`, { apiKey });
  const conversation = await stack.request('POST', '/v1/conversations', { apiKey, body: { flowId: flow.body.id } });
  const { id: conversationId, workflowId } = conversation.body as { id: string; workflowId: string };
  const say = (text: string) => stack.request('POST', `/v1/conversations/${conversationId}/messages`, { apiKey, body: { text, idempotencyKey: text } });
  expect((await say('m1')).status).toBe(200);
  expect((await say('m2')).body.replies.map((r: { text: string }) => r.text)).toContain('Echo: m2');

  // The conversation's row locked: the turn's message insert (its foreign key) waits, and with it
  // the local activity and the workflow task that runs it, on the first worker.
  const lock = await lockConversation(sharedServers().databaseUrl, conversationId);
  const turn = say('m3');
  await lock.waitForBlocked();
  // A second worker already polls, as in a deployment of several: only the timeout stands between it and the task.
  workers.push(await startWorkerProcess(stack.workerEnv(), 120_000));
  expect(await lock.blocked()).toBe(true);

  // While its local activity waits, the first worker renews the task (a new task starts at 80 % of
  // the timeout): killed just after a renewal, the task is held for a whole timeout.
  const history = async () => (await stack.temporal.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const tasksStarted = async () => (await history()).filter((e) => e.workflowTaskStartedEventAttributes).length;
  const before = await tasksStarted();
  await waitUntil(async () => (await tasksStarted()) > before, 30_000, 'the held workflow task to be renewed');
  await workers[0].kill('SIGKILL');
  const killedAt = Date.now();
  await lock.release();
  const answer = await turn;
  const tookMs = Date.now() - killedAt;
  await lock.close();

  expect(answer.status).toBe(200);
  expect(answer.body.replies.map((r: { text: string }) => r.text)).toContain('Echo: m3');
  // The killed worker's task timed out (this test reached the path it is about) after the
  // conversation's task timeout, not the SDK's 10 s...
  const events = await history();
  const timedOut = events.findIndex((e) => e.workflowTaskTimedOutEventAttributes);
  expect(timedOut).toBeGreaterThan(0);
  const at = (i: number) => Number(events[i].eventTime!.seconds) * 1000 + (events[i].eventTime!.nanos ?? 0) / 1e6;
  const heldMs = at(timedOut) - at(events.findLastIndex((e, i) => i < timedOut && e.workflowTaskStartedEventAttributes));
  expect(Math.abs(heldMs - INTERACTIVE_TASK_TIMEOUT_MS)).toBeLessThan(500);
  // ...and the other worker answered soon after (the SDK's timeout alone took 10.3 s here).
  expect(tookMs).toBeLessThan(INTERACTIVE_TASK_TIMEOUT_MS + 1_800);

  // Each contact message and each echo stored once (the flow's "Ready." prompt repeats by design).
  const stored = await storedMessageCounts(stack.orm, { conversationIds: [conversationId] });
  const once = stored.filter((m) => m.text !== 'Ready.').map((m) => `${m.author}:${m.text}:${m.count}`);
  expect(once).toEqual(['contact:m1:1', 'contact:m2:1', 'bot:Echo: m2:1', 'contact:m3:1', 'bot:Echo: m3:1']);
}, 300_000);
