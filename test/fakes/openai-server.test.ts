/**
 * The OpenAI fake refuses what OpenAI refuses, in OpenAI's shapes: a missing or unknown key (401
 * invalid_api_key), and chat or embeddings bodies without a model, without messages or input, with
 * an unknown role, content of the wrong type, malformed tools or tool calls, or tool messages that
 * answer no pending tool call (400). The official
 * SDK sees these as the errors it would get from the provider.
 */
import OpenAI, { AuthenticationError, BadRequestError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from './openai-server';

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKeys: ['sk-right'] });
});
afterAll(async () => {
  await fake?.close();
});

const post = async (path: string, body: unknown, key: string | null = 'sk-right') => {
  const res = await fetch(`${fake.url}/v1/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key !== null ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { error?: { message: string; type: string; param: string | null; code: string | null } } };
};

const call = (id: string, name = 'lookup') => ({ id, type: 'function', function: { name, arguments: '{}' } });
const user = { role: 'user', content: 'Hi' };

describe('keys', () => {
  it.each([
    ['no key', null],
    ['an unknown key', 'sk-wrong'],
  ])('answers %s with 401 invalid_api_key', async (_case, key) => {
    const res = await post('chat/completions', { model: 'gpt', messages: [user] }, key);
    expect(res.status).toBe(401);
    expect(res.body.error).toEqual({ message: expect.any(String), type: 'invalid_request_error', param: null, code: 'invalid_api_key' });
  });

  it('is an AuthenticationError to the SDK, and embeddings are guarded too', async () => {
    const client = new OpenAI({ baseURL: `${fake.url}/v1`, apiKey: 'sk-wrong', maxRetries: 0 });
    await expect(client.chat.completions.create({ model: 'gpt', messages: [{ role: 'user', content: 'Hi' }] })).rejects.toBeInstanceOf(AuthenticationError);
    expect((await post('embeddings', { model: 'e', input: ['a'] }, 'sk-wrong')).status).toBe(401);
  });
});

describe('chat bodies', () => {
  it.each([
    ['no model', { messages: [user] }, 'model', null],
    ['no messages', { model: 'gpt' }, 'messages', 'missing_required_parameter'],
    ['empty messages', { model: 'gpt', messages: [] }, 'messages', 'empty_array'],
    ['an unknown role', { model: 'gpt', messages: [user, { role: 'bot', content: 'x' }] }, 'messages[1].role', 'invalid_value'],
    ['a user message without content', { model: 'gpt', messages: [{ role: 'user' }] }, 'messages.[0].content', null],
    ['a tool message with no tool call before it', { model: 'gpt', messages: [user, { role: 'tool', tool_call_id: 'call_1', content: '42' }] }, 'messages.[1].role', null],
    ['a tool message without its id', { model: 'gpt', messages: [user, { role: 'assistant', content: null, tool_calls: [call('call_1')] }, { role: 'tool', content: '42' }] }, 'messages.[2].tool_call_id', null],
    [
      'a tool message answering another id',
      { model: 'gpt', messages: [user, { role: 'assistant', content: null, tool_calls: [call('call_1')] }, { role: 'tool', tool_call_id: 'call_2', content: '42' }] },
      'messages.[2].role',
      null,
    ],
    [
      'a tool message after a user message',
      { model: 'gpt', messages: [{ role: 'assistant', content: null, tool_calls: [call('call_1')] }, { role: 'tool', tool_call_id: 'call_1', content: '1' }, user, { role: 'tool', tool_call_id: 'call_1', content: '2' }] },
      'messages.[3].role',
      null,
    ],
    [
      'a tool call left unanswered',
      { model: 'gpt', messages: [user, { role: 'assistant', content: null, tool_calls: [call('call_1'), call('call_2')] }, { role: 'tool', tool_call_id: 'call_1', content: '1' }, user] },
      'messages.[1].role',
      null,
    ],
    ['content that is an object', { model: 'gpt', messages: [{ role: 'user', content: { text: 'Hi' } }] }, 'messages[0].content', 'invalid_type'],
    ['a tool call without its type', { model: 'gpt', messages: [user, { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', function: { name: 'f', arguments: '{}' } }] }] }, 'messages[1].tool_calls[0]', 'missing_required_parameter'],
    ['a tool named with a space', { model: 'gpt', messages: [user], tools: [{ type: 'function', function: { name: 'look up', parameters: {} } }] }, 'tools[0].function.name', 'invalid_value'],
    ['a tool that is not a function', { model: 'gpt', messages: [user], tools: [{ type: 'retrieval' }] }, 'tools[0].type', 'invalid_value'],
    ['tool parameters that are not an object', { model: 'gpt', messages: [user], tools: [{ type: 'function', function: { name: 'f', parameters: 'none' } }] }, 'tools[0].function.parameters', 'invalid_type'],
  ])('answers %s with OpenAI’s 400', async (_case, body, param, code) => {
    const before = fake.chatRequests.length;
    const res = await post('chat/completions', body);
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({ message: expect.any(String), type: 'invalid_request_error', param, code });
    expect(fake.chatRequests.length).toBe(before + 1);
  });

  it('accepts a full tool round and is a BadRequestError to the SDK otherwise', async () => {
    const ok = await post('chat/completions', {
      model: 'gpt',
      messages: [{ role: 'system', content: 'Be brief.' }, user, { role: 'assistant', content: null, tool_calls: [call('call_1'), call('call_2')] }, { role: 'tool', tool_call_id: 'call_2', content: '2' }, { role: 'tool', tool_call_id: 'call_1', content: '1' }],
    });
    expect(ok.status).toBe(200);
    const client = new OpenAI({ baseURL: `${fake.url}/v1`, apiKey: 'sk-right', maxRetries: 0 });
    await expect(client.chat.completions.create({ model: 'gpt', messages: [] })).rejects.toBeInstanceOf(BadRequestError);
  });
});

describe('embeddings bodies', () => {
  it.each([
    ['no model', { input: ['a'] }, 'model'],
    ['no input', { model: 'e' }, 'input'],
    ['an empty list', { model: 'e', input: [] }, 'input'],
    ['an empty text', { model: 'e', input: ['a', ''] }, 'input'],
  ])('answers %s with 400', async (_case, body, param) => {
    const res = await post('embeddings', body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', param });
  });
});
