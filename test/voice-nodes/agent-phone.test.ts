/** A console user's phone (E.164): set and cleared by admins, refused when malformed, shown in the session, out of other tenants' reach. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signedIn } from '../console-api/support';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';

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

it('stores an agent’s phone, shows it in the session, refuses a malformed one and keeps tenants apart', async () => {
  const agent = await signedIn(stack, a.apiKey, 'agent');
  const url = `/v1/users/${agent.userId}`;
  expect((await stack.request('GET', '/v1/users', { apiKey: a.apiKey })).body.items.find((u: { id: string }) => u.id === agent.userId).phone).toBeNull();

  const bad = await stack.request('PATCH', url, { apiKey: a.apiKey, body: { phone: '030 1234' } });
  expect(bad.status).toBe(400);
  expect(bad.body.error.field).toBe('phone');

  const set = await stack.request('PATCH', url, { apiKey: a.apiKey, body: { phone: '+4930123456' } });
  expect(set.status).toBe(200);
  expect(set.body.phone).toBe('+4930123456');
  expect((await agent.request('GET', '/v1/auth/me')).body.user).toMatchObject({ id: agent.userId, phone: '+4930123456' });

  // Another tenant's key cannot read or change it.
  expect((await stack.request('PATCH', url, { apiKey: b.apiKey, body: { phone: '+15550001111' } })).status).toBe(404);
  expect((await stack.request('GET', '/v1/users', { apiKey: b.apiKey })).body.items.map((u: { id: string }) => u.id)).not.toContain(agent.userId);
  // An agent cannot change phones (users are admin business).
  expect((await agent.request('PATCH', url, { body: { phone: '+15550001111' } })).status).toBe(403);

  expect((await stack.request('PATCH', url, { apiKey: a.apiKey, body: { phone: null } })).body.phone).toBeNull();
  const created = await stack.request('POST', '/v1/users', { apiKey: a.apiKey, body: { email: `desk-${Date.now()}@example.test`, name: 'Desk', role: 'agent', password: 'correct-horse-battery-9', phone: '+442071234567' } });
  expect(created.status).toBe(201);
  expect(created.body.phone).toBe('+442071234567');
});
