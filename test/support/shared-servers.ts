/** The Temporal server, database and Redis the global setup (test/setup/global.ts) started for this run, and the workflow bundle it built. */
import { inject } from 'vitest';

export const sharedServers = () => ({
  temporalAddress: inject('temporalAddress'),
  databaseUrl: inject('databaseUrl'),
  redisUrl: inject('redisUrl'),
  workflowBundlePath: inject('workflowBundlePath'),
});
