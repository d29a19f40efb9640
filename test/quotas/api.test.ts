/**
 * Quotas through the real API and worker: the 429 (shape, Retry-After, the socket's error frame),
 * the usage report, the operator's API and command line (token, validation, audit), storage refused
 * with 413, a model call over the month's tokens answered offline, and the 80 %/100 % notices sent
 * once per period — each tenant's quotas its own.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodKey } from '../../core/quotas';
import { systemEm } from '../../db/orm';
import { quotaCommand } from '../../db/quota-cli';
import { OVER_QUOTA_REPLY } from '../../llm/offline';
import { quotaRefusals } from '../../metrics';
import { counterKey, DIRTY_SET } from '../../quotas/buckets';
import { Quotas } from '../../quotas/quotas';
import { startQuotaUpkeep } from '../../worker/quotas';
import type { SystemMailer } from '../../webhooks/mailer';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server';
import { echoFlow } from '../support/flows';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { openLlmChat } from '../support/ws';
import { createWebchatChannel, openSession, PNG_BYTES, upload } from '../widget/support';

const OPERATOR_TOKEN = randomBytes(24).toString('hex');
let stack: Stack;
let llm: FakeOpenAI;
const redis = new Redis(sharedServers().redisUrl, { maxRetriesPerRequest: 3 });

beforeAll(async () => {
  llm = await startFakeOpenAI();
  stack = await startStack({ ...sharedServers(), env: { OPERATOR_TOKEN } });
}, 120_000);
afterAll(async () => {
  await stack?.close();
  await llm?.close();
  redis.disconnect();
});

const operator = (method: string, tenantId: string, body?: unknown, token = OPERATOR_TOKEN) =>
  fetch(`${stack.url}/v1/operator/tenants/${tenantId}/quotas`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const setLimits = async (tenantId: string, limits: Record<string, number | null>) => {
  const res = await operator('PUT', tenantId, limits);
  expect(res.status).toBe(200);
  return res.json();
};

async function echoConversation(apiKey: string) {
  const flow = await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'Echo', graph: echoFlow } });
  await stack.request('POST', `/v1/flows/${flow.body.id}/publish`, { apiKey });
  const conv = await stack.request('POST', '/v1/conversations', { apiKey, body: { flowId: flow.body.id, channel: 'api' } });
  return { flowId: flow.body.id as string, conversationId: conv.body.id as string };
}
const say = (apiKey: string, conversationId: string, text: string) =>
  fetch(`${stack.url}/v1/conversations/${conversationId}/messages`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ text }) });

describe('messages per minute', () => {
  it('answers 429 with Retry-After and a JSON body naming the quota; another tenant is not held back', async () => {
    const a = await stack.createTenant();
    const b = await stack.createTenant();
    await setLimits(a.tenantId, { messages_per_minute: 2 });
    const { conversationId } = await echoConversation(a.apiKey);
    expect((await say(a.apiKey, conversationId, 'one')).status).toBe(200);
    expect((await say(a.apiKey, conversationId, 'two')).status).toBe(200);
    const refused = await say(a.apiKey, conversationId, 'three');
    expect(refused.status).toBe(429);
    // Two a minute: a token comes back within 30 s.
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(30);
    const body = await refused.json();
    expect(body.error).toMatchObject({ code: 'quota_exceeded', details: { quota: 'messages_per_minute', limit: 2, retryAfterSeconds: retryAfter } });
    expect(body.error.message).toContain('messages_per_minute');
    expect((await quotaRefusals.get()).values.find((v) => v.labels.quota === 'messages_per_minute')?.value).toBeGreaterThanOrEqual(1);

    const other = await echoConversation(b.apiKey);
    for (const text of ['one', 'two', 'three']) expect((await say(b.apiKey, other.conversationId, text)).status).toBe(200);

    const usage = await stack.request('GET', '/v1/usage', { apiKey: a.apiKey });
    expect(usage.body.quotas.find((q: any) => q.quota === 'messages_per_minute')).toMatchObject({ used: 2, limit: 2, level: 'exceeded' });
    const theirs = await stack.request('GET', '/v1/usage', { apiKey: b.apiKey });
    expect(theirs.body.quotas.find((q: any) => q.quota === 'messages_per_minute')).toMatchObject({ limit: null, level: 'ok' });
  }, 60_000);

  it('refuses on the chat socket with an error frame naming the quota; the socket stays open', async () => {
    const { tenantId, chat } = await openLlmChat(stack, `${llm.url}/v1`);
    await setLimits(tenantId, { messages_per_minute: 1 });
    chat.send({ text: 'first' });
    await chat.waitFor((f) => f.type === 'message' && f.message.author === 'bot');
    chat.send({ text: 'second' });
    const error = await chat.waitFor((f) => f.type === 'error');
    expect(error.error).toMatchObject({ code: 'quota_exceeded', details: { quota: 'messages_per_minute', limit: 1 } });
    expect(chat.socket.readyState).toBe(chat.socket.OPEN);
    chat.close();
  }, 60_000);
});

describe('operator override', () => {
  it('needs OPERATOR_TOKEN (a tenant admin key is not it), validates, names the tenant, and is audited', async () => {
    const a = await stack.createTenant();
    expect((await operator('GET', a.tenantId, undefined, 'wrong')).status).toBe(401);
    const withTenantKey = await fetch(`${stack.url}/v1/operator/tenants/${a.tenantId}/quotas`, { headers: { authorization: `Bearer ${a.apiKey}` } });
    expect(withTenantKey.status).toBe(401);
    expect((await operator('GET', '00000000-0000-4000-8000-000000000000')).status).toBe(404);

    const bad = await operator('PUT', a.tenantId, { messages_per_minute: -1 });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.field).toBe('messages_per_minute');
    expect((await operator('PUT', a.tenantId, { bogus: 1 })).status).toBe(400);

    const raised = await setLimits(a.tenantId, { llm_tokens_per_month: 2_000_000, storage_bytes: 0 });
    expect(raised.overrides).toEqual({ llm_tokens_per_month: 2_000_000, storage_bytes: 0 });
    expect(raised.effective.llm_tokens_per_month).toBe(2_000_000);
    const reset = await setLimits(a.tenantId, { llm_tokens_per_month: null });
    expect(reset.overrides).toEqual({ storage_bytes: 0 });
    expect(reset.effective.llm_tokens_per_month).toBe(reset.defaults.llm_tokens_per_month);

    const log = await stack.request('GET', '/v1/audit-log?action=quota.update', { apiKey: a.apiKey });
    expect(log.status).toBe(200);
    expect(log.body.items).toHaveLength(2);
    expect(log.body.items[0]).toMatchObject({ actorKind: 'operator', actorLabel: 'operator (API)', targetId: a.tenantId });
    expect(log.body.items[0].changes).toEqual([{ path: 'llm_tokens_per_month', before: 2_000_000 }]);
  });

  it('the command line sets limits the same way, audited as the operator', async () => {
    const a = await stack.createTenant();
    const out = JSON.parse(await quotaCommand(systemEm(stack.orm), stack.config, ['set', a.tenantId, 'campaign_sends_per_day=500', 'storage_bytes=2MB', 'messages_per_minute=unlimited']));
    expect(out.overrides).toEqual({ campaign_sends_per_day: 500, storage_bytes: 2 * 1024 * 1024, messages_per_minute: 0 });
    await expect(quotaCommand(systemEm(stack.orm), stack.config, ['set', a.tenantId, 'llm_tokens_per_month=lots'])).rejects.toThrow(/whole number/);
    const log = await stack.request('GET', '/v1/audit-log?action=quota.update', { apiKey: a.apiKey });
    expect(log.body.items).toHaveLength(1);
    expect(log.body.items[0]).toMatchObject({ actorKind: 'operator', method: 'CLI' });
  });
});

describe('storage', () => {
  it('refuses an upload past the limit with 413 naming the quota', async () => {
    const a = await stack.createTenant();
    await setLimits(a.tenantId, { storage_bytes: 40 });
    const kb = await stack.request('POST', '/v1/knowledge-bases', { apiKey: a.apiKey, body: { name: 'Docs' } });
    const fits = await stack.request('POST', `/v1/knowledge-bases/${kb.body.id}/documents`, { apiKey: a.apiKey, body: { name: 'small', text: 'Opening hours: 9 to 5.' } });
    expect(fits.status).toBe(202);
    const over = await stack.request('POST', `/v1/knowledge-bases/${kb.body.id}/documents`, { apiKey: a.apiKey, body: { name: 'big', text: 'We deliver within the city on weekdays.' } });
    expect(over.status).toBe(413);
    expect(over.body.error).toMatchObject({ code: 'payload_too_large', field: 'file', details: { quota: 'storage_bytes', limit: 40 } });
    expect(over.body.error.message).toContain('storage quota');
    const usage = await stack.request('GET', '/v1/usage', { apiKey: a.apiKey });
    expect(usage.body.quotas.find((q: any) => q.quota === 'storage_bytes')).toMatchObject({ used: 22, limit: 40, level: 'ok', resetsAt: null });

    // A visitor's file on the web-chat widget counts against the same quota.
    const { channelId } = await createWebchatChannel(stack, a.apiKey, echoFlow, { fileUpload: true });
    const session = await openSession(stack, channelId);
    const refused = await upload(stack, session.body.token, { bytes: PNG_BYTES, name: 'photo.png', type: 'image/png' });
    expect(refused.status).toBe(413);
    expect(refused.body.error.details).toMatchObject({ quota: 'storage_bytes', limit: 40, used: 22 });
    await setLimits(a.tenantId, { storage_bytes: null });
    expect((await upload(stack, session.body.token, { bytes: PNG_BYTES, name: 'photo.png', type: 'image/png' })).status).toBe(201);
  }, 60_000);
});

describe('LLM tokens per month', () => {
  it('over the limit the model is not called: the flow answers offline, and the usage says so', async () => {
    const { tenantId, apiKey, chat } = await openLlmChat(stack, `${llm.url}/v1`);
    await setLimits(tenantId, { llm_tokens_per_month: 5 });
    const before = llm.chatRequests.length;
    chat.send({ text: 'hello there' });
    const answered = await chat.waitFor((f) => f.type === 'message' && f.message.author === 'bot');
    expect(answered.message.text).toContain('You said: hello there');
    expect(llm.chatRequests.length).toBe(before + 1);

    chat.send({ text: 'and again' });
    const offline = await chat.waitFor((f) => f.type === 'message' && f.message.author === 'bot' && f.message.id !== answered.message.id);
    expect(offline.message.text).toBe(OVER_QUOTA_REPLY);
    expect(llm.chatRequests.length).toBe(before + 1);
    const usage = await stack.request('GET', '/v1/usage', { apiKey });
    const tokens = usage.body.quotas.find((q: any) => q.quota === 'llm_tokens_per_month');
    expect(tokens).toMatchObject({ limit: 5, level: 'exceeded' });
    expect(tokens.used).toBeGreaterThanOrEqual(5);
    expect(Date.parse(tokens.resetsAt)).toBeGreaterThan(Date.now());
    chat.close();
  }, 60_000);
});

describe('80 % and 100 % notices', () => {
  it('go out once per period and level: an email to the admins and a webhook event; usage is kept in PostgreSQL across a Redis loss', async () => {
    const a = await stack.createTenant();
    await setLimits(a.tenantId, { llm_tokens_per_month: 100 });
    await systemEm(stack.orm).getConnection().execute(`insert into users (id, tenant_id, email, name, role, password_hash, created_at, updated_at) values (gen_random_uuid(), ?, 'owner@example.com', 'Owner', 'admin', 'x', now(), now())`, [a.tenantId]);
    const mails: Parameters<SystemMailer>[0][] = [];
    const eventsQueue = new Queue(`quota-events-${Date.now()}`, { connection: redis });
    const upkeep = startQuotaUpkeep({ orm: stack.orm, redis, config: stack.config, eventsQueue, mailer: async (m) => void mails.push(m), log: () => undefined });
    const quotas = new Quotas(redis, stack.orm, stack.config);
    try {
      // A counter of a tenant this database does not have (deleted, or another installation's) is dropped, not a failed pass.
      const stray = counterKey(randomUUID(), 'llm_tokens_per_month', periodKey('llm_tokens_per_month'));
      await redis.set(stray, '999', 'EX', 60);
      await redis.sadd(DIRTY_SET, stray);
      await expect(upkeep.flush()).resolves.toBeGreaterThanOrEqual(0);
      await quotas.countLlmTokens(a.tenantId, 50);
      await upkeep.flush();
      expect(mails).toHaveLength(0);
      await quotas.countLlmTokens(a.tenantId, 35);
      await upkeep.flush();
      await quotas.countLlmTokens(a.tenantId, 1);
      await upkeep.flush();
      expect(mails.map((m) => m.subject)).toEqual(['Quota at 80 %: LLM tokens this month']);
      expect(mails[0]).toMatchObject({ to: ['owner@example.com'] });
      expect(mails[0].text).toContain('85 of 100 tokens (85 %)');
      await quotas.countLlmTokens(a.tenantId, 20);
      await upkeep.flush();
      await quotas.countLlmTokens(a.tenantId, 5);
      await upkeep.flush();
      expect(mails.map((m) => m.subject)).toEqual(['Quota at 80 %: LLM tokens this month', 'Quota reached: LLM tokens this month']);
      const jobs = await eventsQueue.getJobs(['waiting', 'delayed', 'active', 'completed']);
      expect(jobs.filter((j) => j.data.tenantId === a.tenantId).map((j) => [j.data.type, j.data.data.used]).sort()).toEqual([
        ['quota.exceeded', 106],
        ['quota.warning', 85],
      ]);

      const period = periodKey('llm_tokens_per_month');
      const [kept] = await systemEm(stack.orm).getConnection().execute(`select used from quota_usage where tenant_id = ? and quota = 'llm_tokens_per_month' and period = ?`, [a.tenantId, period]);
      expect(Number(kept.used)).toBe(111);
      // Redis loses the counter (a restart): the next check seeds it from PostgreSQL, the month is not reset.
      await redis.del(counterKey(a.tenantId, 'llm_tokens_per_month', period));
      expect(await quotas.llmRefusal(a.tenantId)).toMatchObject({ quota: 'llm_tokens_per_month', used: 111, limit: 100 });
    } finally {
      await upkeep.close();
      await eventsQueue.obliterate({ force: true });
      await eventsQueue.close();
    }
  });
});
