/**
 * The model's tool-calling loop through the whole stack: streamed tool-call chunks from the
 * OpenAI-compatible server, the tool's HTTP call from an activity (allow-listed host), the result
 * fed back, and the final answer stored with the usage of both model calls.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sharedServers } from '../support/shared-servers';
import type { GraphInput } from '../../core/graph/schema';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let fake: FakeOpenAI;
let toolServer: Server;
let toolUrl: string;
const toolCalls: unknown[] = [];

beforeAll(async () => {
  fake = await startFakeOpenAI();
  toolServer = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      toolCalls.push(JSON.parse(body));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ day: 'monday', open: '09:00', close: '17:00' }));
    });
  });
  await new Promise<void>((resolve) => toolServer.listen(0, '127.0.0.1', resolve));
  toolUrl = `http://127.0.0.1:${(toolServer.address() as AddressInfo).port}/hours`;
  stack = await startStack({
    ...sharedServers(),
    env: { HTTP_ALLOWED_HOSTS: '127.0.0.1' },
  });
});

afterAll(async () => {
  await stack?.close();
  await fake?.close();
  await new Promise((resolve) => toolServer?.close(resolve));
});

it('calls the tool the model asks for and answers with its result', async () => {
  const graph: GraphInput = {
    nodes: [
      { id: 'start', type: 'start', data: {} },
      {
        id: 'assistant',
        type: 'llmReply',
        data: {
          systemPrompt: 'Answer questions about opening hours.',
          tools: [{ name: 'opening_hours', description: 'Opening hours for a day', parameters: { type: 'object', properties: { day: { type: 'string' } } }, url: toolUrl, method: 'POST' }],
        },
      },
      { id: 'end', type: 'end', data: {} },
    ],
    edges: [
      { id: 'a', source: 'start', target: 'assistant' },
      { id: 'b', source: 'assistant', target: 'end' },
    ],
    settings: { handoffKeywords: ['human'], idleTimeoutMinutes: 30, contextWindow: 20, variables: {} },
  };
  const { apiKey } = await stack.createTenant({ llm: { baseURL: `${fake.url}/v1` } });
  const flow = await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'Hours', graph } });
  expect((await stack.request('POST', `/v1/flows/${flow.body.id}/publish`, { apiKey })).status).toBe(201);
  const conv = await stack.request('POST', '/v1/conversations', { apiKey, body: { flowId: flow.body.id } });

  const before = fake.chatRequests.length;
  fake.enqueue(
    { toolCalls: [{ id: 'call_1', name: 'opening_hours', arguments: '{"day":"monday"}' }], chunkSize: 3 },
    { content: 'On Monday we are open from 9:00 to 17:00.' },
  );
  const turn = await stack.request('POST', `/v1/conversations/${conv.body.id}/messages`, { apiKey, body: { text: 'When are you open on Monday?' } });
  expect(turn.status).toBe(200);
  expect(turn.body.replies.map((r: any) => r.text)).toEqual(['On Monday we are open from 9:00 to 17:00.']);

  expect(toolCalls).toEqual([{ day: 'monday' }]);
  const [first, second] = fake.chatRequests.slice(before);
  expect(first.body.tools.map((t: any) => t.function.name)).toContain('opening_hours');
  const toolMessage = second.body.messages.find((m: any) => m.role === 'tool');
  expect(toolMessage).toMatchObject({ tool_call_id: 'call_1' });
  expect(JSON.parse(toolMessage.content)).toMatchObject({ open: '09:00', close: '17:00' });

  const transcript = await stack.request('GET', `/v1/conversations/${conv.body.id}/messages`, { apiKey });
  const answer = transcript.body.messages.at(-1);
  expect(answer.usage.promptTokens).toBeGreaterThan(0);
  expect(answer.usage.costUsd).toBeGreaterThan(0);
});
