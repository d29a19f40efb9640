/**
 * `/v1/intents` (CRUD, bulk import, "try it", cross-validated accuracy), the inbox's labels and its
 * intent / sentiment filters, and `/v1/analytics/labels` (+ .csv): only the caller's tenant (another
 * tenant's intent is a 404), writable by builders and not by viewers, and bad input a 400 naming the field.
 */
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { graphSchema } from '../../core/graph/schema';
import { systemEm, tenantEm } from '../../db/orm';
import { createFlow, storeLabels } from '../../db/repos';
import { ConsoleClient } from '../console-api/support';
import { createConsoleUser } from '../e2e/support/console';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { makeTenant } from '../db/fixtures';

const EMPTY_GRAPH = graphSchema.parse({ nodes: [{ id: 'start', type: 'start', data: {} }], edges: [], settings: { handoffKeywords: [] } });
let stack: Stack;
let a: { tenantId: string; apiKey: string };
let b: { tenantId: string; apiKey: string };

beforeAll(async () => {
  stack = await startStack({ ...sharedServers(), worker: false });
  a = await stack.createTenant();
  b = await stack.createTenant();
});
afterAll(async () => {
  await stack?.close();
});

const call = (method: string, path: string, body?: unknown, apiKey = a.apiKey) => stack.request(method, path, { apiKey, body });

it('creates, reads, changes and deletes intents with their examples', async () => {
  const created = await call('POST', '/v1/intents', { name: 'card_arrival', description: 'Where is my card', examples: ['where is my card', 'my card has not arrived', 'where is my card'] });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ name: 'card_arrival', description: 'Where is my card', exampleCount: 2, examples: ['my card has not arrived', 'where is my card'] });
  const id = created.body.id as string;

  const taken = await call('POST', '/v1/intents', { name: 'card_arrival' });
  expect([taken.status, taken.body.error.field]).toEqual([409, 'name']);

  const changed = await call('PUT', `/v1/intents/${id}`, { description: 'Card delivery', examples: ['card still not here', 'when will my card arrive'] });
  expect(changed.body).toMatchObject({ name: 'card_arrival', description: 'Card delivery', examples: ['card still not here', 'when will my card arrive'] });
  expect((await call('GET', `/v1/intents/${id}`)).body.exampleCount).toBe(2);
  expect((await call('GET', '/v1/intents')).body.items).toEqual([expect.objectContaining({ id, name: 'card_arrival', exampleCount: 2 })]);

  // Another tenant sees nothing of it.
  for (const [method, body] of [['GET'], ['PUT', { name: 'x' }], ['DELETE']] as const) {
    expect((await call(method, `/v1/intents/${id}`, body, b.apiKey)).status).toBe(404);
  }
  expect((await call('GET', '/v1/intents', undefined, b.apiKey)).body.items).toEqual([]);

  expect((await call('DELETE', `/v1/intents/${id}`)).status).toBe(204);
  expect((await call('GET', `/v1/intents/${id}`)).status).toBe(404);
  const audit = await call('GET', '/v1/audit-log?limit=10');
  expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['intent.create', 'intent.update', 'intent.delete']));
});

