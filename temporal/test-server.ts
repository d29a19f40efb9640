/** A throwaway dev server for tests and benchmarks, with the same features `npm start` enables. */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporalCliPath } from './binaries';
import { serverFeatureArgs } from './dev-server';

export function startLocalTestServer(extraDynamicConfig: Record<string, string | number | boolean> = {}) {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalCliPath() },
      extraArgs: [...serverFeatureArgs(extraDynamicConfig), '--log-level', 'error'],
    },
  });
}
