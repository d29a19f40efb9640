import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LlmChatInput } from '../../activities/types';
import { OFFLINE_REPLY } from '../../llm/offline';
import type { LlmProviderSettings } from '../../db/entities';
import { LlmCall } from '../../db/entities';
import { tenantEm } from '../../db/orm';
import { createSecretBox } from '../../db/secrets';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server';
import { makeTenant, TEST_SECRET_KEY } from '../db/fixtures';
import { activitiesFor, listen, runIn, testDeps, waitFor, type TestDeps } from './support';

let deps: TestDeps;
let primary: FakeOpenAI;
let backup: FakeOpenAI;
const box = createSecretBox({ v1: TEST_SECRET_KEY });
const pricing = { inputPer1M: 1, outputPer1M: 2 };

const provider = (fake: FakeOpenAI, key: string, model = 'fake-model'): LlmProviderSettings => ({ baseURL: `${fake.url}/v1`, model, apiKeyEncrypted: box.encrypt(key), pricing });

beforeAll(async () => {
  [deps, primary, backup] = await Promise.all([testDeps(), startFakeOpenAI(), startFakeOpenAI()]);
});
afterAll(async () => {
  await Promise.all([deps.close(), primary.close(), backup.close()]);
});

function chatInput(t: { tenantId: string; workflowId: string; conversationId: string }, extra: Partial<LlmChatInput> = {}): LlmChatInput {
  return {
    tenantId: t.tenantId,
    workflowId: t.workflowId,
    conversationId: t.conversationId,
    nodeId: 'answer',
    streamKey: `${t.workflowId}:answer:1`,
    messages: [
      { role: 'system', content: 'You are a receptionist.' },
      { role: 'user', content: 'When are you open?' },
    ],
    tools: [],
    ...extra,
  };
}

