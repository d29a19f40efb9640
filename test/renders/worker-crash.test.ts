/**
 * A worker killed (SIGKILL) while its render waits for D-ID: nothing is running then (the wait is a
 * durable timer and a signal), so a new worker picks the workflow up, the D-ID job is found by the
 * stored key rather than created again, and the render completes once, billed once.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { VideoRender } from '../../db/entities';
import { systemEm } from '../../db/orm';
import { waitUntil } from '../support/wait';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';
import { renderTenant, startRenderRig, waitForRender, type RenderRig } from './support';

let rig: RenderRig;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  rig = await startRenderRig({ worker: false, renderMs: 6000, pollSeconds: 2 });
}, 60_000);
afterAll(async () => {
  await Promise.all(workers.map((w) => w.kill('SIGKILL')));
  await rig?.close();
});

it('completes once and is billed once when the worker dies while D-ID renders', async () => {
  const env = { ...rig.stack.workerEnv(), ...rig.env };
  const first = await startWorkerProcess(env, 120_000);
  workers.push(first);
  const t = await renderTenant(rig);
  const created = await rig.stack.request('POST', '/v1/videos', { apiKey: t.apiKey, body: { script: { type: 'text', text: 'Our bakery opens at seven tomorrow with fresh croissants and sourdough bread for everyone.' }, avatarId: t.avatarId } });
  expect(created.status).toBe(202);
  const row = () => systemEm(rig.stack.orm).findOneOrFail(VideoRender, { id: created.body.id }, { filters: false, refresh: true });
  await waitUntil(async () => (await row()).stage === 'waiting' && !!(await row()).providerJobId, 60_000, 'the render to wait for D-ID');
  await first.kill('SIGKILL');

  const second = await startWorkerProcess(env, 120_000);
  workers.push(second);
  const done = await waitForRender(rig.stack, t.apiKey, created.body.id, 120_000);
  expect(done).toMatchObject({ status: 'completed', cost: { didCredits: 1 } });
  expect(rig.did.created).toBe(1);
  expect(rig.did.requests.filter((r) => r.method === 'POST' && r.path === '/talks')).toHaveLength(1);
}, 300_000);
