/**
 * One tenant's messages-per-minute bucket is shared by every API process: two API processes (the
 * test's own, startStack, and api/main.ts as a child process) sharing only PostgreSQL and Redis;
 * once the first has used the bucket, the second refuses — in both directions.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { echoFlow } from '../support/flows';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { startApiProcess, type ApiProcess } from '../support/worker-process';

const OPERATOR_TOKEN = randomBytes(24).toString('hex');
let one: Stack;
let two: ApiProcess;

beforeAll(async () => {
  one = await startStack({ ...sharedServers(), env: { OPERATOR_TOKEN } });
  // The second process has no OPERATOR_TOKEN: its operator API is off (404), while its quotas still hold.
  two = await startApiProcess(one.workerEnv());
}, 120_000);

afterAll(async () => {
  await two?.kill('SIGTERM');
  await one?.close();
});

async function tenantWithLimit(perMinute: number) {
  const { apiKey, tenantId } = await one.createTenant();
  const set = await fetch(`${one.url}/v1/operator/tenants/${tenantId}/quotas`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messages_per_minute: perMinute }),
  });
  expect(set.status).toBe(200);
  const flow = await one.request('POST', '/v1/flows', { apiKey, body: { name: 'Echo', graph: echoFlow } });
  await one.request('POST', `/v1/flows/${flow.body.id}/publish`, { apiKey });
  const conversation = await one.request('POST', '/v1/conversations', { apiKey, body: { flowId: flow.body.id, channel: 'api' } });
  return { apiKey, conversationId: conversation.body.id as string };
}

const say = (url: string, t: { apiKey: string; conversationId: string }, text: string) =>
  fetch(`${url}/v1/conversations/${t.conversationId}/messages`, { method: 'POST', headers: { authorization: `Bearer ${t.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ text }) });

it('the second process refuses once the first used the bucket, and the other way around', async () => {
  const first = await tenantWithLimit(3);
  for (const text of ['a', 'b', 'c']) expect((await say(one.url, first, text)).status).toBe(200);
  const refused = await say(two.url, first, 'd');
  expect(refused.status).toBe(429);
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  expect((await refused.json()).error.details).toMatchObject({ quota: 'messages_per_minute', limit: 3 });

  const off = await fetch(`${two.url}/v1/operator/tenants/00000000-0000-4000-8000-000000000000/quotas`, { headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } });
  expect(off.status).toBe(404);
  expect((await off.json()).error.message).toContain('OPERATOR_TOKEN');

  const second = await tenantWithLimit(2);
  for (const text of ['a', 'b']) expect((await say(two.url, second, text)).status).toBe(200);
  expect((await say(one.url, second, 'c')).status).toBe(429);
  // The first tenant's refusals took nothing from the second's bucket, nor the other way around.
  expect((await say(one.url, first, 'e')).status).toBe(429);
}, 60_000);
