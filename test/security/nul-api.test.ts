/**
 * NUL characters and unpaired surrogates at the API's doors: PostgreSQL cannot store them, so
 * every text a request carries is refused with a 400 naming the field, before it reaches a
 * workflow or the database (before, some were a 500 and a conversation message wedged its turn).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStorableText, stripUnstorable, stripUnstorableDeep, unstorablePath } from '../../core/text';
import { receptionFlow } from '../support/flows';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { ChatClient } from '../support/ws';

const NUL = 'Ada\u0000';
const LONE = 'Ada\uD800';

let stack: Stack;
let apiKey: string;
let tenantId: string;
let flowId: string;

beforeAll(async () => {
  stack = await startStack(sharedServers());
  ({ apiKey, tenantId } = await stack.createTenant());
  flowId = (await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'Reception', graph: receptionFlow } })).body.id;
  expect((await stack.request('POST', `/v1/flows/${flowId}/publish`, { apiKey, body: {} })).status).toBe(201);
});

afterAll(async () => stack?.close());

function expectRefused(res: { status: number; body: any }, field: string) {
  expect(res.status).toBe(400);
  expect(res.body.error).toMatchObject({ code: 'validation_failed', field });
  expect(res.body.error.message).toMatch(/NUL characters or unpaired surrogates/);
}

describe('text the database cannot store', () => {
  it('is refused in a conversation message, and the conversation goes on', async () => {
    const conv = (await stack.request('POST', '/v1/conversations', { apiKey, body: { flowId, channel: 'api' } })).body;
    const say = (text: string) => stack.request('POST', `/v1/conversations/${conv.id}/messages`, { apiKey, body: { text } });
    expectRefused(await say(NUL), 'text');
    expectRefused(await say(LONE), 'text');
    expectRefused(await say('\uDC00 trailing half'), 'text');
    const ok = await say('hello 😀');
    expect(ok.status).toBe(200);
    expect(ok.body.replies.map((r: { text: string }) => r.text)).toEqual(['Hello! What is your name?']);
  });

  it('is refused in a knowledge search (a 500 before)', async () => {
    const kb = await stack.request('POST', '/v1/knowledge-bases', { apiKey, body: { name: 'Docs' } });
    expect(kb.status).toBe(201);
    expectRefused(await stack.request('POST', `/v1/knowledge-bases/${kb.body.id}/search`, { apiKey, body: { query: 'opening\u0000hours' } }), 'query');
  });

  it('is refused anywhere in a flow graph, naming the path', async () => {
    const nodes = receptionFlow.nodes.map((n) => (n.id === 'askName' ? { ...n, data: { ...n.data, prompt: `Hello${'\u0000'}` } } : n));
    const res = await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'Broken', graph: { ...receptionFlow, nodes } } });
    expectRefused(res, 'graph.nodes.1.data.prompt');
    expectRefused(await stack.request('POST', '/v1/flows', { apiKey, body: { name: NUL, graph: receptionFlow } }), 'name');
    expectRefused(await stack.request('POST', `/v1/flows/${flowId}/runs`, { apiKey, body: { input: { note: NUL } } }), 'input.note');
  });

  it('is refused in signal arguments sent to a run', async () => {
    const res = await stack.request('POST', `/v1/runs/${encodeURIComponent(`conv:${tenantId}:00000000-0000-4000-8000-000000000000`)}/signal`, {
      apiKey,
      body: { name: 'inbound', args: [{ text: NUL }] },
    });
    expectRefused(res, 'args.0.text');
  });

  it('is refused on the chat socket with an error frame, and the next message is answered', async () => {
    const session = await stack.request('POST', '/v1/chat/sessions', { apiKey, body: { flowId } });
    const chat = await ChatClient.open(`${stack.url.replace('http', 'ws')}/v1/chat?token=${encodeURIComponent(session.body.token)}`);
    try {
      await chat.waitFor((f) => f.type === 'history');
      chat.send({ text: NUL });
      const error = await chat.waitFor((f) => f.type === 'error');
      expect(error.error).toMatchObject({ code: 'validation_failed', field: 'text', message: expect.stringMatching(/NUL/) });
      chat.send({ text: 'hello' });
      await chat.waitFor((f) => f.type === 'message' && f.message.text === 'Hello! What is your name?');
    } finally {
      chat.close();
    }
  });
});

describe('the text helpers', () => {
  it('tell storable text apart and strip what is not', () => {
    expect(isStorableText('emoji 😀 and ü')).toBe(true);
    expect(isStorableText(NUL)).toBe(false);
    expect(isStorableText(LONE)).toBe(false);
    expect(stripUnstorable('a\u0000b\uD800c\uDC00d😀')).toBe('ab\uFFFDc\uFFFDd😀');
    expect(unstorablePath({ a: [{ b: 'ok' }, { c: NUL }] })).toEqual(['a', 1, 'c']);
    expect(unstorablePath({ ['k\u0000']: 1 })).toEqual(['k\u0000']);
    const bytes = Buffer.from([0, 1, 2]);
    const stripped = stripUnstorableDeep({ text: NUL, list: [LONE], data: bytes });
    expect(stripped).toEqual({ text: 'Ada', list: ['Ada\uFFFD'], data: bytes });
    expect(stripped.data).toBe(bytes);
  });
});
