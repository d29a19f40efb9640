/**
 * What a conversation's `conversation.closed` event tells the flow drop-off figures: the nodes it
 * visited, the edges it followed, where it was when it closed and who had it — for a close by the
 * idle timer with the bot in charge, after a handoff node, and after a handoff keyword (placed at
 * the question the contact was asked). On the time-skipping server, without waiting.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { conversationWorkflowId } from '../../core/ids';
import type { ValidGraph } from '../../core/graph/schema';
import { inboundSignal } from '../../workflows/messages';
import { createFakes } from './support/fakes';
import { startTimeSkipping, type TimeSkipping } from './support/time-skipping';
import { conversationInput, flow } from './support/flows';

let env: TestWorkflowEnvironment;
let server: TimeSkipping;
let taskQueue: string;
const fakes = createFakes();

beforeAll(async () => {
  server = await startTimeSkipping('dropoff', fakes);
  env = server.env;
  taskQueue = server.taskQueue;
});
afterAll(() => server?.close());

/** Runs a conversation through the contact's messages until the idle timer closes it; the close event's data. */
async function closeData(graph: ValidGraph, texts: string[]) {
  const input = conversationInput(graph);
  const workflowId = conversationWorkflowId(input.tenantId, input.conversationId);
  const send = (text: string) => env.client.workflow.signalWithStart('conversation', { workflowId, taskQueue, args: [input], signal: inboundSignal, signalArgs: [{ text }] });
  const handle = await send(texts[0]!);
  for (const text of texts.slice(1)) await send(text);
  await handle.result();
  const closes = fakes.of(workflowId, 'emitEvent').filter((e) => e.input.type === 'conversation.closed');
  expect(closes).toHaveLength(1);
  return closes[0]!.input.data;
}

const nodes = [
  { id: 'start', type: 'start' },
  { id: 'email', type: 'ask', data: { prompt: 'Your e-mail?', variable: 'email', inputType: 'email', timeoutSeconds: 120 } },
  { id: 'thanks', type: 'sendMessage', data: { text: 'Thanks!' } },
  { id: 'nudge', type: 'sendMessage', data: { text: 'Still there?' } },
  { id: 'human', type: 'handoff', data: { message: 'A colleague will answer.' } },
  { id: 'end', type: 'end' },
];
const edges: [string, string, string?][] = [['start', 'email'], ['email', 'thanks'], ['email', 'nudge', 'timeout'], ['thanks', 'human'], ['nudge', 'end']];
const settings = { idleTimeoutMinutes: 30, handoffKeywords: ['agent'] };

it('reports the path and the last node of a conversation the bot had when it idled out', async () => {
  const data = await closeData(flow(nodes, edges, settings), ['hi']);
  expect(data).toMatchObject({
    reason: 'idle',
    // The ask timed out, the nudge was said and the walk ended at End.
    nodeId: 'end',
    statusBefore: 'bot',
    handoffNodeId: null,
    visitedNodeIds: ['start', 'email', 'nudge', 'end'],
    followedEdgeIds: ['start-next', 'email-timeout', 'nudge-next'],
  });
});

it('reports the handoff node of a conversation handed to a human', async () => {
  expect(await closeData(flow(nodes, edges, settings), ['hi', 'me@example.com'])).toMatchObject({
    nodeId: 'human',
    statusBefore: 'waiting',
    handoffNodeId: 'human',
    visitedNodeIds: ['start', 'email', 'thanks', 'human'],
    followedEdgeIds: ['start-next', 'email-next', 'thanks-next'],
  });
});

it('places a keyword handoff at the question the contact was at', async () => {
  expect(await closeData(flow(nodes, edges, settings), ['hi', 'I want an agent'])).toMatchObject({
    nodeId: 'email',
    statusBefore: 'waiting',
    handoffNodeId: 'email',
    visitedNodeIds: ['start', 'email'],
  });
});
