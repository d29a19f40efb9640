/** The time-skipping test server with a worker on fake activities, for tests of durable timers. */
import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { temporalTestServerPath } from '../../../temporal/binaries';
import { SEARCH_ATTRIBUTES } from '../../../core/workflows';
import type { Fakes } from './fakes';
import { bundle, quietRuntime } from './harness';

export interface TimeSkipping {
  env: TestWorkflowEnvironment;
  taskQueue: string;
  close(): Promise<void>;
}

export async function startTimeSkipping(name: string, fakes: Fakes): Promise<TimeSkipping> {
  quietRuntime();
  const taskQueue = `${name}-${randomUUID()}`;
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: temporalTestServerPath() } } });
  // The test server rejects upserts of unknown attributes (the workflow task then retries forever),
  // but it implements AddSearchAttributes: register ours as the deployment setup does.
  const types = temporal.api.enums.v1.IndexedValueType;
  await env.connection.operatorService.addSearchAttributes({
    namespace: 'default',
    searchAttributes: Object.fromEntries(Object.entries(SEARCH_ATTRIBUTES).map(([name, type]) => [name, types[`INDEXED_VALUE_TYPE_${type}`]])),
  });
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await bundle(), activities: fakes.activities });
  const running = worker.run();
  return {
    env,
    taskQueue,
    async close() {
      worker.shutdown();
      await running;
      await env.teardown();
    },
  };
}