it('imports examples as CSV and JSON lines, once, and refuses a bad line naming it', async () => {
  const csv = 'intent,text\ncard_arrival,where is my card\ncard_arrival,my card has not arrived yet\nlost_card,I lost my card\nlost_card,my card was stolen\nrefund,I want my money back\nrefund,how do I get a refund\n';
  expect((await call('POST', '/v1/intents/import', { format: 'csv', data: csv })).body).toEqual({ intentsCreated: 3, examplesAdded: 6, duplicates: 0 });
  expect((await call('POST', '/v1/intents/import', { format: 'csv', data: csv })).body).toEqual({ intentsCreated: 0, examplesAdded: 0, duplicates: 6 });
  const jsonl = ['card_arrival', 'still waiting for my card', 'lost_card', 'block my stolen card', 'refund', 'refund my order please', 'lost_card', 'report a lost card', 'card_arrival', 'when does the card come', 'refund', 'can I get reimbursed']
    .reduce<string[]>((lines, v, i, all) => (i % 2 ? lines : [...lines, JSON.stringify({ intent: v, text: all[i + 1] })]), [])
    .join('\n');
  expect((await call('POST', '/v1/intents/import', { format: 'jsonl', data: jsonl })).body).toEqual({ intentsCreated: 0, examplesAdded: 6, duplicates: 0 });

  const bad = await call('POST', '/v1/intents/import', { format: 'jsonl', data: '{"intent":"refund","text":"ok"}\n{"intent":"Refund!","text":"x"}' });
  expect([bad.status, bad.body.error.field, bad.body.error.message]).toEqual([400, 'data', expect.stringMatching(/^line 2: intent must be lower-case/)]);
  const format = await call('POST', '/v1/intents/import', { format: 'xlsx', data: 'x' });
  expect([format.status, format.body.error.field]).toEqual([400, 'format']);
  // Nothing of the refused import was kept.
  expect((await call('GET', '/v1/intents')).body.items.map((i: { name: string; exampleCount: number }) => [i.name, i.exampleCount])).toEqual([
    ['card_arrival', 4],
    ['lost_card', 4],
    ['refund', 4],
  ]);
});

it('tries the classifier on a sentence and reports the cross-validated accuracy', async () => {
  const tried = await call('POST', '/v1/intents/classify', { text: 'my card got stolen yesterday, this is terrible' });
  expect(tried.status).toBe(200);
  expect(tried.body).toMatchObject({ intent: 'lost_card', threshold: 0.3, sentiment: 'negative' });
  expect(tried.body.top).toHaveLength(3);
  expect(tried.body.top[0]).toEqual({ intent: 'lost_card', confidence: tried.body.confidence });

  const evaluation = await call('GET', '/v1/intents/evaluation');
  expect(evaluation.body).toMatchObject({ intents: 3, examples: 12, folds: 4, evaluated: 12 });
  expect(evaluation.body.accuracy).toBeGreaterThanOrEqual(0.5);

  // Without intents: everything is unknown, and there is no accuracy to give.
  expect((await call('POST', '/v1/intents/classify', { text: 'hello' }, b.apiKey)).body).toMatchObject({ intent: 'unknown', confidence: null, top: [] });
  expect((await call('GET', '/v1/intents/evaluation', undefined, b.apiKey)).body).toEqual({ intents: 0, examples: 0, accuracy: null, evaluated: 0, folds: 0 });
});

it('lets builders write and viewers read and try, and names the field of bad input', async () => {
  const viewer = new ConsoleClient(stack.url);
  const v = await createConsoleUser(stack, a.apiKey, 'viewer');
  await viewer.login(v.email, v.password);
  expect((await viewer.request('GET', '/v1/intents')).status).toBe(200);
  expect((await viewer.request('POST', '/v1/intents/classify', { body: { text: 'where is my card' } })).status).toBe(200);
  expect((await viewer.request('POST', '/v1/intents', { body: { name: 'nope' } })).status).toBe(403);
  const builder = new ConsoleClient(stack.url);
  const u = await createConsoleUser(stack, a.apiKey, 'builder');
  await builder.login(u.email, u.password);
  expect((await builder.request('POST', '/v1/intents', { body: { name: 'opening_hours', examples: ['when do you open'] } })).status).toBe(201);

  for (const [body, field] of [
    [{ name: 'Opening Hours' }, 'name'],
    [{ name: 'unknown' }, 'name'],
    [{ name: 'x'.repeat(101) }, 'name'],
    [{ name: 'ok', examples: [''] }, 'examples.0'],
    [{ name: 'ok', description: 5 }, 'description'],
  ] as const) {
    const res = await call('POST', '/v1/intents', body);
    expect([JSON.stringify(body).slice(0, 40), res.status, res.body.error.field]).toEqual([JSON.stringify(body).slice(0, 40), 400, field]);
  }
  expect((await call('PUT', `/v1/intents/${randomUUID()}`, {})).body.error.field).toBe('name');
  expect((await call('POST', '/v1/intents/classify', { text: ' ' })).body.error.field).toBe('text');
  expect((await call('GET', '/v1/intents/nope')).body.error.field).toBe('id');
});

