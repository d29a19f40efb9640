/**
 * The marketing assistant through its API on the real stack (workflow, worker, PostgreSQL): the
 * model (the fake OpenAI server) calls the tools and the answer cites the figures it used; a
 * tenant without a model gets the offline answer; each caller reaches only their own conversation
 * (another key of the same tenant, another tenant: 404); a published flow's AI reply never gets
 * the marketing tools; assistant conversations stay out of the inbox.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { GraphInput } from '../../core/graph/schema';
import { tenantEm } from '../../db/orm';
import { createApiKey } from '../../db/repos';
import { startFakeOpenAI, type FakeOpenAI, type FakeResponse, type RecordedRequest } from '../fakes/openai-server';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { seedAnalytics, seedCampaigns } from './fixtures';
import { Redis } from 'ioredis';
import { Quotas } from '../../quotas/quotas';

let stack: Stack;
let fake: FakeOpenAI;
let a: { tenantId: string; apiKey: string };
let b: { tenantId: string; apiKey: string };
const redis = new Redis(sharedServers().redisUrl, { maxRetriesPerRequest: 3 });

beforeAll(async () => {
  fake = await startFakeOpenAI();
  stack = await startStack(sharedServers());
  a = await stack.createTenant({ llm: { baseURL: `${fake.url}/v1` } });
  b = await stack.createTenant();
  await seedAnalytics(stack.orm, a.tenantId);
  await seedCampaigns(stack.orm, a.tenantId);
  await seedAnalytics(stack.orm, b.tenantId, 9);
}, 120_000);

afterAll(async () => {
  await stack?.close();
  await fake?.close();
  redis.disconnect();
});

const start = (apiKey: string, body: unknown = {}) => stack.request('POST', '/v1/assistant/conversations', { apiKey, body });
const ask = (apiKey: string, id: string, text: string) => stack.request('POST', `/v1/assistant/conversations/${id}/messages`, { apiKey, body: { text } });
const toolResults = (req: RecordedRequest) => (req.body.messages as { role: string; content: string }[]).filter((m) => m.role === 'tool').map((m) => m.content);

/** Scripts one turn: each step sees the last tool result (parsed) and answers. */
function scriptTurn(steps: ((last: any) => FakeResponse)[]) {
  let i = 0;
  fake.script((req) => {
    const last = toolResults(req).at(-1);
    return steps[Math.min(i++, steps.length - 1)]!(last === undefined ? undefined : last.startsWith('{') ? JSON.parse(last) : last);
  });
}
const call = (name: string, args: Record<string, unknown>): FakeResponse => ({ toolCalls: [{ id: `call_${name}_${Date.now()}`, name, arguments: JSON.stringify(args) }] });

