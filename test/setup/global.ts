/**
 * One Temporal dev server and one fresh PostgreSQL database (with pgvector and migrations)
 * for the whole run. Tests read them with `inject('temporalAddress')` / `inject('databaseUrl')`.
 * The workflow code is bundled once here too: every file that starts a worker bundled it again with
 * webpack, ~3 s of CPU each in some 140 files.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createScratchDatabase, DEFAULT_ADMIN_URL } from '../support/database';
import { startLocalTestServer } from '../../temporal/test-server';
import { ensureWidgetBuilt } from '../../scripts/build-widget';
import { workflowBundle } from '../../worker/create';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    databaseUrl: string;
    redisUrl: string;
    /** The workflow bundle of this run's code, as `npm run build` writes it (worker/create.ts). */
    workflowBundlePath: string;
  }
}

export default async function setup(project: TestProject) {
  const bundleDir = mkdtempSync(join(tmpdir(), 'switchboard-test-bundle-'));
  const workflowBundlePath = join(bundleDir, 'workflow-bundle.js');
  const [env, db] = await Promise.all([
    startLocalTestServer(),
    createScratchDatabase(process.env.TEST_DATABASE_ADMIN_URL ?? DEFAULT_ADMIN_URL, 'switchboard_test'),
    // Built once, before any test file can ask the API for it (it is a build output, not in git).
    ensureWidgetBuilt(),
    workflowBundle().then(({ code }) => writeFileSync(workflowBundlePath, code)),
  ]);

  project.provide('temporalAddress', env.connection.options.address);
  project.provide('databaseUrl', db.url);
  project.provide('redisUrl', process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  project.provide('workflowBundlePath', workflowBundlePath);

  return async () => {
    await env.teardown();
    await db.drop();
    rmSync(bundleDir, { recursive: true, force: true });
  };
}
