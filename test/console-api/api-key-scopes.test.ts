/**
 * API key scopes and expiry against the real API, PostgreSQL, Temporal and a worker: a read-only key reads
 * and changes nothing, a runs-only key starts and follows runs and nothing else, an expired key is
 * refused from its expiry on (cached or not), and bad scopes or expiries are 400s naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedServers } from '../support/shared-servers';
import { automationFlow } from '../support/flows';
import { startStack, type Stack } from '../support/stack';
import { waitUntil } from '../support/wait';

let stack: Stack;
let apiKey: string;
let flowId: string;

beforeAll(async () => {
  // With a worker: reading a run queries it.
  stack = await startStack(sharedServers());
  ({ apiKey } = await stack.createTenant());
  const created = await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'scoped', graph: automationFlow } });
  flowId = created.body.id;
  expect((await stack.request('POST', `/v1/flows/${flowId}/publish`, { apiKey })).status).toBe(201);
});

afterAll(async () => {
  await stack?.close();
});

async function keyWith(body: Record<string, unknown>) {
  const created = await stack.request('POST', '/v1/api-keys', { apiKey, body: { name: 'scoped key', ...body } });
  expect(created.status).toBe(201);
  return created.body as { id: string; key: string; scope: string; expiresAt: string | null };
}

const statusOf = async (key: string, method: string, path: string, body?: unknown) => (await stack.request(method, path, { apiKey: key, body })).status;

describe('scopes', () => {
  it('a read-only key reads but changes nothing and sees no admin data', async () => {
    const { key, scope } = await keyWith({ scope: 'read-only' });
    expect(scope).toBe('read-only');
    expect(await statusOf(key, 'GET', '/v1/flows')).toBe(200);
    expect(await statusOf(key, 'GET', `/v1/flows/${flowId}`)).toBe(200);
    expect(await statusOf(key, 'GET', '/v1/conversations')).toBe(200);
    const refused = await stack.request('POST', '/v1/flows', { apiKey: key, body: { name: 'nope', graph: automationFlow } });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'forbidden', field: 'role' });
    expect(await statusOf(key, 'POST', `/v1/flows/${flowId}/runs`, { input: {} })).toBe(403);
    expect(await statusOf(key, 'GET', '/v1/api-keys')).toBe(403);
    expect(await statusOf(key, 'POST', '/v1/api-keys', { name: 'escalate' })).toBe(403);
  });

  it('a runs-only key starts a run and follows it, and may do nothing else', async () => {
    const { key } = await keyWith({ scope: 'runs-only' });
    expect(await statusOf(key, 'GET', '/v1/flows')).toBe(200);
    const started = await stack.request('POST', `/v1/flows/${flowId}/runs`, { apiKey: key, body: { input: { orderId: 'A-1' } } });
    expect(started.status).toBe(202);
    await waitUntil(async () => (await statusOf(key, 'GET', `/v1/runs/${started.body.runId}`)) === 200, 10_000, 'the run to be readable');
    expect(await statusOf(key, 'GET', '/v1/runs')).toBe(200);
    expect(await statusOf(key, 'POST', `/v1/runs/${started.body.runId}/cancel`)).not.toBe(403);

    const refused = await stack.request('PUT', `/v1/flows/${flowId}`, { apiKey: key, body: { graph: automationFlow } });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'forbidden', field: 'scope' });
    expect(refused.body.error.message).toMatch(/runs-only/);
    expect(await statusOf(key, 'POST', `/v1/flows/${flowId}/publish`)).toBe(403);
    expect(await statusOf(key, 'POST', `/v1/runs/${started.body.runId}/terminate`)).toBe(403);
    expect(await statusOf(key, 'GET', '/v1/conversations')).toBe(403);
    expect(await statusOf(key, 'GET', '/v1/knowledge-bases')).toBe(403);
    expect(await statusOf(key, 'GET', '/v1/api-keys')).toBe(403);
  });

  it('keys made without a scope act as admins, and the list shows every key’s scope and expiry', async () => {
    const { id, key, scope, expiresAt } = await keyWith({});
    expect([scope, expiresAt]).toEqual(['admin', null]);
    expect(await statusOf(key, 'GET', '/v1/api-keys')).toBe(200);
    const listed = (await stack.request('GET', '/v1/api-keys', { apiKey })).body.items.find((k: any) => k.id === id);
    expect(listed).toMatchObject({ scope: 'admin', expiresAt: null });
  });
});

describe('expiry', () => {
  it('refuses a key from its expiry on, even while it is cached', async () => {
    const at = new Date(Date.now() + 2_500).toISOString();
    const { id, key, expiresAt } = await keyWith({ scope: 'admin', expiresAt: at });
    expect(expiresAt).toBe(at);
    // Used now, so the process caches it for longer than it has left.
    expect(await statusOf(key, 'GET', '/v1/flows')).toBe(200);
    await waitUntil(async () => (await statusOf(key, 'GET', '/v1/flows')) === 401, 10_000, 'the expired key to be refused');
    const refused = await stack.request('GET', '/v1/flows', { apiKey: key });
    expect(refused.body.error).toMatchObject({ code: 'unauthorized', field: 'authorization' });
    expect(refused.body.error.message).toContain('expired');
    expect((await stack.request('GET', '/v1/api-keys', { apiKey })).body.items.find((k: any) => k.id === id).expiresAt).toBe(at);
  });

  it('answers 400 naming the field for an unknown scope, a past expiry or a date that is not one', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ scope: 'superuser' }, 'scope'],
      [{ expiresAt: new Date(Date.now() - 60_000).toISOString() }, 'expiresAt'],
      [{ expiresAt: 'next tuesday' }, 'expiresAt'],
    ];
    for (const [body, field] of cases) {
      const res = await stack.request('POST', '/v1/api-keys', { apiKey, body: { name: 'bad', ...body } });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.field).toBe(field);
    }
  });
});
