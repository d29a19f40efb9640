/**
 * `tsx db/cli.ts migrate` — apply migrations to DATABASE_URL.
 * `tsx db/cli.ts seed`    — demo data; prints one JSON line `{"tenantId","apiKey","flowId"}`.
 * `tsx db/cli.ts rekey`   — re-encrypt secrets at rest under the current key (after a rotation).
 */
import { loadConfig } from '../core/config';
import { runMigrations } from './migrate';
import { createOrm, systemEm } from './orm';
import { rekeySecrets } from './rekey';
import { secretBoxFromConfig } from './secrets';
import { seed } from './seed';

async function main(command: string | undefined): Promise<void> {
  const config = loadConfig();
  if (!config.DATABASE_URL) throw new Error('DATABASE_URL is not set');
  if (command === 'migrate') {
    const { applied } = await runMigrations(config.DATABASE_URL);
    console.error(applied.length ? `applied ${applied.join(', ')}` : 'no pending migrations');
    return;
  }
  if (command === 'seed') {
    const orm = await createOrm(config.DATABASE_URL, { poolSize: 2 });
    try {
      console.log(JSON.stringify(await seed(orm, config)));
    } finally {
      await orm.close(true);
    }
    return;
  }
  if (command === 'rekey') {
    const orm = await createOrm(config.DATABASE_URL, { poolSize: 2 });
    try {
      const result = await rekeySecrets(systemEm(orm), secretBoxFromConfig(config), config.SWITCHBOARD_SECRET_KEY_VERSION);
      console.error(`re-encrypted ${result.channels} channel credential set(s), ${result.webhookSecrets} webhook secret(s) and ${result.tenantSecrets} tenant secret(s) under ${config.SWITCHBOARD_SECRET_KEY_VERSION}`);
    } finally {
      await orm.close(true);
    }
    return;
  }
  throw new Error('usage: tsx db/cli.ts migrate|seed|rekey');
}

main(process.argv[2]).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