it('answers with the tools the model calls, citing the figures it used, in the caller’s own conversation', async () => {
  const session = await start(a.apiKey);
  expect(session.status).toBe(200);
  expect(session.body).toMatchObject({ modelConfigured: true, messages: [], token: expect.any(String) });
  const id = session.body.conversationId as string;

  scriptTurn([
    () => call('analytics_overview', { period: 'last_7_days' }),
    (overview) => call('campaign_results', { name: `spring${overview.figures.conversations > 0 ? '' : '?'}` }),
    (results) => ({ content: `Conversations: ${JSON.parse(toolResults(fake.chatRequests.at(-1)!)[0]!).figures.conversations}; Spring sale replies: ${results.totals.replied}.` }),
  ]);
  const turn = await ask(a.apiKey, id, 'How was last week, and how did the spring promo do?');
  expect(turn.status).toBe(200);
  expect(turn.body.replies).toEqual([
    expect.objectContaining({
      text: 'Conversations: 10; Spring sale replies: 1.',
      citations: [
        { documentId: 'tool:analytics_overview', document: expect.stringMatching(/^Analytics · last 7 days/), section: expect.stringMatching(/^conversations 10 · resolution 50 %/) },
        { documentId: 'tool:campaign_results', document: 'Campaign results · Spring sale', section: expect.stringMatching(/^sent 4 of 4/) },
      ],
    }),
  ]);
  // The model was offered the assistant's tools; the system prompt is the assistant's.
  const first = fake.chatRequests.at(-3)!;
  expect(first.body.tools.map((t: { function: { name: string } }) => t.function.name)).toEqual(
    expect.arrayContaining(['analytics_overview', 'analytics_by_channel', 'list_campaigns', 'campaign_results', 'draft_post', 'menu_matrix', 'menu_top_items', 'menu_slow_days', 'presence_grade']),
  );
  expect(first.body.messages[0].content).toMatch(/^You are the marketing assistant/);

  // Continuing: the same conversation, with the answer and its citations.
  const again = await start(a.apiKey);
  expect(again.body.conversationId).toBe(id);
  expect(again.body.messages.map((m: { author: string }) => m.author)).toEqual(['contact', 'bot']);
  expect(again.body.messages[1].citations).toHaveLength(2);
  // Restarting: a new conversation.
  const fresh = await start(a.apiKey, { restart: true });
  expect(fresh.body.conversationId).not.toBe(id);
  expect(fresh.body.messages).toEqual([]);

  // Another key of the same tenant has its own conversation and cannot reach this one.
  const { key: otherKey } = await createApiKey(tenantEm(stack.orm, a.tenantId), a.tenantId, 'other');
  expect((await ask(otherKey, fresh.body.conversationId, 'hello')).status).toBe(404);
  expect((await start(otherKey)).body.conversationId).not.toBe(fresh.body.conversationId);
  // Another tenant's key: 404, and nothing was asked of the model.
  const asked = fake.chatRequests.length;
  const foreign = await ask(b.apiKey, fresh.body.conversationId, 'How many conversations?');
  expect(foreign.status).toBe(404);
  expect(foreign.body.error).toMatchObject({ code: 'not_found', field: 'id' });
  expect(fake.chatRequests.length).toBe(asked);
  // Assistant conversations are not in the inbox.
  const inbox = await stack.request('GET', '/v1/conversations', { apiKey: a.apiKey });
  expect(inbox.body.conversations.map((c: { id: string }) => c.id)).not.toContain(id);
}, 60_000);

it('drafts a post in the tenant’s brand voice with its model, citing the draft', async () => {
  const voice = await stack.request('POST', '/v1/brand-voices', { apiKey: a.apiKey, body: { name: 'Jazz bar', tone: 'relaxed, late-night', useWords: ['groove'], emojiPolicy: 'none', language: 'en' } });
  expect(voice.status).toBe(201);
  expect((await stack.request('PATCH', `/v1/brand-voices/${voice.body.id}`, { apiKey: a.apiKey, body: { isDefault: true } })).status).toBe(200);
  const { conversationId } = (await start(a.apiKey, { restart: true })).body;
  const caption = 'Friday night, the groove is back: live music from 8 pm. #livemusic #jazz #friday';
  let writerPrompt = '';
  let step = 0;
  fake.script((req) => {
    const system = String(req.body.messages[0].content);
    // The content writer's own call (campaigns/content), made inside the draft_post tool.
    if (system.startsWith('You write marketing messages')) {
      writerPrompt = system;
      return { content: JSON.stringify({ variants: [{ master: 'Live music on Friday.', sms: 'Live music Friday 8 pm.', social: { instagram: caption, facebook: 'Live music Friday from 8 pm.', google: 'Live music Friday from 8 pm.' } }] }) };
    }
    if (step++ === 0) return call('draft_post', { channel: 'instagram', topic: 'live music on Friday night', dates: 'Friday 8 pm' });
    const draft = JSON.parse(toolResults(req).at(-1)!);
    return { content: `Here is your post:\n\n${draft.text}` };
  });
  const turn = await ask(a.apiKey, conversationId, 'Draft an Instagram post for Friday’s live music');
  expect(writerPrompt).toContain('relaxed, late-night');
  expect(turn.body.replies).toEqual([
    expect.objectContaining({ text: `Here is your post:\n\n${caption}`, citations: [{ documentId: 'tool:draft_post', document: 'Draft · instagram', section: 'written by model:gpt-test' }] }),
  ]);
}, 60_000);

it('answers offline from the matched tool, and says what needs a model', async () => {
  const session = await start(b.apiKey);
  expect(session.body).toMatchObject({ modelConfigured: false, offlineExamples: expect.arrayContaining(['list my campaigns']) });
  const id = session.body.conversationId;
  const figures = await ask(b.apiKey, id, 'How many conversations did we have in the last 7 days?');
  expect(figures.body.replies).toEqual([
    expect.objectContaining({ source: 'offline-responder', text: expect.stringMatching(/^Last 7 days .*: 90 conversations/), citations: [expect.objectContaining({ documentId: 'tool:analytics_overview' })] }),
  ]);
  const free = await ask(b.apiKey, id, 'Tell me a joke');
  expect(free.body.replies[0].text).toMatch(/^No language model is configured, so I answer only what my tools can answer directly\. That question needs a model\./);
}, 60_000);

