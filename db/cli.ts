/**
 * `tsx db/cli.ts migrate` — apply migrations to DATABASE_URL.
 * `tsx db/cli.ts seed`    — demo data; prints one JSON line `{"tenantId","apiKey","flowId"}`.
 * `tsx db/cli.ts rekey`   — re-encrypt secrets at rest under the current key (after a rotation).
 * `tsx db/cli.ts analytics:backfill [--tenant id] [--from YYYY-MM-DD]` — recompute the analytics rollups (all of them by default).
 * `tsx db/cli.ts quota show|set <tenant> [<quota>=<value>…]` — the operator's view and change of a tenant's limits (db/quota-cli.ts).
 */
import { loadConfig } from '../core/config';
import { runMigrations } from './migrate';
import { createOrm, systemEm } from './orm';
import { backfillAnalytics } from './repos/analytics-backfill';
import { rekeySecrets } from './rekey';
import { secretBoxFromConfig } from './secrets';
import { seed } from './seed';
import { quotaCommand } from './quota-cli';

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
      console.error(`re-encrypted ${result.channels} channel credential set(s), ${result.webhookSecrets} webhook secret(s), ${result.posTokens} point-of-sale token(s) and ${result.tenantSecrets} tenant secret(s) under ${config.SWITCHBOARD_SECRET_KEY_VERSION}`);
    } finally {
      await orm.close(true);
    }
    return;
  }
  if (command === 'analytics:backfill') {
    const orm = await createOrm(config.DATABASE_URL, { poolSize: 2 });
    try {
      const result = await backfillAnalytics(systemEm(orm), parseBackfillArgs(process.argv.slice(3)), (line) => console.error(line));
      console.error(result ? `rolled up ${result.hours} hour(s) from ${result.from.toISOString()}: ${result.rows} row(s)` : 'nothing to roll up');
    } finally {
      await orm.close(true);
    }
    return;
  }
  if (command === 'quota') {
    const orm = await createOrm(config.DATABASE_URL, { poolSize: 2 });
    try {
      console.log(await quotaCommand(systemEm(orm), config, process.argv.slice(3)));
    } finally {
      await orm.close(true);
    }
    return;
  }
  throw new Error('usage: tsx db/cli.ts migrate|seed|rekey|analytics:backfill [--tenant id] [--from YYYY-MM-DD]|quota show|set <tenant> …');
}

function parseBackfillArgs(args: string[]): { tenantId?: string; from?: Date } {
  const out: { tenantId?: string; from?: Date } = {};
  for (let i = 0; i < args.length; i += 2) {
    const [flag, value] = [args[i], args[i + 1]];
    if (flag === '--tenant' && value) out.tenantId = value;
    else if (flag === '--from' && value && !Number.isNaN(Date.parse(value))) out.from = new Date(value);
    else throw new Error(`unknown or incomplete option ${flag ?? ''}: expected --tenant <id> or --from <date>`);
  }
  return out;
}

main(process.argv[2]).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
