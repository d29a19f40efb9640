/**
 * API keys are cached per API process for 30 s; a revocation is published on Redis so every other
 * process drops the key at once. Two API processes: the test's own (startStack) and api/main.ts
 * as a child process, sharing only PostgreSQL and Redis.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { startApiProcess, type ApiProcess } from '../support/worker-process';
import { waitUntil } from '../support/wait';

let one: Stack;
let two: ApiProcess;
let twoUrl: string;

beforeAll(async () => {
  one = await startStack({ ...sharedServers(), worker: false });
  two = await startApiProcess(one.workerEnv());
  twoUrl = two.url;
}, 120_000);

afterAll(async () => {
  await two?.kill('SIGTERM');
  await one?.close();
});

const statusOn = async (url: string, key: string) => (await fetch(`${url}/v1/api-keys`, { headers: { authorization: `Bearer ${key}` } })).status;

/** A second key of the tenant, used once on both processes so each has it cached. */
async function cachedEverywhere(adminKey: string, name: string) {
  const created = await one.request('POST', '/v1/api-keys', { apiKey: adminKey, body: { name } });
  expect(created.status).toBe(201);
  const { id, key } = created.body as { id: string; key: string };
  expect(await statusOn(one.url, key)).toBe(200);
  expect(await statusOn(twoUrl, key)).toBe(200);
  return { id, key };
}

// Far below the 30 s a cached key would otherwise live on; Redis delivers in milliseconds.
const AT_ONCE_MS = 2_000;

it('a key revoked through one API process stops working on the other at once, in both directions', async () => {
  const { apiKey: admin } = await one.createTenant();

  const first = await cachedEverywhere(admin, 'revoked on one');
  expect((await one.request('DELETE', `/v1/api-keys/${first.id}`, { apiKey: admin })).status).toBe(204);
  expect(await statusOn(one.url, first.key)).toBe(401);
  await waitUntil(async () => (await statusOn(twoUrl, first.key)) === 401, AT_ONCE_MS, 'the other process refusing the revoked key');

  const second = await cachedEverywhere(admin, 'revoked on two');
  const revoked = await fetch(`${twoUrl}/v1/api-keys/${second.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${admin}` } });
  expect(revoked.status).toBe(204);
  expect(await statusOn(twoUrl, second.key)).toBe(401);
  await waitUntil(async () => (await statusOn(one.url, second.key)) === 401, AT_ONCE_MS, 'the other process refusing the revoked key');

  // Only the revoked keys: the admin key (cached on both) still works everywhere.
  expect(await statusOn(one.url, admin)).toBe(200);
  expect(await statusOn(twoUrl, admin)).toBe(200);
}, 60_000);
