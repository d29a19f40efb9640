/** Durable timers on the time-skipping test server: idle close and ask timeouts, without waiting. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { temporalTestServerPath } from '../../temporal/binaries';
import { SEARCH_ATTRIBUTES } from '../../core/workflows';
import { conversationWorkflowId } from '../../core/ids';
import { conversationStateQuery, inboundSignal } from '../../workflows/messages';
import { createFakes } from './support/fakes';
import { bundle, quietRuntime } from './support/harness';
import { conversationInput, flow } from './support/flows';

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
const fakes = createFakes();
const taskQueue = `timers-${randomUUID()}`;

beforeAll(async () => {
  quietRuntime();
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: temporalTestServerPath() } } });
  // The test server rejects upserts of unknown attributes (the workflow task then retries forever),
  // but it implements AddSearchAttributes: register ours as the deployment setup does.
  const types = temporal.api.enums.v1.IndexedValueType;
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(Object.entries(SEARCH_ATTRIBUTES).map(([name, type]) => [name, types[`INDEXED_VALUE_TYPE_${type}`]])),
  });
  worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await bundle(), activities: fakes.activities });
  running = worker.run();
});
afterAll(async () => {
  worker?.shutdown();
  await running;
  await env?.teardown();
});

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
