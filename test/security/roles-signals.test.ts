/**
 * `POST /v1/runs/:runId/signal` carries the role rules of the routes that send each signal: a
 * builder (who may operate runs) cannot act as an agent through it, though it may still send what
 * its own routes allow (`inbound`, like POST …/messages).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationWorkflowId } from '../../core/ids';
import { signedIn, type ConsoleClient } from '../console-api/support';
import { llmOnlyFlow } from '../support/flows';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let apiKey: string;
let tenantId: string;
let runId: string;

beforeAll(async () => {
  // No worker: signals are accepted by Temporal whether or not a worker runs the workflow.
  stack = await startStack({ ...sharedServers(), worker: false });
  ({ apiKey, tenantId } = await stack.createTenant());
  const flow = await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'Signals', graph: llmOnlyFlow } });
  expect((await stack.request('POST', `/v1/flows/${flow.body.id}/publish`, { apiKey })).status).toBe(201);
  const session = await stack.request('POST', '/v1/chat/sessions', { apiKey, body: { flowId: flow.body.id } });
  expect(session.status).toBe(201);
  runId = conversationWorkflowId(tenantId, session.body.conversationId);
});

afterAll(async () => {
  await stack?.close();
});

const signal = (c: ConsoleClient, name: string, args: unknown[] = []) =>
  c.request('POST', `/v1/runs/${encodeURIComponent(runId)}/signal`, { body: { name, args } });

describe('signals through the run route', () => {
  it('refuses a builder the agent signals its dedicated routes refuse, and allows the rest', async () => {
    const builder = await signedIn(stack, apiKey, 'builder');
    // The dedicated route refuses the builder…
    const conversationId = runId.split(':')[2];
    expect((await builder.request('POST', `/v1/conversations/${conversationId}/agent-messages`, { body: { text: 'hi' } })).status).toBe(403);
    // …and so does the signal route, for each agent signal.
    for (const [name, args] of [
      ['agentMessage', [{ text: 'I am the agent now', agent: 'Someone Else' }]],
      ['takeOver', [{ agent: 'Someone Else' }]],
      ['release', []],
      ['close', []],
    ] as const) {
      const res = await signal(builder, name, [...args]);
      expect(res.status, name).toBe(403);
      expect(res.body.error, name).toMatchObject({ code: 'forbidden', field: 'name' });
    }
    // A contact message is the builder's to send (POST /v1/conversations/:id/messages allows it).
    expect((await signal(builder, 'inbound', [{ text: 'hello', clientId: 'c-1' }])).status).toBe(202);
    // A signal the workflow does not handle is refused as such.
    expect((await signal(builder, 'nonsense')).status).toBe(400);
  });

  it('lets an admin send agent signals; agents and viewers cannot use the run route at all', async () => {
    const [admin, agent, viewer] = await Promise.all((['admin', 'agent', 'viewer'] as const).map((r) => signedIn(stack, apiKey, r)));
    expect((await signal(admin, 'takeOver', [{ agent: 'Admin' }])).status).toBe(202);
    expect((await signal(agent, 'release')).status).toBe(403);
    expect((await signal(viewer, 'release')).status).toBe(403);
    expect((await stack.request('POST', `/v1/runs/${encodeURIComponent(runId)}/signal`, { apiKey, body: { name: 'release', args: [] } })).status).toBe(202);
  });
});
