/** One worker with fake activities per test file, on the shared dev server (global setup). */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { PRELOADED_MODULES } from '../../../worker/create';
import { createFakes, type Fakes } from './fakes';

export const workflowsPath = fileURLToPath(new URL('../../../workflows/index.ts', import.meta.url));

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

// The production bundle's shared modules too, so a workflow that writes to one fails here first.
export const bundle = (): Promise<WorkflowBundleWithSourceMap> => bundleWorkflowCode({ workflowsPath, logger: new DefaultLogger('WARN'), preloadModules: PRELOADED_MODULES });

export interface Harness {
  client: Client;
  taskQueue: string;
  fakes: Fakes;
  close(): Promise<void>;
}

export async function startHarness(address: string, name: string, workflowBundle?: WorkflowBundleWithSourceMap): Promise<Harness> {
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
