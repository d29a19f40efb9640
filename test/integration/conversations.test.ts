/**
 * The whole stack over REST and WebSocket: real API, worker, Temporal, PostgreSQL and Redis, with
 * a local OpenAI-compatible server scripted per test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedServers } from '../support/shared-servers';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server';
import { llmOnlyFlow, receptionFlow } from '../support/flows';
import { startStack, type Stack } from '../support/stack';
import { waitUntil } from '../support/wait';
import { ChatClient } from '../support/ws';
import { waitForQuiescence } from '../support/quiescence';
import { duplicatedMessages, storedMessageCounts } from '../support/stored-messages';
import { conversationWorkflowId } from '../../core/ids';

let stack: Stack;
let fake: FakeOpenAI;
let apiKey: string;
let tenantId: string;
let flowId: string;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  stack = await startStack(sharedServers());
  ({ apiKey, tenantId } = await stack.createTenant({ llm: { baseURL: `${fake.url}/v1`, apiKey: 'sk-fake' } }));
  const created = await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'Reception', graph: receptionFlow } });
  expect(created.status).toBe(201);
  flowId = created.body.id;
  const published = await stack.request('POST', `/v1/flows/${flowId}/publish`, { apiKey, body: { note: 'first' } });
  expect(published.status).toBe(201);
  expect(published.body.version).toBe(1);
});

afterAll(async () => {
  await stack?.close();
  await fake?.close();
});

async function newConversation(channel = 'api') {
  const res = await stack.request('POST', '/v1/conversations', { apiKey, body: { flowId, channel } });
  expect(res.status).toBe(201);
  return res.body as { id: string; workflowId: string };
}

const say = (id: string, text: string) => stack.request('POST', `/v1/conversations/${id}/messages`, { apiKey, body: { text } });

describe('a conversation over REST', () => {
  it('walks the flow turn by turn and answers with the model', async () => {
    fake.enqueue({ content: 'We are open 9 to 5, Ada.' });
    const conv = await newConversation();

    const t1 = await say(conv.id, 'hi');
    expect(t1.status).toBe(200);
    expect(t1.body.replies.map((r: any) => r.text)).toEqual(['Hello! What is your name?']);

    const t2 = await say(conv.id, 'Ada');
    expect(t2.body.replies.map((r: any) => r.text)).toEqual(['Nice to meet you, Ada!', 'How can I help you today?']);

    const t3 = await say(conv.id, 'When are you open?');
    expect(t3.body.replies).toHaveLength(1);
    expect(t3.body.replies[0]).toMatchObject({ text: 'We are open 9 to 5, Ada.', author: 'bot', nodeId: 'answer', source: 'llm' });

    // The model saw the rendered system prompt, the brand voice and the visitor's question.
    const sent = fake.requests.at(-1)!;
    expect(sent.headers.authorization).toBe('Bearer sk-fake');
    const system = sent.body.messages[0];
    expect(system.role).toBe('system');
    expect(system.content).toContain('The visitor is Ada.');
    expect(system.content).toContain('Warm and brief.');
    expect(sent.body.messages.at(-1)).toMatchObject({ role: 'user', content: 'When are you open?' });

    const transcript = await stack.request('GET', `/v1/conversations/${conv.id}/messages`, { apiKey });
    expect(transcript.body.messages.map((m: any) => `${m.author}:${m.text}`)).toEqual([
      'contact:hi',
      'bot:Hello! What is your name?',
      'contact:Ada',
      'bot:Nice to meet you, Ada!',
      'bot:How can I help you today?',
      'contact:When are you open?',
      'bot:We are open 9 to 5, Ada.',
    ]);
    const llmMessage = transcript.body.messages.at(-1);
    expect(llmMessage.usage.promptTokens).toBeGreaterThan(0);
    expect(llmMessage.usage.costUsd).toBeGreaterThan(0);

    const detail = await stack.request('GET', `/v1/conversations/${conv.id}`, { apiKey });
    expect(detail.body).toMatchObject({ id: conv.id, status: 'bot', flowVersion: 1, variables: { name: 'Ada' } });

    // The run's history, grouped by node: the model call (an activity) and the delivery of its
    // answer (a local activity) both land on the llmReply node, with timings and output.
    const history = await stack.request('GET', `/v1/runs/${encodeURIComponent(conv.workflowId)}/history`, { apiKey });
    expect(history.status).toBe(200);
    const answerNode = history.body.nodes.find((n: any) => n.nodeId === 'answer');
    const steps = answerNode.steps.map((st: any) => `${st.kind}:${st.name}:${st.status}`);
    expect(steps).toEqual(expect.arrayContaining(['activity:llmChat:completed', 'activity:deliverMessage:completed', 'trace:llmReply:visited']));
    const delivered = answerNode.steps.find((st: any) => st.name === 'deliverMessage');
    expect(delivered.output.text).toBe('We are open 9 to 5, Ada.');
    expect(delivered.durationMs).toBeGreaterThanOrEqual(0);
    expect(history.body.nodes.map((n: any) => n.nodeId)).toEqual(expect.arrayContaining(['start', 'askName', 'greet', 'askQuestion', 'answer', 'bye']));
  });

  it('hands off on a keyword, stays quiet while a human has it, and resumes on release', async () => {
    const conv = await newConversation();
    await say(conv.id, 'hello');
    const handoff = await say(conv.id, 'I want to talk to a human please');
    expect(handoff.body.status).toBe('waiting');
    expect(handoff.body.replies.map((r: any) => r.author)).toEqual(['bot']);

    const ignored = await say(conv.id, 'anyone there?');
    expect(ignored.body.replies).toEqual([]);

    expect((await stack.request('POST', `/v1/conversations/${conv.id}/takeover`, { apiKey, body: { agent: 'Maria' } })).status).toBe(202);
    expect((await stack.request('POST', `/v1/conversations/${conv.id}/agent-messages`, { apiKey, body: { text: 'Hi, Maria here.' } })).status).toBe(202);
    await waitUntil(async () => {
      const t = await stack.request('GET', `/v1/conversations/${conv.id}/messages`, { apiKey });
      return t.body.messages.some((m: any) => m.author === 'agent' && m.text === 'Hi, Maria here.');
    });
    expect((await stack.request('POST', `/v1/conversations/${conv.id}/agent-messages`, { apiKey, body: { text: 'Still here.', agent: 'Maria' } })).status).toBe(202);
    await waitUntil(async () => {
      const t = await stack.request('GET', `/v1/conversations/${conv.id}/messages`, { apiKey });
      return t.body.messages.some((m: any) => m.text === 'Still here.' && m.agentName === 'Maria');
    });
    const during = await say(conv.id, 'thanks Maria');
    expect(during.body.replies).toEqual([]);
    expect(during.body.status).toBe('human');

    expect((await stack.request('POST', `/v1/conversations/${conv.id}/release`, { apiKey })).status).toBe(202);
    await waitUntil(async () => (await stack.request('GET', `/v1/conversations/${conv.id}`, { apiKey })).body.status === 'bot');
    const after = await say(conv.id, 'back to the bot');
    expect(after.body.status).toBe('bot');
    expect(after.body.replies.length).toBeGreaterThan(0);
  });

  it('starts a closed conversation again on its next message, on the same pinned version', async () => {
    const conv = await newConversation();
    expect((await say(conv.id, 'hi')).body.replies.map((r: any) => r.text)).toEqual(['Hello! What is your name?']);
    const handle = stack.temporal.workflow.getHandle(conv.workflowId);
    const firstRun = (await handle.describe()).runId;
    expect((await stack.request('POST', `/v1/conversations/${conv.id}/close`, { apiKey })).status).toBe(202);
    await handle.result();

    // The turn's plain update finds no running workflow; the same update then goes with a start.
    const body = { text: 'hello again', idempotencyKey: `again-${conv.id}` };
    const again = await stack.request('POST', `/v1/conversations/${conv.id}/messages`, { apiKey, body });
    expect(again.status).toBe(200);
    expect(again.body.replies.map((r: any) => r.text)).toEqual(['Hello! What is your name?']);
    const restarted = await handle.describe();
    expect(restarted.runId).not.toBe(firstRun);
    expect(restarted.status.name).toBe('RUNNING');

    // Retried, the keyed request is answered from the new run, not walked a second time.
    const retried = await stack.request('POST', `/v1/conversations/${conv.id}/messages`, { apiKey, body });
    expect(retried.body.replies.map((r: any) => r.id)).toEqual(again.body.replies.map((r: any) => r.id));
    const stored = await stack.request('GET', `/v1/conversations/${conv.id}/messages`, { apiKey });
    expect(stored.body.messages.filter((m: any) => m.text === 'hello again')).toHaveLength(1);
  });

  it('tells the contact when the model cannot answer, and records why', async () => {
    const flow = await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'LLM only', graph: llmOnlyFlow } });
    await stack.request('POST', `/v1/flows/${flow.body.id}/publish`, { apiKey });
    const conv = await stack.request('POST', '/v1/conversations', { apiKey, body: { flowId: flow.body.id } });
    fake.enqueue({ status: 401, error: 'Incorrect API key provided' });
    const turn = await say(conv.body.id, 'hello?');
    expect(turn.status).toBe(200);
    expect(turn.body.replies).toEqual([expect.objectContaining({ author: 'system', source: 'error', text: expect.stringContaining('something went wrong') })]);
    const history = await stack.request('GET', `/v1/runs/${encodeURIComponent(conv.body.workflowId)}/history`, { apiKey });
    const failed = history.body.nodes.find((n: any) => n.nodeId === 'answer').steps.find((st: any) => st.kind === 'trace');
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/401|API key/i);
  });

  it('rejects bad input with a 4xx naming the field', async () => {
    const conv = await newConversation();
    const empty = await say(conv.id, '   ');
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatchObject({ code: 'validation_failed', field: 'text' });
    const badKey = await stack.request('POST', `/v1/conversations/${conv.id}/messages`, { apiKey, body: { text: 'hi', idempotencyKey: 'not a key' } });
    expect(badKey.status).toBe(400);
    expect(badKey.body.error).toMatchObject({ code: 'validation_failed', field: 'idempotencyKey' });

    const unknown = await stack.request('POST', '/v1/conversations', { apiKey, body: { flowId: '00000000-0000-4000-8000-000000000000' } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.field).toBe('flowId');

    const badId = await stack.request('GET', '/v1/conversations/not-a-uuid', { apiKey });
    expect(badId.status).toBe(400);
    expect(badId.body.error.field).toBe('id');

    const noKey = await stack.request('GET', '/v1/conversations');
    expect(noKey.status).toBe(401);
    expect(noKey.body.error.field).toBe('authorization');

    const res = await fetch(`${stack.url}/v1/flows`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` }, body: '{"name": ' });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('bad_request');
  });
});

describe('web chat over the WebSocket', () => {
  it('streams the model, delivers replies once, and relays the agent', async () => {
    const session = await stack.request('POST', '/v1/chat/sessions', { apiKey, body: { flowId } });
    expect(session.status).toBe(201);
    const chat = await ChatClient.open(`${stack.url.replace('http', 'ws')}/v1/chat?token=${encodeURIComponent(session.body.token)}`);
    try {
      await chat.waitFor((f) => f.type === 'history');
      chat.send({ text: 'hello' });
      await chat.waitFor((f) => f.type === 'message' && f.message.text === 'Hello! What is your name?');
      chat.send({ text: 'Grace' });
      await chat.waitFor((f) => f.type === 'message' && f.message.text === 'How can I help you today?');
      fake.enqueue({ content: 'Our dentists are available on Mondays.', chunkSize: 5 });
      chat.send({ text: 'Who is available?' });
      await chat.waitFor((f) => f.type === 'message' && f.message.text === 'Our dentists are available on Mondays.');
      const deltas = chat.frames.filter((f) => f.type === 'delta').map((f) => f.delta).join('');
      expect(deltas).toBe('Our dentists are available on Mondays.');

      chat.send({ text: '' });
      const error = await chat.waitFor((f) => f.type === 'error');
      expect(error.error.field).toBe('text');

      await stack.request('POST', `/v1/conversations/${session.body.conversationId}/agent-messages`, { apiKey, body: { text: 'A human here.' } });
      await chat.waitFor((f) => f.type === 'message' && f.message.author === 'agent' && f.message.text === 'A human here.');

      // Once everything settled: each message was sent on the socket once and stored once.
      const conversationId = session.body.conversationId;
      await waitForQuiescence(stack, { tenantId, workflowIds: [conversationWorkflowId(tenantId, conversationId)] });
      const live = chat.messageFrames();
      expect(new Set(live.map((m) => m.id)).size).toBe(live.length);
      const bot = ['Hello! What is your name?', 'Nice to meet you, Grace!', 'How can I help you today?', 'Our dentists are available on Mondays.'];
      expect(live.filter((m) => m.author === 'bot').map((m) => m.text)).toEqual(bot);
      const stored = await storedMessageCounts(stack.orm, { conversationIds: [conversationId] });
      expect(duplicatedMessages(stored)).toEqual([]);
      expect(stored.filter((m) => m.author === 'bot').map((m) => m.text)).toEqual(bot);
      expect(stored.filter((m) => m.author !== 'bot').map((m) => `${m.author}:${m.text}`)).toEqual(['contact:hello', 'contact:Grace', 'contact:Who is available?', 'agent:A human here.']);
    } finally {
      chat.close();
    }
  });

  it('answers a message sent the moment the socket opens, after the history', async () => {
    const session = await stack.request('POST', '/v1/chat/sessions', { apiKey, body: { flowId } });
    const chat = await ChatClient.open(`${stack.url.replace('http', 'ws')}/v1/chat?token=${encodeURIComponent(session.body.token)}`);
    try {
      // Sent before the server has subscribed or read the history: it must not be dropped.
      chat.send({ text: 'hello' });
      await chat.waitFor((f) => f.type === 'message' && f.message.text === 'Hello! What is your name?');
      expect(chat.frames[0].type).toBe('history');
    } finally {
      chat.close();
    }
  });

  it('refuses a forged token', async () => {
    const chat = await ChatClient.open(`${stack.url.replace('http', 'ws')}/v1/chat?token=eyJ0ZW5hbnRJZCI6IngifQ.AAAA`);
    const error = await chat.waitFor((f) => f.type === 'error');
    expect(error.error.code).toBe('unauthorized');
    chat.close();
  });
});
