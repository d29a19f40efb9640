/** One worker with fake activities per test file, on the shared dev server (global setup). */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, type WorkflowBundle } from '@temporalio/worker';
import { workflowBundle } from '../../../worker/create';
import { createFakes, type Fakes } from './fakes';

let runtimeInstalled = false;
export function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // already installed by another helper in this process
  }
}

let shared: Promise<WorkflowBundle> | undefined;

/**
 * The production bundle (its preloaded modules too, so a workflow that writes to one fails here
 * first): under vitest the one the global setup built for the run, otherwise (`npm run
 * record:histories`) bundled now.
 */
export function bundle(): Promise<WorkflowBundle> {
  shared ??= process.env.VITEST
    ? import('vitest').then(({ inject }) => readFile(inject('workflowBundlePath'), 'utf8')).then((code) => ({ code }))
    : workflowBundle();
  return shared;
}

export interface Harness {
  client: Client;
  taskQueue: string;
  fakes: Fakes;
  close(): Promise<void>;
}

export async function startHarness(address: string, name: string, workflowBundle?: WorkflowBundle): Promise<Harness> {
  quietRuntime();
  const taskQueue = `${name}-${randomUUID()}`;
  const fakes = createFakes();
  const connection = await NativeConnection.connect({ address });
  const clientConnection = await Connection.connect({ address });
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowBundle: workflowBundle ?? (await bundle()),
    activities: fakes.activities,
  });
  const running = worker.run();
  return {
    client: new Client({ connection: clientConnection }),
    taskQueue,
    fakes,
    async close() {
      worker.shutdown();
      await running;
      await connection.close();
      await clientConnection.close();
    },
  };
}

/** Polls until `check` returns a value (not undefined) or the time runs out. */
export async function eventually<T>(check: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