it('shows labels in the inbox, filters by them, and counts them per intent and sentiment', async () => {
  const t = await makeTenant(stack.orm);
  // Conversations of tenant A, labelled as the worker would.
  const em = systemEm(stack.orm);
  const flowId = (await createFlow(tenantEm(stack.orm, a.tenantId), a.tenantId, { name: 'Labels', draft: EMPTY_GRAPH })).id;
  const conversations: string[] = [];
  for (const [intent, sentiment] of [['card_arrival', 'negative'], ['card_arrival', 'positive'], [null, 'neutral']] as const) {
    const id = randomUUID();
    await em.getConnection().execute(`insert into conversations (id, tenant_id, flow_id, flow_version, channel, workflow_id) values (?, ?, ?, 1, 'api', ?)`, [id, a.tenantId, flowId, `conv:${id}`]);
    await storeLabels(em, a.tenantId, id, { intent, intentConfidence: intent ? 0.8 : 0.1, sentiment, sentimentScore: sentiment === 'negative' ? -0.4 : 0, labelledBy: 'offline', inputKey: 'm:open' });
    conversations.push(id);
  }
  // Another tenant's labelled conversation counts only for it.
  await storeLabels(em, t.tenantId, t.conversationId, { intent: 'card_arrival', intentConfidence: 0.9, sentiment: 'negative', sentimentScore: -0.5, labelledBy: 'model', inputKey: 'm:open' });

  const all = await call('GET', '/v1/conversations?limit=50');
  const mine = all.body.conversations.filter((c: { id: string }) => conversations.includes(c.id));
  expect(mine.find((c: { id: string }) => c.id === conversations[0]).labels).toMatchObject({ intent: 'card_arrival', intentConfidence: 0.8, sentiment: 'negative', labelledBy: 'offline' });
  const ids = async (query: string) => ((await call('GET', `/v1/conversations?${query}`)).body.conversations as { id: string }[]).map((c) => c.id).sort();
  expect(await ids('intent=card_arrival')).toEqual([conversations[0], conversations[1]].sort());
  expect(await ids('intent=card_arrival&sentiment=negative')).toEqual([conversations[0]]);
  expect(await ids('intent=unknown')).toEqual([conversations[2]]);
  const badSentiment = await call('GET', '/v1/conversations?sentiment=angry');
  expect([badSentiment.status, badSentiment.body.error.field]).toEqual([400, 'sentiment']);

  const counts = await call('GET', '/v1/analytics/labels');
  expect(counts.body).toMatchObject({
    total: 3,
    intents: [
      { intent: 'card_arrival', conversations: 2 },
      { intent: 'unknown', conversations: 1 },
    ],
    sentiments: [
      { sentiment: 'positive', conversations: 1 },
      { sentiment: 'neutral', conversations: 1 },
      { sentiment: 'negative', conversations: 1 },
    ],
  });
  const old = await call('GET', '/v1/analytics/labels?from=2020-01-01&to=2020-01-31');
  expect(old.body.total).toBe(0);
  const reversed = await call('GET', '/v1/analytics/labels?from=2026-02-01&to=2026-01-01');
  expect([reversed.status, reversed.body.error.field]).toEqual([400, 'from']);

  const res = await fetch(`${stack.url}/v1/analytics/labels.csv`, { headers: { authorization: `Bearer ${a.apiKey}` } });
  expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
  expect(parse(await res.text())).toEqual([
    ['kind', 'label', 'conversations'],
    ['intent', 'card_arrival', '2'],
    ['intent', 'unknown', '1'],
    ['sentiment', 'positive', '1'],
    ['sentiment', 'neutral', '1'],
    ['sentiment', 'negative', '1'],
  ]);
});
