/**
 * Sign-in, sessions, CSRF, roles and administration (users, API keys, LLM settings) against the
 * real API, PostgreSQL and Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tenant } from '../../db/entities';
import { systemEm } from '../../db/orm';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { llmOnlyFlow } from '../support/flows';
import { ConsoleClient, signedIn } from './support';

let stack: Stack;
let fake: FakeOpenAI;
let apiKey: string;
let tenantId: string;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  stack = await startStack({ ...sharedServers(), worker: false });
  ({ apiKey, tenantId } = await stack.createTenant());
});

afterAll(async () => {
  await stack?.close();
  await fake?.close();
});

describe('signing in', () => {
  it('logs in with a session cookie, answers me, and logs out', async () => {
    const admin = await signedIn(stack, apiKey, 'admin');
    const login = await new ConsoleClient(stack.url).login(admin.email.toUpperCase(), admin.password);
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ user: { email: admin.email, role: 'admin', name: 'admin person' }, tenant: { id: tenantId } });
    const cookie = login.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^sb_session=[\w-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/); // plain http here

    const me = await admin.request('GET', '/v1/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.csrfToken).toBe(admin.csrfToken);
    expect(me.body.user.id).toBe(admin.userId);
    const users = await stack.request('GET', '/v1/users', { apiKey });
    expect(users.body.items.find((u: any) => u.id === admin.userId).lastLoginAt).not.toBeNull();

    expect((await admin.request('POST', '/v1/auth/logout')).status).toBe(204);
    expect((await admin.request('GET', '/v1/auth/me')).status).toBe(401);
    expect((await admin.request('GET', '/v1/flows')).status).toBe(401);
    expect((await new ConsoleClient(stack.url).request('GET', '/v1/auth/me')).status).toBe(401);
  });

  it('answers a wrong password and an unknown email alike, and rate-limits attempts', async () => {
    const viewer = await signedIn(stack, apiKey, 'viewer');
    const client = new ConsoleClient(stack.url);
    const wrong = await client.login(viewer.email, 'not the password');
    const unknown = await client.login('nobody@example.test', 'whatever-password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error).toEqual(unknown.body.error);
    expect(wrong.body.error.code).toBe('unauthorized');
    expect(wrong.headers.get('set-cookie')).toBeNull();

    // Ten attempts per email and address in 15 minutes; the sign-in in signedIn() and the wrong
    // password above were the first two.
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) statuses.push((await client.login(viewer.email, `wrong-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 401, 401, 429]);
    const limited = await client.login(viewer.email, viewer.password);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    // Another email from the same address is not affected.
    expect((await client.login('someone-else@example.test', 'x')).status).toBe(401);
  });

  it('refuses cookie-authenticated writes without the CSRF token, never API-key writes', async () => {
    const builder = await signedIn(stack, apiKey, 'builder');
    const body = { name: 'CSRF', graph: llmOnlyFlow };
    const missing = await builder.request('POST', '/v1/flows', { body, csrf: false });
    expect(missing.status).toBe(403);
    expect(missing.body.error).toMatchObject({ code: 'forbidden', field: 'x-csrf-token' });
    const saved = builder.csrfToken;
    builder.csrfToken = `${saved!.slice(0, -2)}xx`;
    expect((await builder.request('POST', '/v1/flows', { body })).status).toBe(403);
    builder.csrfToken = saved;
    expect((await builder.request('POST', '/v1/flows', { body })).status).toBe(201);
    // Reads need no token.
    expect((await builder.request('GET', '/v1/flows', { csrf: false })).status).toBe(200);
    expect((await stack.request('POST', '/v1/flows', { apiKey, body })).status).toBe(201);
  });

  it('signs out a disabled user and one whose password changed', async () => {
    const agent = await signedIn(stack, apiKey, 'agent');
    expect((await stack.request('PATCH', `/v1/users/${agent.userId}`, { apiKey, body: { disabled: true } })).status).toBe(200);
    expect((await agent.request('GET', '/v1/auth/me')).status).toBe(401);
    expect((await new ConsoleClient(stack.url).login(agent.email, agent.password)).status).toBe(401);
    expect((await stack.request('PATCH', `/v1/users/${agent.userId}`, { apiKey, body: { disabled: false, password: 'a-new-password-1' } })).status).toBe(200);
    expect((await new ConsoleClient(stack.url).login(agent.email, agent.password)).status).toBe(401);
    expect((await new ConsoleClient(stack.url).login(agent.email, 'a-new-password-1')).status).toBe(200);
  });
});

describe('roles', () => {
  it('lets each role do what it may and nothing more', async () => {
    const [viewer, agent, builder, admin] = await Promise.all((['viewer', 'agent', 'builder', 'admin'] as const).map((r) => signedIn(stack, apiKey, r)));
    const flowId = (await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'Roles', graph: llmOnlyFlow } })).body.id;
    const publish = (c: ConsoleClient) => c.request('POST', `/v1/flows/${flowId}/publish`, { body: { note: 'x' } });
    const createUser = (c: ConsoleClient) => c.request('GET', '/v1/users');
    const cannedWrite = (c: ConsoleClient) => c.request('POST', '/v1/canned-responses', { body: { shortcut: `s${Math.random().toString(36).slice(2, 8)}`, text: 'Hello' } });
    const settings = (c: ConsoleClient) => c.request('GET', '/v1/settings/llm');
    const kb = (c: ConsoleClient) => c.request('POST', '/v1/knowledge-bases', { body: { name: 'KB' } });

    // Everyone reads flows, conversations, runs, canned responses.
    for (const c of [viewer, agent, builder, admin]) {
      expect((await c.request('GET', '/v1/flows')).status).toBe(200);
      expect((await c.request('GET', '/v1/conversations')).status).toBe(200);
      expect((await c.request('GET', '/v1/canned-responses')).status).toBe(200);
    }
    // Publishing: builder and admin only; an agent cannot publish a flow.
    expect((await publish(viewer)).status).toBe(403);
    const agentPublish = await publish(agent);
    expect(agentPublish.status).toBe(403);
    expect(agentPublish.body.error.code).toBe('forbidden');
    expect((await publish(builder)).status).toBe(201);
    expect((await publish(admin)).status).toBe(201);
    // Knowledge bases and canned-response writes: builder and admin.
    expect((await kb(agent)).status).toBe(403);
    const created = await kb(builder);
    expect(created.status).toBe(201);
    // Searching reads, though it is a POST: viewers may.
    expect((await viewer.request('POST', `/v1/knowledge-bases/${created.body.id}/search`, { body: { query: 'opening hours' } })).status).toBe(200);
    expect((await viewer.request('DELETE', `/v1/knowledge-bases/${created.body.id}`)).status).toBe(403);
    expect((await cannedWrite(agent)).status).toBe(403);
    expect((await cannedWrite(builder)).status).toBe(201);
    // Administration: admin only, reads included.
    for (const c of [viewer, agent, builder]) {
      expect((await createUser(c)).status).toBe(403);
      expect((await settings(c)).status).toBe(403);
      expect((await c.request('GET', '/v1/api-keys')).status).toBe(403);
    }
    expect((await createUser(admin)).status).toBe(200);
    expect((await settings(admin)).status).toBe(200);
  });
});

describe('users', () => {
  it('creates, lists, updates and deletes users; an admin cannot delete or demote themself', async () => {
    const admin = await signedIn(stack, apiKey, 'admin');
    const body = { email: 'Casey@Example.test', name: 'Casey', role: 'viewer', password: 'long-enough-password' };
    const created = await admin.request('POST', '/v1/users', { body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: 'casey@example.test', name: 'Casey', role: 'viewer', disabled: false, lastLoginAt: null });
    expect(created.body).not.toHaveProperty('passwordHash');
    expect((await admin.request('POST', '/v1/users', { body: { ...body, email: 'casey@example.test' } })).body.error).toMatchObject({ code: 'conflict', field: 'email' });
    const short = await admin.request('POST', '/v1/users', { body: { ...body, email: 'x@example.test', password: 'short' } });
    expect(short.status).toBe(400);
    expect(short.body.error.field).toBe('password');
    expect((await admin.request('POST', '/v1/users', { body: { ...body, email: 'y@example.test', role: 'owner' } })).body.error.field).toBe('role');

    const patched = await admin.request('PATCH', `/v1/users/${created.body.id}`, { body: { role: 'builder', name: 'Casey B.' } });
    expect(patched.body).toMatchObject({ role: 'builder', name: 'Casey B.' });
    const list = await admin.request('GET', '/v1/users');
    expect(list.body.items.map((u: any) => u.email)).toContain('casey@example.test');

    expect((await admin.request('DELETE', `/v1/users/${admin.userId}`)).status).toBe(409);
    expect((await admin.request('PATCH', `/v1/users/${admin.userId}`, { body: { role: 'viewer' } })).status).toBe(409);
    expect((await admin.request('DELETE', `/v1/users/${created.body.id}`)).status).toBe(204);
    expect((await admin.request('DELETE', `/v1/users/${created.body.id}`)).status).toBe(404);
    // Another tenant's user is not found.
    const other = await stack.createTenant();
    const foreign = await stack.request('POST', '/v1/users', { apiKey: other.apiKey, body: { ...body, email: 'foreign@example.test' } });
    expect((await admin.request('PATCH', `/v1/users/${foreign.body.id}`, { body: { name: 'x' } })).status).toBe(404);
  });
});

describe('API keys', () => {
  it('shows a new key once, lists prefixes, and rejects a revoked key at once', async () => {
    const created = await stack.request('POST', '/v1/api-keys', { apiKey, body: { name: 'ci' } });
    expect(created.status).toBe(201);
    const { id, key, prefix } = created.body;
    expect(key).toMatch(/^sb_live_/);
    expect(key.startsWith(prefix)).toBe(true);
    expect((await stack.request('GET', '/v1/flows', { apiKey: key })).status).toBe(200);

    const list = await stack.request('GET', '/v1/api-keys', { apiKey });
    const listed = list.body.items.find((k: any) => k.id === id);
    expect(listed).toMatchObject({ name: 'ci', prefix, revokedAt: null });
    expect(JSON.stringify(list.body)).not.toContain(key);
    expect(listed.lastUsedAt).not.toBeNull();

    expect((await stack.request('DELETE', `/v1/api-keys/${id}`, { apiKey })).status).toBe(204);
    const rejected = await stack.request('GET', '/v1/flows', { apiKey: key });
    expect(rejected.status).toBe(401);
    expect((await stack.request('GET', '/v1/api-keys', { apiKey })).body.items.find((k: any) => k.id === id).revokedAt).not.toBeNull();
    expect((await stack.request('DELETE', `/v1/api-keys/${id}`, { apiKey })).status).toBe(404);
  });
});

describe('LLM settings', () => {
  it('stores the key encrypted, never returns it, keeps it when omitted, and tests the connection', async () => {
    const admin = await signedIn(stack, apiKey, 'admin');
    expect((await admin.request('GET', '/v1/settings/llm')).body).toEqual({ configured: false, apiKeySet: false, fallbacks: [] });
    const put = await admin.request('PUT', '/v1/settings/llm', {
      body: { baseURL: `${fake.url}/v1`, model: 'gpt-test', apiKey: 'sk-secret-123', pricing: { inputPer1M: 1, outputPer1M: 2 }, fallbacks: [{ baseURL: 'http://127.0.0.1:9/v1', model: 'backup', apiKey: 'sk-backup-456' }] },
    });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({
      configured: true,
      baseURL: `${fake.url}/v1`,
      model: 'gpt-test',
      apiKeySet: true,
      pricing: { inputPer1M: 1, outputPer1M: 2 },
      fallbacks: [{ baseURL: 'http://127.0.0.1:9/v1', model: 'backup', apiKeySet: true }],
    });
    const stored = await systemEm(stack.orm).findOneOrFail(Tenant, { id: tenantId });
    expect(JSON.stringify(stored.settings)).not.toContain('sk-secret-123');
    expect(JSON.stringify(stored.settings)).not.toContain('sk-backup-456');
    const got = await admin.request('GET', '/v1/settings/llm');
    expect(JSON.stringify(got.body)).not.toContain('sk-');

    // Omitted key: kept. The test call reaches the provider with it.
    expect((await admin.request('PUT', '/v1/settings/llm', { body: { baseURL: `${fake.url}/v1`, model: 'gpt-test-2' } })).body.apiKeySet).toBe(true);
    fake.enqueue({ content: 'OK' });
    const test = await admin.request('POST', '/v1/settings/llm/test');
    expect(test.status).toBe(200);
    expect(test.body.ok).toBe(true);
    expect(test.body.latencyMs).toBeGreaterThanOrEqual(0);
    expect(fake.requests.at(-1)!.headers.authorization).toBe('Bearer sk-secret-123');
    expect(fake.requests.at(-1)!.body.model).toBe('gpt-test-2');

    const unreachable = await admin.request('POST', '/v1/settings/llm/test', { body: { baseURL: 'http://127.0.0.1:9/v1', model: 'x', apiKey: '' } });
    expect(unreachable.body.ok).toBe(false);
    expect(unreachable.body.detail).toMatch(/could not reach/);

    // A new endpoint without a key is refused; DELETE goes back to offline.
    const stranger = await stack.createTenant();
    const noKey = await stack.request('PUT', '/v1/settings/llm', { apiKey: stranger.apiKey, body: { baseURL: 'http://127.0.0.1:9/v1', model: 'x' } });
    expect(noKey.status).toBe(400);
    expect(noKey.body.error.field).toBe('apiKey');
    expect((await admin.request('DELETE', '/v1/settings/llm')).status).toBe(204);
    expect((await admin.request('GET', '/v1/settings/llm')).body.configured).toBe(false);
  });
});
