/**
 * Builder additions: templates, the node catalogue, versions with restore, and "Try it" test
 * sessions whose node frames reach the chat socket — real API, worker, Temporal, PostgreSQL, Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateGraph } from '../../core/graph/validate';
import { FLOW_TEMPLATES } from '../../core/templates';
import { sharedServers } from '../support/shared-servers';
import { receptionFlow } from '../support/flows';
import { startStack, type Stack } from '../support/stack';
import { waitUntil } from '../support/wait';
import { ChatClient } from '../support/ws';
import { signedIn } from './support';

let stack: Stack;
let apiKey: string;

beforeAll(async () => {
  stack = await startStack(sharedServers());
  ({ apiKey } = await stack.createTenant());
});

afterAll(async () => {
  await stack?.close();
});

describe('templates and the node catalogue', () => {
  it('offers three templates that validate, and creates publishable flows from them', async () => {
    expect(FLOW_TEMPLATES.map((t) => t.id)).toEqual(['receptionist-faq', 'appointment-request', 'lead-capture']);
    for (const t of FLOW_TEMPLATES) expect(validateGraph(t.graph).errors).toEqual([]);

    const list = await stack.request('GET', '/v1/flow-templates', { apiKey });
    expect(list.status).toBe(200);
    expect(list.body.items.map((t: any) => t.id)).toEqual(['receptionist-faq', 'appointment-request', 'lead-capture']);
    for (const t of list.body.items) {
      const created = await stack.request('POST', '/v1/flows', { apiKey, body: { name: t.name, templateId: t.id } });
      expect(created.status).toBe(201);
      expect((await stack.request('POST', `/v1/flows/${created.body.id}/validate`, { apiKey })).body).toEqual({ valid: true, errors: [] });
      expect((await stack.request('POST', `/v1/flows/${created.body.id}/publish`, { apiKey })).status).toBe(201);
    }
    const unknown = await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'x', templateId: 'nope' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.field).toBe('templateId');
    expect((await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'x' } })).body.error.field).toBe('graph');
  });

  it('describes every node type with its outputs and the JSON Schema of its data', async () => {
    const res = await stack.request('GET', '/v1/node-catalogue', { apiKey });
    expect(res.status).toBe(200);
    const ask = res.body.items.find((n: any) => n.type === 'ask');
    expect(ask).toMatchObject({ label: 'Ask', category: 'messaging', outputs: ['next', 'invalid', 'timeout'], waitsForInput: true });
    expect(ask.dataSchema.type).toBe('object');
    expect(ask.dataSchema.required).toContain('prompt');
    expect(ask.dataSchema.properties.inputType.enum).toContain('email');
    expect(res.body.items.map((n: any) => n.type)).toContain('llmReply');
  });
});

describe('versions', () => {
  it('lists versions with their author, shows one, and restores it into the draft', async () => {
    const builder = await signedIn(stack, apiKey, 'builder');
    const created = await builder.request('POST', '/v1/flows', { body: { name: 'Versions', graph: receptionFlow } });
    const id = created.body.id;
    expect((await builder.request('POST', `/v1/flows/${id}/publish`, { body: { note: 'first' } })).status).toBe(201);
    const changed = structuredClone(receptionFlow) as any;
    changed.nodes[2].data.text = 'Welcome, {{name}}!';
    expect((await builder.request('PUT', `/v1/flows/${id}`, { body: { graph: changed } })).status).toBe(200);
    expect((await stack.request('POST', `/v1/flows/${id}/publish`, { apiKey, body: { note: 'second' } })).status).toBe(201);

    const versions = await builder.request('GET', `/v1/flows/${id}/versions`);
    expect(versions.body.items.map((v: any) => [v.version, v.note, v.createdBy])).toEqual([
      [2, 'second', 'api-key:test'],
      [1, 'first', builder.email],
    ]);
    const v1 = await builder.request('GET', `/v1/flows/${id}/versions/1`);
    expect(v1.body.graph.nodes[2].data.text).toBe('Nice to meet you, {{name}}!');
    expect((await builder.request('GET', `/v1/flows/${id}/versions/9`)).status).toBe(404);

    expect((await builder.request('POST', `/v1/flows/${id}/versions/1/restore`)).status).toBe(200);
    const flow = await builder.request('GET', `/v1/flows/${id}`);
    expect(flow.body.graph.nodes[2].data.text).toBe('Nice to meet you, {{name}}!');
    expect(flow.body.latestVersion).toBe(2);
  });
});

describe('test sessions', () => {
  it('runs the draft as a test conversation: node frames on the socket, left out of lists', async () => {
    const builder = await signedIn(stack, apiKey, 'builder');
    const created = await builder.request('POST', '/v1/flows', { body: { name: 'Try it', graph: receptionFlow } });
    const flowId = created.body.id;
    // Never published: the test runs the draft.
    const session = await builder.request('POST', `/v1/flows/${flowId}/test-sessions`, { body: {} });
    expect(session.status).toBe(201);
    const { conversationId, token } = session.body;

    const chat = await ChatClient.open(`${stack.url.replace('http', 'ws')}/v1/chat?token=${encodeURIComponent(token)}`);
    try {
      await chat.waitFor((f) => f.type === 'history');
      chat.send({ text: 'hi' });
      await chat.waitFor((f) => f.type === 'message' && f.message.text === 'Hello! What is your name?');
      chat.send({ text: 'Ada' });
      await chat.waitFor((f) => f.type === 'message' && f.message.text === 'How can I help you today?');
      const nodes = chat.frames.filter((f) => f.type === 'node').map((f) => `${f.nodeId}:${f.status}`);
      // askName waits (stays lit) on the first turn, finishes when answered on the second.
      expect(nodes).toEqual(['start:started', 'start:finished', 'askName:started', 'askName:started', 'askName:finished', 'greet:started', 'greet:finished', 'askQuestion:started']);
    } finally {
      chat.close();
    }

    const list = await builder.request('GET', '/v1/conversations');
    expect(list.body.conversations.map((c: any) => c.id)).not.toContain(conversationId);
    const withTests = await builder.request('GET', '/v1/conversations?includeTest=true');
    expect(withTests.body.conversations.find((c: any) => c.id === conversationId)).toMatchObject({ isTest: true, flowVersion: 0 });
    const graph = await builder.request('GET', `/v1/runs/${encodeURIComponent(`conv:${withTests.body.conversations[0].workflowId.split(':')[1]}:${conversationId}`)}/graph`);
    expect(graph.body).toMatchObject({ flowId, version: 0 });

    // Left out of the runs list unless asked for (visibility settles asynchronously).
    await waitUntil(async () => {
      const runs = await builder.request('GET', `/v1/runs?flowId=${flowId}&includeTest=true`);
      return runs.body.runs.length === 1;
    }, 15_000, 'test run visible with includeTest');
    expect((await builder.request('GET', `/v1/runs?flowId=${flowId}`)).body.runs).toEqual([]);
  });

  it('refuses an invalid graph with its errors, and production conversations send no node frames', async () => {
    const created = await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'Broken', graph: { nodes: [{ id: 'start', type: 'start', data: {} }], edges: [] } } });
    const bad = await stack.request('POST', `/v1/flows/${created.body.id}/test-sessions`, { apiKey, body: { graph: { nodes: [{ id: 'a', type: 'ask', data: {} }], edges: [] } } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('flow_invalid');
    expect(bad.body.error.details.length).toBeGreaterThan(0);
    const viewer = await signedIn(stack, apiKey, 'viewer');
    expect((await viewer.request('POST', `/v1/flows/${created.body.id}/test-sessions`, { body: {} })).status).toBe(403);

    const flow = await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'Prod', graph: receptionFlow } });
    await stack.request('POST', `/v1/flows/${flow.body.id}/publish`, { apiKey });
    const prod = await stack.request('POST', '/v1/chat/sessions', { apiKey, body: { flowId: flow.body.id } });
    const chat = await ChatClient.open(`${stack.url.replace('http', 'ws')}/v1/chat?token=${encodeURIComponent(prod.body.token)}`);
    try {
      await chat.waitFor((f) => f.type === 'history');
      chat.send({ text: 'hi' });
      await chat.waitFor((f) => f.type === 'message' && f.message.text === 'Hello! What is your name?');
      expect(chat.frames.filter((f) => f.type === 'node')).toEqual([]);
    } finally {
      chat.close();
    }
  });
});
