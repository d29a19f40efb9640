/**
 * Runs from the console: filters through Temporal visibility, the executed graph, the raw history
 * download, and cancel / terminate / signal / reset-to-node on the real Temporal server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphInput } from '../../core/graph/schema';
import { sharedServers } from '../support/shared-servers';
import { askingAutomation, automationFlow } from '../support/flows';
import { startStack, type Stack } from '../support/stack';
import { waitUntil } from '../support/wait';
import { signedIn } from './support';
import { resetTargets } from '../../console/src/pages/runs/reset';

let stack: Stack;
let apiKey: string;

/** The model (offline here) answers, then the run waits for approval: a node with an activity before a wait. */
const answerThenAsk: GraphInput = {
  nodes: [
    { id: 'start', type: 'start', data: {} },
    { id: 'answer', type: 'llmReply', data: { systemPrompt: 'Summarize the order.', allowHandoff: false } },
    { id: 'approve', type: 'ask', data: { prompt: 'Approve?', variable: 'approved', inputType: 'yesno' } },
    { id: 'done', type: 'end', data: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'answer' },
    { id: 'e2', source: 'answer', target: 'approve' },
    { id: 'e3', source: 'approve', target: 'done' },
  ],
};

async function publish(name: string, graph: GraphInput) {
  const created = await stack.request('POST', '/v1/flows', { apiKey, body: { name, graph } });
  expect((await stack.request('POST', `/v1/flows/${created.body.id}/publish`, { apiKey })).status).toBe(201);
  return created.body.id as string;
}

async function startRun(flowId: string, input: Record<string, unknown> = {}) {
  const res = await stack.request('POST', `/v1/flows/${flowId}/runs`, { apiKey, body: { input } });
  expect(res.status).toBe(202);
  return res.body as { runId: string; workflowId: string };
}

const runStatus = async (runId: string) => (await stack.request('GET', `/v1/runs/${runId}`, { apiKey })).body;
const waiting = (runId: string) => waitUntil(async () => (await runStatus(runId)).state?.status === 'waiting', 15_000, `${runId} waiting`);

beforeAll(async () => {
  stack = await startStack(sharedServers());
  ({ apiKey } = await stack.createTenant());
});

afterAll(async () => {
  await stack?.close();
});