describe('llmChat', () => {
  it('streams text, publishes deltas with the attempt, heartbeats and records usage and cost', async () => {
    const t = await makeTenant(deps.orm, { llm: provider(primary, 'sk-primary') });
    const live = await listen(t.tenantId, t.conversationId);
    primary.enqueue({ content: 'We are open from 9 to 5.', chunkSize: 3, usage: { promptTokens: 1000, completionTokens: 500 } });
    const env = new MockActivityEnvironment({ attempt: 2 });
    let heartbeats = 0;
    env.on('heartbeat', () => heartbeats++);

    const result = await runIn(env, activitiesFor(deps).llmChat, chatInput(t, { temperature: 0.2, maxTokens: 100 }));

    expect(result).toEqual({ provider: 'openai-compatible', content: 'We are open from 9 to 5.', toolCalls: [], usage: { promptTokens: 1000, completionTokens: 500, costUsd: 0.002, model: 'fake-model' } });
    expect(heartbeats).toBeGreaterThan(3);
    const sent = primary.chatRequests.at(-1)!;
    expect(sent.headers.authorization).toBe('Bearer sk-primary');
    expect(sent.body).toMatchObject({ model: 'fake-model', stream: true, stream_options: { include_usage: true }, temperature: 0.2, max_tokens: 100 });

    await waitFor(() => live.events.map((e) => (e.type === 'delta' ? e.delta : '')).join('') === result.content);
    expect(live.events.every((e) => e.type === 'delta' && e.attempt === 2 && e.streamKey === `${t.workflowId}:answer:1`)).toBe(true);
    live.stop();

    const calls = await tenantEm(deps.orm, t.tenantId).find(LlmCall, {});
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ ok: true, promptTokens: 1000, completionTokens: 500, costUsd: 0.002, model: 'fake-model', nodeId: 'answer', workflowId: t.workflowId, conversation: t.conversationId });
  });

  it('assembles streamed tool calls', async () => {
    const t = await makeTenant(deps.orm, { llm: provider(primary, 'sk-primary') });
    primary.enqueue({ toolCalls: [{ id: 'call_1', name: 'lookup_order', arguments: '{"orderId":"42","express":true}' }, { name: 'weather', arguments: '{"city":"Utrecht"}' }], chunkSize: 5 });
    const tools = [{ name: 'lookup_order', description: 'Find an order', parameters: { type: 'object', properties: { orderId: { type: 'string' } } } }];
    const result = await runIn(new MockActivityEnvironment(), activitiesFor(deps).llmChat, chatInput(t, { tools }));
    expect(result.content).toBeNull();
    expect(result.toolCalls).toEqual([
      { id: 'call_1', type: 'function', function: { name: 'lookup_order', arguments: '{"orderId":"42","express":true}' } },
      { id: expect.any(String), type: 'function', function: { name: 'weather', arguments: '{"city":"Utrecht"}' } },
    ]);
    expect(primary.chatRequests.at(-1)!.body.tools).toEqual([{ type: 'function', function: tools[0] }]);
  });

  it('falls back to the next provider on a 5xx and records both calls', async () => {
    const t = await makeTenant(deps.orm, { llm: { ...provider(primary, 'sk-primary'), fallbacks: [provider(backup, 'sk-backup', 'backup-model')] } });
    primary.enqueue({ status: 500 });
    backup.enqueue({ content: 'Answer from the backup.' });
    const result = await runIn(new MockActivityEnvironment(), activitiesFor(deps).llmChat, chatInput(t));
    expect(result.content).toBe('Answer from the backup.');
    expect(result.usage.model).toBe('backup-model');
    expect(backup.chatRequests.at(-1)!.headers.authorization).toBe('Bearer sk-backup');
    const calls = await tenantEm(deps.orm, t.tenantId).find(LlmCall, {}, { orderBy: { createdAt: 'asc' } });
    expect(calls.map((c) => [c.ok, c.model])).toEqual([
      [false, 'fake-model'],
      [true, 'backup-model'],
    ]);
  });

  it('tells listeners to reset when a provider dies mid-stream', async () => {
    const t = await makeTenant(deps.orm, { llm: { ...provider(primary, 'sk-primary'), fallbacks: [provider(backup, 'sk-backup')] } });
    const live = await listen(t.tenantId, t.conversationId);
    primary.enqueue({ content: 'This answer will be cut off', dropAfterChunks: 3 });
    backup.enqueue({ content: 'Complete answer.' });
    const result = await runIn(new MockActivityEnvironment(), activitiesFor(deps).llmChat, chatInput(t));
    expect(result.content).toBe('Complete answer.');
    const text = (events: typeof live.events) => events.map((e) => (e.type === 'delta' ? e.delta : '')).join('');
    const afterReset = () => live.events.slice(live.events.findIndex((e) => e.type === 'reset') + 1);
    await waitFor(() => live.events.some((e) => e.type === 'reset') && text(afterReset()) === 'Complete answer.');
    expect(text(live.events.slice(0, live.events.findIndex((e) => e.type === 'reset')))).toBe('This answer will be cut off'.slice(0, 8));
    live.stop();
  });

  it('fails without retry when the provider rejects the key', async () => {
    const t = await makeTenant(deps.orm, { llm: { ...provider(primary, 'sk-wrong'), fallbacks: [provider(backup, 'sk-backup')] } });
    primary.enqueue({ status: 401, error: 'Incorrect API key provided' });
    const before = backup.chatRequests.length;
    await expect(runIn(new MockActivityEnvironment(), activitiesFor(deps).llmChat, chatInput(t))).rejects.toMatchObject({ nonRetryable: true, type: 'LlmConfigError' });
    expect(backup.chatRequests.length).toBe(before);
    const [call] = await tenantEm(deps.orm, t.tenantId).find(LlmCall, {});
    expect(call).toMatchObject({ ok: false, error: expect.stringContaining('Incorrect API key') });
  });

  it('answers honestly and for free when the tenant has no provider', async () => {
    const t = await makeTenant(deps.orm);
    const result = await runIn(new MockActivityEnvironment(), activitiesFor(deps).llmChat, chatInput(t));
    expect(result).toEqual({ provider: 'offline', content: OFFLINE_REPLY, toolCalls: [], usage: { promptTokens: 0, completionTokens: 0, costUsd: 0 } });
    expect(result.content).toMatch(/no language model is configured/i);
    expect(await tenantEm(deps.orm, t.tenantId).count(LlmCall, {})).toBe(0);
  });
});

describe('summarize', () => {
  const messages = [
    { role: 'user' as const, content: 'My name is Ada and I need a dentist appointment.' },
    { role: 'assistant' as const, content: 'Monday at 10 works.' },
  ];

  it('asks the model to fold messages into the summary', async () => {
    const t = await makeTenant(deps.orm, { llm: provider(primary, 'sk-primary') });
    primary.enqueue({ content: ' Ada booked a dentist appointment on Monday at 10. ' });
    const { summary } = await runIn(new MockActivityEnvironment(), activitiesFor(deps).summarize, { tenantId: t.tenantId, workflowId: t.workflowId, summary: 'Earlier: greeted.', messages });
    expect(summary).toBe('Ada booked a dentist appointment on Monday at 10.');
    expect(JSON.stringify(primary.chatRequests.at(-1)!.body.messages)).toContain('Earlier: greeted.');
  });

  it('folds extractively offline, keeping the most recent ~1,500 characters', async () => {
    const t = await makeTenant(deps.orm);
    const many = Array.from({ length: 60 }, (_, i) => ({ role: 'user' as const, content: `message number ${i} with some padding text` }));
    const { summary } = await activitiesFor(deps).summarize({ tenantId: t.tenantId, workflowId: t.workflowId, summary: 'old summary', messages: many });
    expect(summary.length).toBeLessThanOrEqual(1500);
    expect(summary.endsWith('user: message number 59 with some padding text')).toBe(true);
    expect(summary).not.toContain('old summary');
    const short = await activitiesFor(deps).summarize({ tenantId: t.tenantId, workflowId: t.workflowId, summary: 'old summary', messages });
    expect(short.summary).toBe(`old summary\nuser: ${messages[0].content}\nassistant: ${messages[1].content}`);
  });
});
