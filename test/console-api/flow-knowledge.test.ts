/**
 * A flow's llmReply nodes name knowledge bases by id: publishing, the draft's validation and
 * "Try it" refuse an id the tenant does not have (unknown, malformed, deleted or another tenant's),
 * with the node id and field in each error, and accept the tenant's own — real API and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphInput } from '../../core/graph/schema';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let apiKey: string;
let ownKb: string;
let foreignKb: string;

beforeAll(async () => {
  stack = await startStack(sharedServers());
  ({ apiKey } = await stack.createTenant());
  const other = await stack.createTenant();
  ownKb = (await stack.request('POST', '/v1/knowledge-bases', { apiKey, body: { name: 'Menu' } })).body.id;
  foreignKb = (await stack.request('POST', '/v1/knowledge-bases', { apiKey: other.apiKey, body: { name: 'Theirs' } })).body.id;
});

afterAll(async () => {
  await stack?.close();
});

const withKnowledge = (knowledgeBaseIds: string[]): GraphInput => ({
  nodes: [
    { id: 'start', type: 'start', data: {} },
    { id: 'answer', type: 'llmReply', data: { knowledgeBaseIds } },
    { id: 'end', type: 'end', data: {} },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'answer' },
    { id: 'e2', source: 'answer', sourceHandle: 'next', target: 'end' },
  ],
});

const createFlow = async (ids: string[]) => (await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'Answers', graph: withKnowledge(ids) } })).body.id as string;

describe('knowledge bases named by a flow', () => {
  it('refuses to publish, validate or try an id the tenant does not have', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const missing of [unknown, 'not-a-uuid', foreignKb]) {
      const flowId = await createFlow([ownKb, missing]);
      const expected = [{ nodeId: 'answer', field: 'knowledgeBaseIds', message: `Node 'answer': knowledge base ${missing} does not exist; remove it or pick another one` }];

      const publish = await stack.request('POST', `/v1/flows/${flowId}/publish`, { apiKey, body: { note: 'x' } });
      expect(publish.status).toBe(422);
      expect(publish.body.error).toMatchObject({ code: 'flow_invalid', field: 'graph', details: expected });
      expect(publish.body.error.message).toContain(missing);
      expect((await stack.request('GET', `/v1/flows/${flowId}/versions`, { apiKey })).body.items).toEqual([]);

      expect((await stack.request('POST', `/v1/flows/${flowId}/validate`, { apiKey })).body).toEqual({ valid: false, errors: expected });
      const test = await stack.request('POST', `/v1/flows/${flowId}/test-sessions`, { apiKey, body: {} });
      expect(test.status).toBe(422);
      expect(test.body.error.details).toEqual(expected);
    }
  });

  it('reports missing knowledge bases next to the validator’s own errors', async () => {
    const flowId = await createFlow(['00000000-0000-4000-8000-000000000001']);
    const graph = withKnowledge(['00000000-0000-4000-8000-000000000001']);
    graph.edges = graph.edges.slice(0, 1);
    await stack.request('PUT', `/v1/flows/${flowId}`, { apiKey, body: { graph } });
    const { body } = await stack.request('POST', `/v1/flows/${flowId}/validate`, { apiKey });
    expect(body.valid).toBe(false);
    // The unwired `next` of answer and the unreachable end, then the missing knowledge base.
    expect(body.errors.map((e: { nodeId?: string; field?: string }) => [e.nodeId, e.field ?? null])).toEqual([
      ['answer', null],
      ['end', null],
      ['answer', 'knowledgeBaseIds'],
    ]);
  });

  it('publishes with the tenant’s own knowledge base, and refuses again once it is deleted', async () => {
    const flowId = await createFlow([ownKb]);
    expect((await stack.request('POST', `/v1/flows/${flowId}/validate`, { apiKey })).body).toEqual({ valid: true, errors: [] });
    const published = await stack.request('POST', `/v1/flows/${flowId}/publish`, { apiKey, body: { note: 'with the menu' } });
    expect(published.status).toBe(201);
    const version = await stack.request('GET', `/v1/flows/${flowId}/versions/${published.body.version}`, { apiKey });
    expect(version.body.graph.nodes.find((n: { id: string }) => n.id === 'answer').data.knowledgeBaseIds).toEqual([ownKb]);

    const doomed = (await stack.request('POST', '/v1/knowledge-bases', { apiKey, body: { name: 'Old prices' } })).body.id;
    const later = await createFlow([doomed]);
    expect((await stack.request('DELETE', `/v1/knowledge-bases/${doomed}`, { apiKey })).status).toBe(204);
    const refused = await stack.request('POST', `/v1/flows/${later}/publish`, { apiKey });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details).toEqual([expect.objectContaining({ nodeId: 'answer', field: 'knowledgeBaseIds' })]);
  });
});
