/**
 * One Temporal dev server and one fresh PostgreSQL database (with pgvector and migrations)
 * for the whole run. Tests read them with `inject('temporalAddress')` / `inject('databaseUrl')`.
 */
import type { TestProject } from 'vitest/node';
import { createScratchDatabase, DEFAULT_ADMIN_URL } from '../support/database';
import { startLocalTestServer } from '../../temporal/test-server';
import { ensureWidgetBuilt } from '../../scripts/build-widget';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    databaseUrl: string;
    redisUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const [env, db] = await Promise.all([
    startLocalTestServer(),
    createScratchDatabase(process.env.TEST_DATABASE_ADMIN_URL ?? DEFAULT_ADMIN_URL, 'switchboard_test'),
    // Built once, before any test file can ask the API for it (it is a build output, not in git).
    ensureWidgetBuilt(),
  ]);

  project.provide('temporalAddress', env.connection.options.address);
  project.provide('databaseUrl', db.url);
  project.provide('redisUrl', process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');

  return async () => {
    await env.teardown();
    await db.drop();
  };
}
