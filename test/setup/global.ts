/**
 * One Temporal dev server and one fresh PostgreSQL database (with pgvector and migrations)
 * for the whole run. Tests read them with `inject('temporalAddress')` / `inject('databaseUrl')`.
 */
import type { TestProject } from 'vitest/node';
import { createScratchDatabase, DEFAULT_ADMIN_URL } from '../support/database';
import { startLocalTestServer } from '../../temporal/test-server';

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
  ]);

  project.provide('temporalAddress', env.connection.options.address);
  project.provide('databaseUrl', db.url);
  project.provide('redisUrl', process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');

  return async () => {
    await env.teardown();
    await db.drop();
  };
}
