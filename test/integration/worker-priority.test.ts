/**
 * Scheduling priorities on a shared machine (scripts/priorities.ts): the worker lowers its own
 * (WORKER_NICE), the Temporal dev server starts at TEMPORAL_NICE, so the API answers first.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BACKGROUND_NICE, startWorkerNice } from '../../scripts/priorities';
import { startTemporalDevServer } from '../../temporal/dev-server';
import { freePort } from '../support/ports';
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

/** The nice value of every thread of a process (/proc/<pid>/task/<tid>/stat, field 19). */
function threadNiceValues(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

it('runs every thread of the worker at the configured nice value', async () => {
  const worker = await startWorkerProcess({ ...stack.workerEnv(), WORKER_NICE: '7' });
  try {
    expect(os.getPriority(worker.child.pid!)).toBe(7);
    // V8's and libuv's threads, started before the worker's code ran, included.
    expect(new Set(threadNiceValues(worker.child.pid!))).toEqual(new Set([7]));
  } finally {
    await worker.kill('SIGTERM');
  }
});

it('starts the Temporal dev server with every thread at the nice value asked for', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'temporal-nice-'));
  const server = await startTemporalDevServer({ dataDir, port: await freePort(), uiPort: await freePort(), nice: 7 });
  try {
    const threads = threadNiceValues(server.process.pid!);
    // The Go runtime runs several threads by the time the frontend answers.
    expect(threads.length).toBeGreaterThan(1);
    expect(new Set(threads)).toEqual(new Set([7]));
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

it('gives the worker npm start runs the background priority unless WORKER_NICE is set', () => {
  expect(startWorkerNice({})).toBe(String(BACKGROUND_NICE));
  expect(startWorkerNice({ WORKER_NICE: '0' })).toBe('0');
  expect(startWorkerNice({ WORKER_NICE: '19' })).toBe('19');
});
