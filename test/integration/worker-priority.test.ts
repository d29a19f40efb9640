/** WORKER_NICE: the worker process lowers its own scheduling priority, so a shared machine answers requests first. */
import os from 'node:os';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { startWorkerProcess } from '../support/worker-process';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ ...sharedServers(), worker: false });
});

afterAll(async () => {
  await stack?.close();
});

it('runs the worker at the configured nice value', async () => {
  const worker = await startWorkerProcess({ ...stack.workerEnv(), WORKER_NICE: '7' });
  try {
    expect(os.getPriority(worker.child.pid!)).toBe(7);
  } finally {
    await worker.kill('SIGTERM');
  }
});
