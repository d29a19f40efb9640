/**
 * The compiled worker's preload bounds a sandbox call that never returns with one watchdog in the
 * main thread instead of Node's thread per call (worker/deadlock-watchdog.ts). Probed in plain
 * node processes with the preload as the build makes it: a thread file named as the SDK's
 * workflow thread, whose `vm` calls carry a timeout as the SDK's do.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WATCHDOG_MESSAGE } from '../../worker/deadlock-watchdog';

const root = fileURLToPath(new URL('../..', import.meta.url));
let dir: string;
let preload: string;

// A normal call, then one that never returns: each with a 300 ms timeout, as the SDK gives its 5 s.
const THREAD = `
const { parentPort } = require('node:worker_threads');
const vm = require('node:vm');
const context = vm.createContext({});
parentPort.postMessage('normal call: ' + new vm.Script('1 + 1').runInContext(context, { timeout: 300 }));
try {
  new vm.Script('for (;;) {}').runInContext(context, { timeout: 300 });
  parentPort.postMessage('returned');
} catch (err) {
  parentPort.postMessage('threw: ' + err.message);
}
`;

const PROBE = (file: string) => `
const { Worker } = require('node:worker_threads');
const thread = new Worker(${JSON.stringify(file)});
thread.on('message', (m) => console.log(m));
thread.on('exit', (code) => console.log('exit ' + code));
`;

function probe(file: string, withPreload: boolean) {
  const args = [...(withPreload ? ['--require', preload] : []), '-e', PROBE(file)];
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 30_000 });
  return { stdout: run.stdout.trim().split('\n'), stderr: run.stderr };
}

beforeAll(async () => {
  // Under the project, so the preload finds the SDK in node_modules as dist/'s does.
  mkdirSync(join(root, 'node_modules/.cache'), { recursive: true });
  dir = mkdtempSync(join(root, 'node_modules/.cache/watchdog-'));
  preload = join(dir, 'workflow-threads.cjs');
  // As scripts/build.ts builds it.
  await build({ absWorkingDir: root, entryPoints: [join(root, 'worker/workflow-threads.ts')], outfile: preload, bundle: true, platform: 'node', format: 'cjs', target: 'node24', packages: 'external', logLevel: 'warning' });
  writeFileSync(join(dir, 'workflow-worker-thread.js'), THREAD);
  writeFileSync(join(dir, 'other-thread.js'), THREAD);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the deadlock watchdog', () => {
  it('ends a workflow thread whose call never returns, after the call’s bound, and says why', () => {
    const { stdout, stderr } = probe(join(dir, 'workflow-worker-thread.js'), true);
    expect(stdout).toEqual(['normal call: 2', 'exit 1']);
    expect(stderr).toContain(WATCHDOG_MESSAGE);
    expect(stderr).toMatch(/bound 300 ms/);
  });

  it('is what ends it: without the preload, Node’s own timeout throws in the thread', () => {
    expect(probe(join(dir, 'workflow-worker-thread.js'), false).stdout).toEqual(['normal call: 2', 'threw: Script execution timed out after 300ms', 'exit 0']);
  });

  it('leaves other threads Node’s timeouts', () => {
    const { stdout, stderr } = probe(join(dir, 'other-thread.js'), true);
    expect(stdout).toEqual(['normal call: 2', 'threw: Script execution timed out after 300ms', 'exit 0']);
    expect(stderr).not.toContain(WATCHDOG_MESSAGE);
  });
});
