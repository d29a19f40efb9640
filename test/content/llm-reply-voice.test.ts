/**
 * llmReply's `brandVoiceId` end to end: a published flow whose AI reply names a brand voice; the
 * conversation workflow's llmChat activity joins the voice to the system prompt the model gets.
 * Publishing refuses a voice the tenant does not have.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server';
import { llmOnlyFlow } from '../support/flows';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let fake: FakeOpenAI;
let apiKey: string;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  stack = await startStack(sharedServers());
  ({ apiKey } = await stack.createTenant({ llm: { baseURL: `${fake.url}/v1` } }));
});
afterAll(async () => {
  await stack?.close();
  await fake?.close();
});

const withVoice = (brandVoiceId: string) => ({
  ...llmOnlyFlow,
  nodes: llmOnlyFlow.nodes.map((n) => (n.id === 'answer' ? { ...n, data: { ...n.data, brandVoiceId } } : n)),
});

describe('llmReply with a brand voice', () => {
  it('answers in the voice: its instructions follow the system prompt', async () => {
    const voice = await stack.request('POST', '/v1/brand-voices', { apiKey, body: { name: 'Harbor Dental', tone: 'calm and reassuring', avoidWords: ['pain'], emojiPolicy: 'none' } });
    const flow = await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'Voiced', graph: withVoice(voice.body.id) } });
    expect((await stack.request('POST', `/v1/flows/${flow.body.id}/publish`, { apiKey, body: {} })).status).toBe(201);
    const conv = await stack.request('POST', '/v1/conversations', { apiKey, body: { flowId: flow.body.id } });
    fake.enqueue({ content: 'A cleaning takes about thirty calm minutes.' });
    const turn = await stack.request('POST', `/v1/conversations/${conv.body.id}/messages`, { apiKey, body: { text: 'How long is a cleaning?' } });
    expect(turn.body.replies.map((r: any) => r.text)).toEqual(['A cleaning takes about thirty calm minutes.']);
    const system = fake.chatRequests.at(-1)!.body.messages[0];
    expect(system.role).toBe('system');
    expect(system.content).toMatch(/^You are a helpful assistant\.\n\nWrite in the brand voice "Harbor Dental"\.\nTone: calm and reassuring\.\nNever use these words: pain\.\nNever use emoji\./);
  });

  it('refuses to publish a flow naming a voice the tenant does not have', async () => {
    const other = await stack.createTenant();
    const foreign = await stack.request('POST', '/v1/brand-voices', { apiKey: other.apiKey, body: { name: 'Theirs' } });
    const flow = await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'Borrowed voice', graph: withVoice(foreign.body.id) } });
    const published = await stack.request('POST', `/v1/flows/${flow.body.id}/publish`, { apiKey, body: {} });
    expect(published.status).toBe(422);
    expect(published.body.error.details).toEqual([expect.objectContaining({ nodeId: 'answer', field: 'brandVoiceId', message: expect.stringContaining('brand voice') })]);
  });
});
