/**
 * `flowRun` recordings: one automation run through every node type (the ask answered and the
 * handoff released by `resume`, the model's tool round trip over retrieved passages, an HTTP
 * success and an error edge), and a run that fails on an HTTP node without an error edge.
 */
import { randomUUID } from 'node:crypto';
import { flowRunWorkflowId } from '../../../core/ids';
import type { flowRun } from '../../../workflows/flowRun';
import { flowRunStateQuery, resumeSignal, type FlowRunState } from '../../../workflows/messages';
import { flow, flowRunInput } from '../../workflows/support/flows';
import { eventually, type Harness } from '../../workflows/support/harness';
import { knowledgeFinds, modelUsingTools, passage, toolCall } from './model';
import { expectPath, type RecordContext, type Recorder } from './types';

export async function startRun(h: Harness, graph: ReturnType<typeof flow>, input: Record<string, unknown>) {
  return h.client.workflow.start<typeof flowRun>('flowRun', {
    workflowId: flowRunWorkflowId('t1', randomUUID()),
    taskQueue: h.taskQueue,
    args: [flowRunInput(graph, input)],
  });
}

type Run = Awaited<ReturnType<typeof startRun>>;
export const waitingAt = (run: Run, nodeId: string) =>
  eventually(async () => {
    const s: FlowRunState = await run.query(flowRunStateQuery);
    return s.status === 'waiting' && s.currentNodeId === nodeId ? true : undefined;
  });

const allNodesFlow = () =>
  flow(
    [
      { id: 'start', type: 'start' },
      { id: 'label', type: 'setVariable', data: { variable: 'label', value: 'order {{order}}' } },
      { id: 'big', type: 'condition', data: { expression: 'amount > 100' } },
      { id: 'lookup', type: 'httpRequest', data: { method: 'POST', url: 'https://api.test/orders', body: '{"order":"{{order}}"}', responseMapping: { orderStatus: 'body.status' } } },
      { id: 'pause', type: 'wait', data: { seconds: 1 } },
      { id: 'note', type: 'sendMessage', data: { text: 'Checking {{label}}: {{orderStatus}}' } },
      { id: 'confirm', type: 'ask', data: { prompt: 'Refund {{label}}?', variable: 'ok', inputType: 'yesno' } },
      { id: 'desk', type: 'handoff', data: { message: 'A person approves refunds.', reason: 'refund over 100' } },
      {
        id: 'assistant',
        type: 'llmReply',
        data: { allowHandoff: false, knowledgeBaseIds: ['kb-1'], tools: [{ name: 'refund', description: 'Issues a refund', url: 'https://api.test/tools/refund' }] },
      },
      { id: 'notify', type: 'httpRequest', data: { method: 'POST', url: 'https://api.test/notify', body: '{{label}}' } },
      { id: 'notifyFailed', type: 'sendMessage', data: { text: 'Could not notify the warehouse.' } },
      { id: 'end', type: 'end', data: { message: 'Done with {{label}}.' } },
    ],
    [
      ['start', 'label'],
      ['label', 'big'],
      ['big', 'lookup', 'true'],
      ['big', 'end', 'false'],
      ['lookup', 'pause'],
      ['pause', 'note'],
      ['note', 'confirm'],
      ['confirm', 'desk'],
      ['desk', 'assistant'],
      ['assistant', 'notify'],
      ['notify', 'end'],
      ['notify', 'notifyFailed', 'error'],
      ['notifyFailed', 'end'],
    ],
  );

async function recordAllNodes(ctx: RecordContext) {
  const { h } = ctx;
  h.fakes.impl.httpRequest = async ({ url }) =>
    url.endsWith('/notify') ? { ok: false, status: 503, variables: {}, error: 'HTTP 503' } : { ok: true, status: 200, variables: { orderStatus: 'delivered' } };
  modelUsingTools(h.fakes, [toolCall('call_r', 'refund', { order: 'A1' })], 'Refunded per the policy [1].');
  knowledgeFinds(h.fakes, [passage('Refunds over 100 need approval.', 'Refund policy')]);
  const run = await startRun(h, allNodesFlow(), { order: 'A1', amount: 150 });
  await waitingAt(run, 'confirm');
  await run.signal(resumeSignal, { text: 'yes' });
  await waitingAt(run, 'desk');
  await run.signal(resumeSignal, { text: 'approved' });
  const output = await run.result();
  expectPath(output.status === 'completed' && output.messages.some((m) => m.nodeId === 'notifyFailed'), 'every node, the notify error edge');
  await ctx.save('flowrun-nodes', run.workflowId);
}

async function recordFailed(ctx: RecordContext) {
  ctx.h.fakes.impl.httpRequest = async () => ({ ok: false, status: 500, variables: {}, error: 'HTTP 500' });
  const graph = flow(
    [
      { id: 'start', type: 'start' },
      { id: 'charge', type: 'httpRequest', data: { method: 'POST', url: 'https://api.test/charge' } },
      { id: 'end', type: 'end' },
    ],
    [['start', 'charge'], ['charge', 'end']],
  );
  const run = await startRun(ctx.h, graph, {});
  expectPath((await run.result()).status === 'failed', 'the run failed on charge');
  await ctx.save('flowrun-failed', run.workflowId);
}

export const flowRunRecorders: Record<string, Recorder> = {
  'flowrun-nodes': { record: recordAllNodes },
  'flowrun-failed': { record: recordFailed },
};