it('keeps the tools when the conversation starts again after its run closed, and says when the month’s tokens are used up', async () => {
  const { conversationId } = (await start(a.apiKey, { restart: true })).body;
  await stack.temporal.workflow.getHandle(`conv:${a.tenantId}:${conversationId}`).terminate('closed for the test');
  scriptTurn([() => call('list_campaigns', {}), (list) => ({ content: `${list.campaigns.length} campaigns.` })]);
  const again = await ask(a.apiKey, conversationId, 'How many campaigns do I have?');
  expect(again.body.replies).toEqual([expect.objectContaining({ text: '3 campaigns.', citations: [expect.objectContaining({ documentId: 'tool:list_campaigns' })] })]);

  // A tenant with a model whose month's tokens are used up is answered offline, and told why.
  const c = await stack.createTenant({ llm: { baseURL: `${fake.url}/v1` } });
  const quotas = new Quotas(redis, stack.orm, stack.config);
  await quotas.store.setOverrides(c.tenantId, { llm_tokens_per_month: 100 }, { label: 'operator (test)', method: 'PUT', route: 'test', path: 'test', ip: 'local', userAgent: null });
  await quotas.countLlmTokens(c.tenantId, 150);
  const asked = fake.chatRequests.length;
  const { conversationId: cId } = (await start(c.apiKey)).body;
  const reply = await ask(c.apiKey, cId, 'Tell me a joke');
  expect(reply.body.replies[0].text).toMatch(/^This month’s language-model allowance is used up, so until it renews I answer only what my tools can answer directly\. That question needs a model\./);
  expect(fake.chatRequests.length).toBe(asked);
}, 60_000);

it('refuses bad input naming the field', async () => {
  const { conversationId } = (await start(a.apiKey)).body;
  const empty = await ask(a.apiKey, conversationId, '');
  expect(empty.status).toBe(400);
  expect(empty.body.error.field).toBe('text');
  expect((await ask(a.apiKey, 'not-a-uuid', 'hi')).body.error).toMatchObject({ field: 'id' });
  expect((await start(a.apiKey, { restart: 'yes' })).body.error).toMatchObject({ field: 'restart' });
});

it('never gives a published flow’s AI reply the marketing tools', async () => {
  const graph: GraphInput = {
    nodes: [
      { id: 'start', type: 'start', data: {} },
      { id: 'ai', type: 'llmReply', data: { systemPrompt: 'You answer customers.', allowHandoff: false } },
      { id: 'end', type: 'end', data: {} },
    ],
    edges: [
      { id: 'a', source: 'start', target: 'ai' },
      { id: 'b', source: 'ai', target: 'end' },
    ],
    settings: { handoffKeywords: [], idleTimeoutMinutes: 30, contextWindow: 20, variables: {} },
  };
  const flow = await stack.request('POST', '/v1/flows', { apiKey: a.apiKey, body: { name: 'Customers', graph } });
  expect((await stack.request('POST', `/v1/flows/${flow.body.id}/publish`, { apiKey: a.apiKey })).status).toBe(201);
  const conversation = await stack.request('POST', '/v1/conversations', { apiKey: a.apiKey, body: { flowId: flow.body.id } });
  // Even a model that calls a marketing tool by name gets no figures: it is not a tool of this reply.
  scriptTurn([() => call('analytics_overview', {}), (result) => ({ content: `tool said: ${String(result)}` })]);
  const turn = await stack.request('POST', `/v1/conversations/${conversation.body.id}/messages`, { apiKey: a.apiKey, body: { text: 'How many conversations did the shop have?' } });
  expect(turn.body.replies[0].text).toBe('tool said: Error: there is no tool named "analytics_overview".');
  expect(fake.chatRequests.at(-2)!.body.tools ?? []).toEqual([]);
  // The assistant flow is not in the flow list.
  const flows = await stack.request('GET', '/v1/flows', { apiKey: a.apiKey });
  expect(flows.body.flows.map((f: { name: string }) => f.name)).toEqual(['Customers']);
}, 60_000);
