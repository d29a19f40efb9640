/** Durable timers on the time-skipping test server: idle close, its extension by a message, restart after it, and ask timeouts, without waiting. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { conversationWorkflowId } from '../../core/ids';
import type { conversation } from '../../workflows/conversation';
import { conversationStateQuery, inboundSignal, turnUpdate } from '../../workflows/messages';
import { createFakes } from './support/fakes';
import { eventually } from './support/harness';
import { startTimeSkipping, type TimeSkipping } from './support/time-skipping';
import { conversationInput, flow } from './support/flows';

let env: TestWorkflowEnvironment;
let server: TimeSkipping;
let taskQueue: string;
const fakes = createFakes();
const MINUTE = 60_000;

beforeAll(async () => {
  server = await startTimeSkipping('timers', fakes);
  env = server.env;
  taskQueue = server.taskQueue;
});
afterAll(() => server?.close());

const graph = flow(
  [
    { id: 'start', type: 'start' },
    { id: 'email', type: 'ask', data: { prompt: 'Your e-mail?', variable: 'email', inputType: 'email', timeoutSeconds: 120 } },
    { id: 'thanks', type: 'sendMessage', data: { text: 'Thanks!' } },
    { id: 'nudge', type: 'sendMessage', data: { text: 'Still there? Ask me anything later.' } },
    { id: 'end', type: 'end' },
  ],
  [['start', 'email'], ['email', 'thanks'], ['thanks', 'end'], ['email', 'nudge', 'timeout'], ['nudge', 'end']],
  { idleTimeoutMinutes: 30 },
);

describe('conversation timers', () => {
  it('follows the timeout edge, then closes after the idle timeout', async () => {
    const input = conversationInput(graph);
    const workflowId = conversationWorkflowId(input.tenantId, input.conversationId);
    const handle = await env.client.workflow.signalWithStart('conversation', {
      workflowId,
      taskQueue,
      args: [input],
      signal: inboundSignal,
      signalArgs: [{ text: 'hi' }],
    });
    // result() lets the server skip time: 2 minutes for the ask, 30 minutes of silence.
    await handle.result();

    const texts = fakes.of(workflowId, 'deliverMessage').map((d) => d.input.message.text);
    expect(texts).toEqual(['Your e-mail?', 'Still there? Ask me anything later.']);
    const updates = fakes.of(workflowId, 'updateConversation').map((u) => [u.input.status, u.input.currentNodeId]);
    expect(updates).toEqual([
      ['bot', 'email'],
      ['bot', null],
      ['closed', null],
    ]);
    const closed = fakes.of(workflowId, 'emitEvent').find((e) => e.input.type === 'conversation.closed');
    expect(closed?.input.data).toMatchObject({ reason: 'idle', conversationId: input.conversationId });
    const state = await handle.query(conversationStateQuery);
    expect(state.status).toBe('closed');
    expect(state.trace.find((t) => t.nodeId === 'email' && t.handle === 'timeout')).toBeTruthy();
  });
});

/** Every message key of a conversation's runs, inbound and outbound, each scheduled once. */
const messageKeys = (workflowId: string) =>
  fakes.calls.filter((x) => x.workflowId === workflowId && x.attempt === 1 && (x.name === 'recordInbound' || x.name === 'deliverMessage')).map((x) => x.input.key ?? x.input.message.key);

describe('idle timer', () => {
  const idle = flow(
    [
      { id: 'start', type: 'start' },
      { id: 'ask', type: 'ask', data: { prompt: 'Say something', variable: 'last' } },
      { id: 'echo', type: 'sendMessage', data: { text: 'You said {{last}}' } },
    ],
    [['start', 'ask'], ['ask', 'echo'], ['echo', 'ask']],
    { idleTimeoutMinutes: 30 },
  );

  it('a message pushes the idle close 30 minutes past itself, not past the first message', async () => {
    const input = conversationInput(idle);
    const workflowId = conversationWorkflowId(input.tenantId, input.conversationId);
    const inbound = (text: string) => env.client.workflow.signalWithStart('conversation', { workflowId, taskQueue, args: [input], signal: inboundSignal, signalArgs: [{ text }] });
    const handle = await inbound('hi');
    await eventually(async () => ((await handle.query(conversationStateQuery)).turn === 1 ? true : undefined));
    await env.sleep(20 * MINUTE);
    await inbound('still here');
    await eventually(async () => ((await handle.query(conversationStateQuery)).turn === 2 ? true : undefined));
    // 40 minutes after the first message, 20 after the second: the first deadline has passed.
    await env.sleep(20 * MINUTE);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    expect((await handle.query(conversationStateQuery)).status).toBe('bot');

    await handle.result();
    const { startTime, closeTime } = await handle.describe();
    const openFor = closeTime!.getTime() - startTime.getTime();
    // Closed 30 minutes after the second message (sent 20 minutes in), give or take the turns' own time.
    expect(openFor).toBeGreaterThanOrEqual(50 * MINUTE);
    expect(openFor).toBeLessThan(51 * MINUTE);
    expect(fakes.of(workflowId, 'emitEvent').filter((e) => e.input.type === 'conversation.closed').map((e) => e.input.data.reason)).toEqual(['idle']);
  });

  it('a message after the idle close starts the conversation again from the start, with keys of its own', async () => {
    const input = conversationInput(idle);
    const workflowId = conversationWorkflowId(input.tenantId, input.conversationId);
    const turn = (text: string) =>
      env.client.workflow.executeUpdateWithStart(turnUpdate, {
        args: [{ text }],
        startWorkflowOperation: new WithStartWorkflowOperation<typeof conversation>('conversation', { workflowId, taskQueue, args: [input], workflowIdConflictPolicy: 'USE_EXISTING' }),
      });
    expect((await turn('hi')).replies.map((r) => r.text)).toEqual(['Say something']);
    expect((await turn('one')).replies.map((r) => r.text)).toEqual(['You said one', 'Say something']);
    const first = env.client.workflow.getHandle(workflowId);
    const { runId: firstRunId } = await first.describe();
    await first.result();

    // As the API does for a conversation whose workflow closed: update-with-start on the same id and pinned flow.
    const restarted = await turn('back again');
    expect(restarted.status).toBe('bot');
    expect(restarted.replies.map((r) => r.text)).toEqual(['Say something']);
    expect((await turn('two')).replies.map((r) => r.text)).toEqual(['You said two', 'Say something']);
    const handle = env.client.workflow.getHandle(workflowId);
    expect((await handle.describe()).runId).not.toBe(firstRunId);
    // The new run starts from the flow, not from the closed run's state; the stored messages stay the conversation's.
    const state = await handle.query(conversationStateQuery);
    expect(state).toMatchObject({ status: 'bot', turn: 2, generation: 0, variables: { last: 'two' } });
    expect(state.window.map((m) => m.content)).toEqual(['back again', 'Say something', 'two', 'You said two', 'Say something']);

    // Messages are stored once per key: a key of the first run reused by the second would return the old row.
    const keys = messageKeys(workflowId);
    expect(keys).toHaveLength(10);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
