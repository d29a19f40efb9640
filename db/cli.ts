/**
 * `tsx db/cli.ts migrate` — apply migrations to DATABASE_URL.
 * `tsx db/cli.ts seed`    — demo data; prints one JSON line `{"tenantId","apiKey","flowId"}`.
 */
import { loadConfig } from '../core/config';
import { runMigrations } from './migrate';
import { createOrm } from './orm';
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
  throw new Error('usage: tsx db/cli.ts migrate|seed');
}

main(process.argv[2]).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