describe('listing and reading runs', () => {
  it('filters by flow, type, status and start time; shows the graph and the raw history', async () => {
    const before = new Date(Date.now() - 1000).toISOString();
    const automation = await publish('Automation', automationFlow);
    const asking = await publish('Asking', askingAutomation);
    const done = await startRun(automation, { amount: 150, orderId: 'A1' });
    const open = await startRun(asking, { item: 'laptop' });
    await waitUntil(async () => (await runStatus(done.runId)).status === 'completed', 15_000, 'completed');
    await waiting(open.runId);

    const builder = await signedIn(stack, apiKey, 'builder');
    const list = async (q: string) => (await builder.request('GET', `/v1/runs?${q}`)).body.runs.map((r: any) => r.workflowId);
    await waitUntil(async () => (await list(`flowId=${automation}&status=completed`)).length === 1, 15_000, 'visibility');
    expect(await list(`flowId=${automation}&status=completed`)).toEqual([done.workflowId]);
    expect(await list(`flowId=${asking}&status=running`)).toEqual([open.workflowId]);
    expect(await list(`flowId=${asking}&status=completed`)).toEqual([]);
    // A stage the workflow reports is a filter too (the run waits on its ask node).
    await waitUntil(async () => (await list(`flowId=${asking}&status=waiting`)).length === 1, 15_000, 'stage in visibility');
    expect(await list(`flowId=${asking}&status=waiting`)).toEqual([open.workflowId]);
    expect(await list(`flowId=${automation}&status=waiting`)).toEqual([]);
    expect((await builder.request('GET', `/v1/runs?flowId=${asking}`)).body.runs[0].stage).toBe('waiting');
    expect(await list(`type=flowRun&from=${encodeURIComponent(before)}`)).toEqual(expect.arrayContaining([done.workflowId, open.workflowId]));
    expect(await list(`type=flowRun&to=${encodeURIComponent(before)}`)).toEqual([]);
    expect(await list('type=conversation')).toEqual([]);
    expect((await builder.request('GET', '/v1/runs?from=yesterday')).body.error.field).toBe('from');
    const paged = await builder.request('GET', '/v1/runs?limit=1');
    expect(paged.body.runs).toHaveLength(1);
    expect((await builder.request('GET', `/v1/runs?limit=1&pageToken=${paged.body.nextCursor}`)).body.runs).toHaveLength(1);

    const graph = await builder.request('GET', `/v1/runs/${done.runId}/graph`);
    expect(graph.body).toMatchObject({ flowId: automation, version: 1 });
    expect(graph.body.graph.nodes.map((n: any) => n.id)).toEqual(['start', 'vip', 'big', 'small', 'tell', 'done']);

    const raw = await builder.request('GET', `/v1/runs/${encodeURIComponent(done.workflowId)}/history/raw`);
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-disposition')).toMatch(/^attachment; filename="run_.+\.history\.json"$/);
    expect(raw.body.events[0].eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_STARTED');
    expect(raw.body.events.at(-1).eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED');

    const other = await stack.createTenant();
    expect((await stack.request('GET', `/v1/runs/${encodeURIComponent(done.workflowId)}/history/raw`, { apiKey: other.apiKey })).status).toBe(404);
    expect((await stack.request('GET', `/v1/runs/${encodeURIComponent(done.workflowId)}/graph`, { apiKey: other.apiKey })).status).toBe(404);
  });

  it('describes any kind of run by its workflow id: a conversation has its state, no output', async () => {
    const flowId = await publish('Chat', answerThenAsk);
    const conversation = await stack.request('POST', '/v1/conversations', { apiKey, body: { flowId } });
    await stack.request('POST', `/v1/conversations/${conversation.body.id}/messages`, { apiKey, body: { text: 'hello' } });
    const workflowId = conversation.body.workflowId as string;
    const described = await stack.request('GET', `/v1/runs/${encodeURIComponent(workflowId)}`, { apiKey });
    expect(described.status).toBe(200);
    expect(described.body).toMatchObject({ workflowId, type: 'conversation', status: 'running', output: null, state: { flowId } });
    const automation = await startRun(await publish('Automation 2', automationFlow), { amount: 5, orderId: 'B2' });
    expect((await runStatus(automation.runId)).type).toBe('flowRun');
  });
});

describe('run actions', () => {
  it('cancels, terminates and signals; refuses unknown signals, other roles and finished runs', async () => {
    const asking = await publish('Asking actions', askingAutomation);
    const [a, b, c] = [await startRun(asking, { item: 'a' }), await startRun(asking, { item: 'b' }), await startRun(asking, { item: 'c' })];
    await Promise.all([waiting(a.runId), waiting(b.runId), waiting(c.runId)]);
    const builder = await signedIn(stack, apiKey, 'builder');
    const agent = await signedIn(stack, apiKey, 'agent');
    expect((await agent.request('POST', `/v1/runs/${a.runId}/cancel`)).status).toBe(403);

    expect((await builder.request('POST', `/v1/runs/${a.runId}/cancel`)).status).toBe(202);
    await waitUntil(async () => (await runStatus(a.runId)).status === 'canceled', 15_000, 'canceled');
    expect((await builder.request('POST', `/v1/runs/${a.runId}/cancel`)).status).toBe(409);

    const terminated = await builder.request('POST', `/v1/runs/${b.runId}/terminate`, { body: { reason: 'duplicate order' } });
    expect(terminated.status).toBe(202);
    expect((await runStatus(b.runId)).status).toBe('terminated');
    expect((await runStatus(b.runId)).error).toBe('duplicate order');

    const unknown = await builder.request('POST', `/v1/runs/${c.runId}/signal`, { body: { name: 'takeOver', args: [] } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.field).toBe('name');
    expect((await builder.request('POST', `/v1/runs/${c.runId}/signal`, { body: { name: 'resume', args: [{ text: 'yes' }] } })).status).toBe(202);
    await waitUntil(async () => (await runStatus(c.runId)).status === 'completed', 15_000, 'completed after signal');
    expect((await runStatus(c.runId)).output.messages.map((m: any) => m.text)).toContain('Approved: c');
  });

  it('resets a run to the workflow task before a node’s first activity', async () => {
    const flowId = await publish('Reset', answerThenAsk);
    const run = await startRun(flowId);
    await waiting(run.runId);
    const builder = await signedIn(stack, apiKey, 'builder');
    const history = async () => (await builder.request('GET', `/v1/runs/${encodeURIComponent(run.workflowId)}/history/raw`)).body.events as any[];
    const firstRunEvents = await history();
    const firstRunId = firstRunEvents[0].workflowExecutionStartedEventAttributes.originalExecutionRunId;

    // The console offers the nodes the API can reset to, from the history it already shows.
    const grouped = (await builder.request('GET', `/v1/runs/${encodeURIComponent(run.workflowId)}/history`)).body;
    // Every visit in order, with the output each node left by (the console draws the path from it).
    expect(grouped.visits).toEqual([
      { nodeId: 'start', turn: expect.any(Number), handle: 'next' },
      { nodeId: 'answer', turn: expect.any(Number), handle: 'next' },
      { nodeId: 'approve', turn: expect.any(Number), handle: null },
    ]);
    const targets = resetTargets(grouped.nodes);
    expect(Object.fromEntries(targets.map((t) => [t.nodeId, !t.unavailable]))).toMatchObject({ start: false, answer: true, approve: false });
    // `start` and `approve` (ask) run no activity: nothing to reset to.
    for (const nodeId of ['start', 'approve']) {
      const none = await builder.request('POST', `/v1/runs/${run.runId}/reset`, { body: { nodeId } });
      expect(none.status).toBe(409);
      expect(none.body.error.field).toBe('nodeId');
    }

    const reset = await builder.request('POST', `/v1/runs/${run.runId}/reset`, { body: { nodeId: 'answer' } });
    expect(reset.status).toBe(202);
    expect(reset.body.runId).toBeTruthy();
    expect(reset.body.runId).not.toBe(firstRunId);
    await waiting(run.runId);
    // The new run failed the old workflow task (the reset point) and ran the model call again.
    const events = await history();
    expect(events.some((e) => e.eventType === 'EVENT_TYPE_WORKFLOW_TASK_FAILED' && /reset/i.test(JSON.stringify(e)))).toBe(true);
    const scheduled = events.filter((e) => e.eventType === 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED').map((e) => e.activityTaskScheduledEventAttributes.activityId);
    expect(scheduled).toEqual(['answer#1']);
    expect(events.some((e) => e.eventType === 'EVENT_TYPE_ACTIVITY_TASK_COMPLETED')).toBe(true);
    // And it carries on: answering the question completes the new run.
    expect((await stack.request('POST', `/v1/runs/${run.runId}/resume`, { apiKey, body: { text: 'yes' } })).status).toBe(202);
    await waitUntil(async () => (await runStatus(run.runId)).status === 'completed', 15_000, 'completed after reset');
  });
});
