/** Flow lifecycle, automation runs, run listing and history, tenant isolation and OpenAPI. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedServers } from '../support/shared-servers';
import { askingAutomation, automationFlow, receptionFlow } from '../support/flows';
import { startStack, type Stack } from '../support/stack';
import { waitUntil } from '../support/wait';

let stack: Stack;
let tenantA: { apiKey: string; tenantId: string };
let tenantB: { apiKey: string; tenantId: string };

beforeAll(async () => {
  stack = await startStack(sharedServers());
  tenantA = await stack.createTenant();
  tenantB = await stack.createTenant();
});

afterAll(async () => {
  await stack?.close();
});

async function publishedFlow(apiKey: string, graph: unknown, name = 'Flow') {
  const created = await stack.request('POST', '/v1/flows', { apiKey, body: { name, graph } });
  expect(created.status).toBe(201);
  const published = await stack.request('POST', `/v1/flows/${created.body.id}/publish`, { apiKey });
  expect(published.status).toBe(201);
  return created.body.id as string;
}

describe('flows', () => {
  it('saves drafts, validates with node ids, refuses to publish errors, and versions immutably', async () => {
    const broken = structuredClone(receptionFlow);
    broken.nodes.push({ id: 'orphan', type: 'sendMessage', data: { text: 'never reached' } });
    (broken.nodes.find((n) => n.id === 'askName')!.data as any).inputType = 'choice';

    const created = await stack.request('POST', '/v1/flows', { apiKey: tenantA.apiKey, body: { name: 'Draft', graph: broken } });
    expect(created.status).toBe(201);
    const id = created.body.id;

    const validation = await stack.request('POST', `/v1/flows/${id}/validate`, { apiKey: tenantA.apiKey });
    expect(validation.body.valid).toBe(false);
    const nodeIds = validation.body.errors.map((e: any) => e.nodeId);
    expect(nodeIds).toContain('orphan');
    expect(nodeIds).toContain('askName');

    const refused = await stack.request('POST', `/v1/flows/${id}/publish`, { apiKey: tenantA.apiKey });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('flow_invalid');

    expect((await stack.request('PUT', `/v1/flows/${id}`, { apiKey: tenantA.apiKey, body: { graph: receptionFlow } })).status).toBe(200);
    expect((await stack.request('POST', `/v1/flows/${id}/validate`, { apiKey: tenantA.apiKey })).body).toEqual({ valid: true, errors: [] });
    expect((await stack.request('POST', `/v1/flows/${id}/publish`, { apiKey: tenantA.apiKey, body: { note: 'v1' } })).body.version).toBe(1);
    expect((await stack.request('POST', `/v1/flows/${id}/publish`, { apiKey: tenantA.apiKey })).body.version).toBe(2);

    const detail = await stack.request('GET', `/v1/flows/${id}`, { apiKey: tenantA.apiKey });
    expect(detail.body.versions.map((v: any) => v.version)).toEqual([2, 1]);
    expect(detail.body.latestVersion).toBe(2);
    const list = await stack.request('GET', '/v1/flows', { apiKey: tenantA.apiKey });
    expect(list.body.flows.find((f: any) => f.id === id).latestVersion).toBe(2);

    const missingName = await stack.request('POST', '/v1/flows', { apiKey: tenantA.apiKey, body: { graph: receptionFlow } });
    expect(missingName.status).toBe(400);
    expect(missingName.body.error.field).toBe('name');
    const badGraph = await stack.request('POST', '/v1/flows', { apiKey: tenantA.apiKey, body: { name: 'x', graph: { nodes: 'nope', edges: [] } } });
    expect(badGraph.status).toBe(400);
    expect(badGraph.body.error.field).toBe('graph.nodes');
  });
});

describe('automation runs', () => {
  it('runs input to output, is idempotent on the key, and shows its history by node', async () => {
    const flowId = await publishedFlow(tenantA.apiKey, automationFlow, 'Orders');
    const body = { input: { orderId: 'A-17', amount: 250 }, idempotencyKey: `order-A-17-${Date.now()}` };
    const first = await stack.request('POST', `/v1/flows/${flowId}/runs`, { apiKey: tenantA.apiKey, body });
    expect(first.status).toBe(202);
    expect(first.body.created).toBe(true);
    const again = await stack.request('POST', `/v1/flows/${flowId}/runs`, { apiKey: tenantA.apiKey, body });
    expect(again.body).toMatchObject({ runId: first.body.runId, created: false });

    await waitUntil(async () => (await stack.request('GET', `/v1/runs/${first.body.runId}`, { apiKey: tenantA.apiKey })).body.status === 'completed');
    const run = await stack.request('GET', `/v1/runs/${first.body.runId}`, { apiKey: tenantA.apiKey });
    expect(run.body.output).toMatchObject({ status: 'completed', variables: { tier: 'gold' }, messages: [{ nodeId: 'tell', text: 'Order A-17 is gold' }] });

    const history = await stack.request('GET', `/v1/runs/${encodeURIComponent(first.body.workflowId)}/history`, { apiKey: tenantA.apiKey });
    expect(history.status).toBe(200);
    expect(history.body).toMatchObject({ status: 'completed', traceRead: true });
    expect(history.body.visits.map((v: any) => v.nodeId)).toEqual(['start', 'vip', 'big', 'tell', 'done']);
    const visited = history.body.nodes.map((n: any) => n.nodeId);
    expect(visited).toEqual(expect.arrayContaining(['start', 'vip', 'big', 'tell', 'done']));
    expect(visited).not.toContain('small');

    await waitUntil(async () => {
      const list = await stack.request('GET', `/v1/runs?flowId=${flowId}&type=flowRun`, { apiKey: tenantA.apiKey });
      return list.body.runs.some((r: any) => r.workflowId === first.body.workflowId && r.status === 'completed');
    });
    const other = await stack.request('GET', `/v1/runs?flowId=${flowId}`, { apiKey: tenantB.apiKey });
    expect(other.body.runs).toEqual([]);
  });
});

describe('automation runs that ask', () => {
  it('waits on an ask node until resumed through the API', async () => {
    const flowId = await publishedFlow(tenantA.apiKey, askingAutomation, 'Approval');
    const started = await stack.request('POST', `/v1/flows/${flowId}/runs`, { apiKey: tenantA.apiKey, body: { input: { item: 'laptop' } } });
    const runUrl = `/v1/runs/${started.body.runId}`;
    await waitUntil(async () => (await stack.request('GET', runUrl, { apiKey: tenantA.apiKey })).body.state?.status === 'waiting');

    const wrongTenant = await stack.request('POST', `${runUrl}/resume`, { apiKey: tenantB.apiKey, body: { text: 'yes' } });
    expect(wrongTenant.status).toBe(404);
    const resumed = await stack.request('POST', `${runUrl}/resume`, { apiKey: tenantA.apiKey, body: { text: 'yes' } });
    expect(resumed.status).toBe(202);
    await waitUntil(async () => (await stack.request('GET', runUrl, { apiKey: tenantA.apiKey })).body.status === 'completed');
    const run = await stack.request('GET', runUrl, { apiKey: tenantA.apiKey });
    expect(run.body.output.variables).toMatchObject({ item: 'laptop', approved: true });
    expect(run.body.output.messages.map((m: any) => m.text)).toEqual(['Approve the laptop?', 'Approved: laptop']);

    const again = await stack.request('POST', `${runUrl}/resume`, { apiKey: tenantA.apiKey, body: { text: 'yes' } });
    expect(again.status).toBe(409);
    expect(again.body.error.field).toBe('runId');
  });
});

describe('tenant isolation', () => {
  it('never lets one tenant read or write another tenant’s data', async () => {
    const flowId = await publishedFlow(tenantA.apiKey, automationFlow, 'Private');
    const conv = await stack.request('POST', '/v1/conversations', { apiKey: tenantA.apiKey, body: { flowId } });
    expect(conv.status).toBe(201);
    const b = tenantB.apiKey;
    expect((await stack.request('GET', `/v1/flows/${flowId}`, { apiKey: b })).status).toBe(404);
    expect((await stack.request('PUT', `/v1/flows/${flowId}`, { apiKey: b, body: { name: 'stolen' } })).status).toBe(404);
    expect((await stack.request('POST', `/v1/flows/${flowId}/publish`, { apiKey: b })).status).toBe(404);
    expect((await stack.request('POST', `/v1/flows/${flowId}/runs`, { apiKey: b, body: {} })).status).toBe(404);
    expect((await stack.request('POST', '/v1/conversations', { apiKey: b, body: { flowId } })).status).toBe(404);
    expect((await stack.request('GET', `/v1/conversations/${conv.body.id}`, { apiKey: b })).status).toBe(404);
    expect((await stack.request('GET', `/v1/conversations/${conv.body.id}/messages`, { apiKey: b })).status).toBe(404);
    expect((await stack.request('POST', `/v1/conversations/${conv.body.id}/messages`, { apiKey: b, body: { text: 'hi' } })).status).toBe(404);
    expect((await stack.request('POST', `/v1/conversations/${conv.body.id}/takeover`, { apiKey: b })).status).toBe(404);
    expect((await stack.request('POST', '/v1/chat/sessions', { apiKey: b, body: { conversationId: conv.body.id } })).status).toBe(404);
    expect((await stack.request('GET', `/v1/runs/${encodeURIComponent(conv.body.workflowId)}/history`, { apiKey: b })).status).toBe(404);
    expect((await stack.request('GET', `/v1/runs/${encodeURIComponent(conv.body.workflowId)}`, { apiKey: b })).status).toBe(404);
    const flowsB = await stack.request('GET', '/v1/flows', { apiKey: b });
    expect(flowsB.body.flows.map((f: any) => f.id)).not.toContain(flowId);
    const convsB = await stack.request('GET', '/v1/conversations', { apiKey: b });
    expect(convsB.body.conversations.map((c: any) => c.id)).not.toContain(conv.body.id);
  });
});

describe('system routes', () => {
  it('reports health of every part and serves the OpenAPI document', async () => {
    const health = await stack.request('GET', '/health');
    expect(health.body).toEqual({ status: 'ok', temporal: 'ok', db: 'ok', redis: 'ok' });
    // Under npm start the supervisor's state file adds each process it runs.
    const stateFile = join(mkdtempSync(join(tmpdir(), 'health-')), 'supervisor.json');
    const worker = { state: 'restarting', restarts: 2, lastExit: 'SIGKILL', since: '2026-12-03T08:00:00.000Z' };
    writeFileSync(stateFile, JSON.stringify({ pid: 1, parts: { worker } }));
    stack.config.SUPERVISOR_STATE_FILE = stateFile;
    try {
      expect((await stack.request('GET', '/health')).body).toEqual({ status: 'ok', temporal: 'ok', db: 'ok', redis: 'ok', supervised: { worker } });
      writeFileSync(stateFile, '{"parts":');
      expect((await stack.request('GET', '/health')).body).toEqual({ status: 'ok', temporal: 'ok', db: 'ok', redis: 'ok' });
    } finally {
      delete stack.config.SUPERVISOR_STATE_FILE;
    }
    const doc = await stack.request('GET', '/docs/json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    for (const path of ['/v1/flows', '/v1/flows/{id}/publish', '/v1/conversations/{id}/messages', '/v1/runs/{workflowId}/history', '/v1/chat/sessions']) {
      expect(Object.keys(doc.body.paths)).toContain(path);
    }
    expect(doc.body.paths['/v1/flows'].post.requestBody.content['application/json'].schema.required).toContain('name');
  });
});
