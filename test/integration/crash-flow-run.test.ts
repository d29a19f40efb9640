/**
 * Durability of an automation's HTTP call: the worker process dies (SIGKILL) while the customer's
 * API holds the httpRequest node's POST; the API then does the work (the answer has no one to go
 * to). The retried call on a new worker repeats the same Idempotency-Key, so an API that honours
 * it creates one order, and the run completes once with it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { GraphInput } from '../../core/graph/schema';
import { sharedServers } from '../support/shared-servers';
import { startHoldServer, type HoldServer, type ReceivedRequest } from '../support/hold-server';
import { waitForQuiescence } from '../support/quiescence';
import { startStack, type Stack } from '../support/stack';
import { waitUntil } from '../support/wait';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';

let stack: Stack;
let orders: HoldServer;
const workers: WorkerProcess[] = [];
/** The customer's API: one order per Idempotency-Key (a request without one is a new order). */
const created = new Map<string, number>();
let anonymous = 0;

beforeAll(async () => {
  orders = await startHoldServer((req: ReceivedRequest) => {
    const key = req.headers['idempotency-key'] ?? `none-${++anonymous}`;
    if (!created.has(key)) created.set(key, created.size + 1);
    return { status: 201, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ number: created.get(key) }) };
  });
  stack = await startStack({ ...sharedServers(), worker: false, env: { HTTP_ALLOWED_HOSTS: '127.0.0.1' } });
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.kill('SIGKILL')));
  await orders?.release();
  await stack?.close();
  await orders?.close();
});

const edge = (source: string, target: string) => ({ id: `${source}-${target}`, source, target });
const orderFlow = (url: string): GraphInput => ({
  nodes: [
    { id: 'start', type: 'start', data: {} },
    { id: 'book', type: 'httpRequest', data: { method: 'POST', url, headers: { 'content-type': 'application/json' }, body: '{"orderId": "{{orderId}}"}', timeoutMs: 30_000, responseMapping: { orderNumber: 'body.number' } } },
    { id: 'tell', type: 'sendMessage', data: { text: 'Order {{orderId}} booked as {{orderNumber}}' } },
    { id: 'done', type: 'end', data: {} },
  ],
  edges: [edge('start', 'book'), edge('book', 'tell'), edge('tell', 'done')],
  settings: { handoffKeywords: [], idleTimeoutMinutes: 30, contextWindow: 20, variables: {} },
});

it('books one order when the worker died while the API held the run\'s HTTP request', async () => {
  const env = { ...stack.workerEnv(), HTTP_ALLOWED_HOSTS: '127.0.0.1' };
  const first = await startWorkerProcess(env, 120_000);
  workers.push(first);
  const { apiKey, tenantId } = await stack.createTenant();
  const flow = await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'Orders', graph: orderFlow(`${orders.url}/orders`) } });
  expect((await stack.request('POST', `/v1/flows/${flow.body.id}/publish`, { apiKey })).status).toBe(201);

  orders.holdNext((r) => r.path === '/orders');
  const started = await stack.request('POST', `/v1/flows/${flow.body.id}/runs`, { apiKey, body: { input: { orderId: 'A-17' } } });
  expect(started.status).toBe(202);
  await waitUntil(() => orders.held() === 1, 90_000, 'the order request to arrive');
  await first.kill('SIGKILL');
  await orders.release();
  expect(created.size).toBe(1);

  workers.push(await startWorkerProcess(env, 120_000));
  // The attempt on the dead worker times out (40 s) before the retry runs.
  const runUrl = `/v1/runs/${started.body.runId}`;
  await waitUntil(async () => (await stack.request('GET', runUrl, { apiKey })).body.status === 'completed', 150_000, 'the run to complete');
  // Scoped to this tenant: the shared database holds other tests' channel messages.
  await waitForQuiescence(stack, { tenantId, workflowIds: [started.body.workflowId], timeoutMs: 120_000 });

  expect(created.size).toBe(1);
  const posts = orders.requests.filter((r) => r.path === '/orders');
  expect(posts).toHaveLength(2);
  expect(posts[0].headers['idempotency-key']).toMatch(/^[0-9a-f]{32}$/);
  expect(posts[1].headers['idempotency-key']).toBe(posts[0].headers['idempotency-key']);
  const run = await stack.request('GET', runUrl, { apiKey });
  expect(run.body.output).toMatchObject({ status: 'completed', variables: { orderNumber: 1 }, messages: [{ nodeId: 'tell', text: 'Order A-17 booked as 1' }] });
  expect(run.body.output.messages).toHaveLength(1);
}, 300_000);
