import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { randomUUID } from 'node:crypto';
import { flowRunWorkflowId } from '../../core/ids';
import type { flowRun } from '../../workflows/flowRun';
import { flowRunStateQuery, resumeSignal, type FlowRunInput } from '../../workflows/messages';
import { flow, flowRunInput } from './support/flows';
import { eventually, startHarness, type Harness } from './support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(inject('temporalAddress'), 'flowrun');
});
afterAll(async () => h?.close());
beforeEach(() => h.fakes.reset());

const start = (input: FlowRunInput) =>
  h.client.workflow.start<typeof flowRun>('flowRun', { workflowId: flowRunWorkflowId(input.tenantId, randomUUID()), taskQueue: h.taskQueue, args: [input] });

/** start → api (httpRequest, error edge optional) → ok/failed messages → end */
const apiFlow = (withErrorEdge: boolean) =>
  flow(
    [
      { id: 'start', type: 'start' },
      { id: 'api', type: 'httpRequest', data: { url: 'https://api.test/orders/{{orderId}}', headers: { 'x-tenant': '{{tenant}}' }, responseMapping: { total: 'body.total' } } },
      { id: 'ok', type: 'sendMessage', data: { text: 'Total: {{total}}' } },
      ...(withErrorEdge ? [{ id: 'down', type: 'sendMessage', data: { text: 'The order service is down.' } }] : []),
      { id: 'end', type: 'end' },
    ],
    [['start', 'api'], ['api', 'ok'], ['ok', 'end'], ...(withErrorEdge ? ([['api', 'down', 'error'], ['down', 'end']] as [string, string, string?][]) : [])],
  );

describe('flowRun workflow', () => {
  it('turns input into output through variables and templates', async () => {
    const graph = flow(
      [
        { id: 'start', type: 'start' },
        { id: 'total', type: 'setVariable', data: { variable: 'total', expression: 'price * qty' } },
        { id: 'label', type: 'setVariable', data: { variable: 'label', value: '{{qty}}x {{item}}' } },
        { id: 'big', type: 'condition', data: { expression: 'total > 100' } },
        { id: 'say', type: 'sendMessage', data: { text: 'Big order: {{label}} = {{total}}' } },
        { id: 'end', type: 'end', data: { message: 'Done' } },
      ],
      [['start', 'total'], ['total', 'label'], ['label', 'big'], ['big', 'say', 'true'], ['big', 'end', 'false'], ['say', 'end']],
      { variables: { currency: 'EUR' } },
    );
    const handle = await start(flowRunInput(graph, { price: 30, qty: 4, item: 'mugs' }));
    const out = await handle.result();
    expect(out).toEqual({
      status: 'completed',
      variables: { currency: 'EUR', price: 30, qty: 4, item: 'mugs', total: 120, label: '4x mugs' },
      messages: [
        { nodeId: 'say', text: 'Big order: 4x mugs = 120' },
        { nodeId: 'end', text: 'Done' },
      ],
    });
    expect(h.fakes.of(handle.workflowId, 'emitEvent').map((e) => e.input.type)).toEqual(['run.completed']);
  });

  it('waits for resume at an ask and uses the answer', async () => {
    const graph = flow(
      [
        { id: 'start', type: 'start' },
        { id: 'confirm', type: 'ask', data: { prompt: 'Send the invoice?', variable: 'ok', inputType: 'yesno' } },
        { id: 'ai', type: 'llmReply', data: { allowHandoff: false } },
        { id: 'end', type: 'end' },
      ],
      [['start', 'confirm'], ['confirm', 'ai'], ['ai', 'end']],
    );
    const handle = await start(flowRunInput(graph));
    const waiting = await eventually(async () => {
      const s = await handle.query(flowRunStateQuery);
      return s.status === 'waiting' ? s : undefined;
    });
    expect(waiting.currentNodeId).toBe('confirm');
    await handle.signal(resumeSignal, { text: 'maybe' });
    await handle.signal(resumeSignal, { text: 'Yes!' });
    const out = await handle.result();
    expect(out.status).toBe('completed');
    expect(out.variables.ok).toBe(true);
    expect(out.messages.map((m) => m.text)).toEqual(['Send the invoice?', 'Please answer yes or no.', 'LLM answer']);
    // The model sees what the run said and the replies it got.
    const llm = h.fakes.of(handle.workflowId, 'llmChat')[0].input;
    expect(llm.messages.slice(1).map((m: { role: string }) => m.role)).toEqual(['assistant', 'user', 'assistant', 'user']);
    expect(llm.tools).toEqual([]);
    expect(llm.conversationId).toBeUndefined();
  });

  it('follows the error edge of a failed HTTP request', async () => {
    h.fakes.impl.httpRequest = async () => ({ ok: false, status: 503, variables: {}, error: 'HTTP 503' });
    const handle = await start(flowRunInput(apiFlow(true), { orderId: 7, tenant: 'acme' }));
    const out = await handle.result();
    expect(out.status).toBe('completed');
    expect(out.messages).toEqual([{ nodeId: 'down', text: 'The order service is down.' }]);
    const call = h.fakes.of(handle.workflowId, 'httpRequest')[0];
    expect(call.activityId).toMatch(/^api#\d+$/);
    expect(call.input).toMatchObject({ nodeId: 'api', method: 'GET', url: 'https://api.test/orders/7', headers: { 'x-tenant': 'acme' }, responseMapping: { total: 'body.total' } });
    const trace = (await handle.query(flowRunStateQuery)).trace;
    expect(trace.find((t) => t.nodeId === 'api')).toMatchObject({ handle: 'error', output: { status: 503, error: 'HTTP 503' } });
  });

  it('merges mapped variables on success', async () => {
    h.fakes.impl.httpRequest = async () => ({ ok: true, status: 200, variables: { total: 99 } });
    const out = await (await start(flowRunInput(apiFlow(true), { orderId: 1 }))).result();
    expect(out.messages).toEqual([{ nodeId: 'ok', text: 'Total: 99' }]);
  });

  it('fails the run at the node when there is no error edge', async () => {
    h.fakes.impl.httpRequest = async () => ({ ok: false, status: 0, variables: {}, error: 'host not allowed' });
    const handle = await start(flowRunInput(apiFlow(false), { orderId: 1 }));
    const out = await handle.result();
    expect(out).toMatchObject({ status: 'failed', error: { nodeId: 'api', message: 'HTTP request failed: host not allowed' }, messages: [] });
    expect((await handle.query(flowRunStateQuery)).status).toBe('failed');
    expect(h.fakes.of(handle.workflowId, 'emitEvent').map((e) => e.input.type)).toEqual(['run.failed']);
  });

  it('reports a loop that never waits as a node failure', async () => {
    const graph = flow(
      [
        { id: 'start', type: 'start' },
        { id: 'inc', type: 'setVariable', data: { variable: 'n', expression: 'number(n) + 1' } },
        { id: 'again', type: 'condition', data: { expression: 'n < 1000' } },
        { id: 'end', type: 'end' },
      ],
      [['start', 'inc'], ['inc', 'again'], ['again', 'inc', 'true'], ['again', 'end', 'false']],
    );
    const out = await (await start(flowRunInput(graph, { n: 0 }))).result();
    expect(out.status).toBe('failed');
    expect(out.error?.message).toMatch(/the flow loops/);
  });
});
