/**
 * Citations leave the database: a knowledge-backed answer's document, section and page reach the
 * turn's reply, the REST transcript and the chat socket's history frame. The tenant has no model,
 * so the offline responder quotes the best passage of an uploaded PDF.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphInput } from '../../core/graph/schema';
import { threePagePdf } from '../rag/fixtures';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { waitUntil } from '../support/wait';
import { ChatClient } from '../support/ws';

let stack: Stack;
let apiKey: string;
let flowId: string;

const REFUND_CITATION = { document: 'handbook.pdf', section: 'Refund policy', page: 3 };

beforeAll(async () => {
  stack = await startStack(sharedServers());
  ({ apiKey } = await stack.createTenant());
  const kbId = (await stack.request('POST', '/v1/knowledge-bases', { apiKey, body: { name: 'Clinic' } })).body.id as string;
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(await threePagePdf())], { type: 'application/pdf' }), 'handbook.pdf');
  const uploaded = await fetch(`${stack.url}/v1/knowledge-bases/${kbId}/documents`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}` }, body: form });
  const documentId = ((await uploaded.json()) as { id: string }).id;
  await waitUntil(async () => (await stack.request('GET', `/v1/documents/${documentId}`, { apiKey })).body.status === 'ready', 60_000, 'handbook ready');

  const graph: GraphInput = {
    nodes: [
      { id: 'start', type: 'start', data: {} },
      { id: 'answer', type: 'llmReply', data: { systemPrompt: 'You are the clinic front desk.', contextMessages: 6, tools: [], allowHandoff: false, knowledgeBaseIds: [kbId], topK: 1 } },
      { id: 'done', type: 'end', data: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'answer' },
      { id: 'e2', source: 'answer', target: 'done' },
    ],
    settings: { handoffKeywords: [], idleTimeoutMinutes: 30, contextWindow: 20, variables: {} },
  };
  flowId = (await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'Clinic answers', graph } })).body.id;
  expect((await stack.request('POST', `/v1/flows/${flowId}/publish`, { apiKey })).status).toBe(201);
});

afterAll(() => stack?.close());

describe('citations on API messages', () => {
  it('come back on the turn reply, the transcript and the chat history', async () => {
    const conv = (await stack.request('POST', '/v1/conversations', { apiKey, body: { flowId, channel: 'api' } })).body;
    const turn = await stack.request('POST', `/v1/conversations/${conv.id}/messages`, { apiKey, body: { text: 'What is the refund policy?' } });
    expect(turn.status).toBe(200);
    const [reply] = turn.body.replies;
    expect(reply).toMatchObject({ source: 'offline-responder', citations: [expect.objectContaining(REFUND_CITATION)] });
    expect(reply.text).toContain('Refund policy');

    const transcript = await stack.request('GET', `/v1/conversations/${conv.id}/messages`, { apiKey });
    const [question, answer] = transcript.body.messages;
    expect(question.citations).toBeUndefined();
    expect(answer).toMatchObject({ id: reply.id, citations: [expect.objectContaining(REFUND_CITATION)] });
    expect(answer.citations[0].documentId).toEqual(expect.any(String));

    const session = await stack.request('POST', '/v1/chat/sessions', { apiKey, body: { conversationId: conv.id } });
    const chat = await ChatClient.open(`${stack.url.replace('http', 'ws')}/v1/chat?token=${encodeURIComponent(session.body.token)}`);
    try {
      const history = await chat.waitFor((f) => f.type === 'history');
      expect(history.messages.find((m: { id: string }) => m.id === reply.id)).toMatchObject({ citations: [expect.objectContaining(REFUND_CITATION)] });
    } finally {
      chat.close();
    }
  });
});
