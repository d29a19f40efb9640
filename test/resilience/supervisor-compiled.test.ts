/**
 * `npm start` runs the build: dist/start.js under plain node, which launches every part as
 * `node dist/<part>.js`. The platform must come up from the build (health 200, a turn answered) with
 * no tsx among its processes, and its supervisor must restart a killed part in that form.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startPlatform, type PartName, type Platform } from '../../bench/chaos-platform';
import { MALLOC_TUNABLES, WORKFLOW_THREADS_PRELOAD, withMallocTunables } from '../../scripts/entries';
import { echoFlow } from '../support/flows';
import { waitUntil } from '../support/wait';

let platform: Platform;
beforeAll(async () => {
  platform = await startPlatform();
}, 420_000);
afterAll(async () => platform?.stop(), 90_000);

const cmdline = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
const environ = (pid: number) => readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');

async function health() {
  const res = await fetch(`${platform.url}/health`, { signal: AbortSignal.timeout(3_000) });
  return { status: res.status, body: (await res.json()) as { status: string; supervised: Record<string, { state: string; restarts: number }> } };
}

it('starts from dist/ under plain node, answers /health and a turn, with no tsx process', async () => {
  expect((await health()).status).toBe(200);
  for (const part of ['worker', 'api', 'db'] as PartName[]) {
    const pids = platform.pids(part);
    expect(pids).toHaveLength(1);
    const preload = part === 'worker' ? ' --require \\S+/dist/workflow-threads\\.cjs' : '';
    expect(cmdline(pids[0])).toMatch(new RegExp(`^\\S*node --max-semi-space-size=${part === 'api' ? 32 : 8}${preload} \\S+/dist/${part === 'db' ? 'pglite-server' : part}\\.js`));
    // Read by glibc when the process starts: it must be in the part's own environment.
    expect(environ(pids[0])).toContain(`GLIBC_TUNABLES=${MALLOC_TUNABLES}`);
  }
  const everything = [...platform.pids('worker'), ...platform.pids('api'), ...platform.pids('db')].map(cmdline).join('\n');
  expect(everything).not.toMatch(/tsx|esbuild/);

  // Files found next to the sources (console/dist, api/public/chat.html) are found from dist/ too.
  const page = await fetch(`${platform.url}/`).then((r) => r.text());
  expect(page).toContain('<div id="root">');
  expect(page).not.toContain('not built yet');
  expect((await fetch(`${platform.url}/chat`)).status).toBe(200);

  const flow = await platform.request('POST', '/v1/flows', { name: 'Echo', graph: echoFlow });
  await platform.request('POST', `/v1/flows/${flow.body.id}/publish`, {});
  const conv = await platform.request('POST', '/v1/conversations', { flowId: flow.body.id });
  const turn = await platform.request('POST', `/v1/conversations/${conv.body.id}/messages`, { text: 'Hello' });
  expect(turn.status).toBe(200);
  expect(turn.body.replies.length).toBeGreaterThan(0);

  // The workflow threads run without the SDK's promise hook (worker/workflow-threads.ts): the
  // stack-trace query says so, where a worker with the hook answers it.
  const connection = await Connection.connect({ address: platform.temporalAddress });
  try {
    const handle = new Client({ connection }).workflow.getHandle(conv.body.workflowId);
    await expect(handle.query('__stack_trace')).rejects.toThrow(/stack traces are not enabled/);
  } finally {
    await connection.close();
  }
});

it('the workflow-thread preload takes the promise hook out of worker threads only, unless WORKFLOW_STACK_TRACES=true', () => {
  // A worker thread loads the SDK's stack-trace machinery as its workflow threads do, and says whether the hook went in.
  const probe = `
    const { Worker } = require('node:worker_threads');
    const thread = \`const { globalHandlers } = require('@temporalio/worker/lib/workflow/vm-shared'); globalHandlers.install(); require('node:worker_threads').parentPort.postMessage(globalHandlers.promiseHookInstalled);\`;
    const main = require('@temporalio/worker/lib/workflow/vm-shared').globalHandlers;
    main.install();
    new Worker(thread, { eval: true }).once('message', (inThread) => console.log(JSON.stringify({ main: main.promiseHookInstalled, thread: inThread })));
  `;
  const run = (env: NodeJS.ProcessEnv) =>
    JSON.parse(execFileSync(process.execPath, ['--require', resolve(WORKFLOW_THREADS_PRELOAD.file), '-e', probe], { env: { ...process.env, ...env }, encoding: 'utf8' }));
  expect(run({ WORKFLOW_STACK_TRACES: undefined })).toEqual({ main: true, thread: false });
  expect(run({ WORKFLOW_STACK_TRACES: 'true' })).toEqual({ main: true, thread: true });
});

it('keeps packages only some work needs out of the bundles’ static imports: they load at first use', () => {
  const staticImports = (part: string) => new Set([...readFileSync(`dist/${part}.js`, 'utf8').matchAll(/^import .* from "([^"]+)";?$/gm)].map((m) => m[1]));
  // Each was 10–50 MB of every idle worker and API (README, Startup); chrono-node, the tokenizer and
  // the CalDAV libraries 4–8 MB of heap each.
  const firstUse = [/^@aws-sdk\//, /^@opentelemetry\/(?!api$)/, /^@temporalio\/interceptors-opentelemetry/, /^imapflow$/, /^nodemailer/, /^pdf-lib$/, /^chrono-node$/, /^gpt-tokenizer/, /^tsdav$/, /^node-ical$/];
  for (const part of ['api', 'worker']) {
    const eager = [...staticImports(part)].filter((name) => firstUse.some((re) => re.test(name)));
    expect(eager, part).toEqual([]);
  }
  // The supervisor waits on Temporal with one HTTP/2 call, not the client.
  expect([...staticImports('start')].filter((name) => name.startsWith('@temporalio/'))).toEqual([]);
});

it('restarts a killed worker and API as compiled processes', async () => {
  for (const part of ['worker', 'api'] as PartName[]) {
    const [before] = platform.pids(part);
    expect(platform.kill(part)).toBe(1);
    await waitUntil(
      async () => {
        try {
          const { body } = await health();
          return body.status === 'ok' && body.supervised[part].state === 'running' && body.supervised[part].restarts === 1;
        } catch {
          return false;
        }
      },
      120_000,
      `${part} restarted`,
    );
    const [after] = platform.pids(part);
    expect(after).not.toBe(before);
    expect(cmdline(after)).toContain(`dist/${part}.js`);
  }
  expect(platform.output()).toMatch(/worker is running again, [\d.]+ s after it exited/);
}, 300_000);

it('adds the malloc tunables to those a user set, and leaves a threshold of the user’s own alone', () => {
  expect(withMallocTunables({}).GLIBC_TUNABLES).toBe(MALLOC_TUNABLES);
  expect(withMallocTunables({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }).GLIBC_TUNABLES).toBe(`glibc.malloc.arena_max=2:${MALLOC_TUNABLES}`);
  expect(withMallocTunables({ GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=65536' }).GLIBC_TUNABLES).toBe('glibc.malloc.mmap_threshold=65536');
});
