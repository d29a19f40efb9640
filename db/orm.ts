/**
 * MikroORM setup. Tenant isolation lives here, in one place: the `tenant` filter is on by default
 * for every tenant-owned entity and *requires* `{tenantId}`, so a query on an EntityManager that was
 * not scoped with `tenantEm()` throws instead of returning other tenants' rows.
 */
import { MikroORM, type EntityManager, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { PoolClient } from 'pg';
import { ALL_ENTITIES, TENANT_SCOPED_ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export type Orm = MikroORM;
export type Em = EntityManager;

export const TENANT_FILTER = 'tenant';

export interface CreateOrmOptions {
  /** Connection pool size (default 10). */
  poolSize?: number;
  debug?: boolean;
}

export function ormConfig(databaseUrl: string, opts: CreateOrmOptions = {}): Options {
  return {
    clientUrl: databaseUrl,
    entities: ALL_ENTITIES,
    pool: { min: 0, max: opts.poolSize ?? 10 },
    driverOptions: {
      // Filtered HNSW scans keep going until enough rows pass the filter (pgvector ≥ 0.8). Set once
      // per connection, so a knowledge search is one statement, not a transaction around one.
      // JIT is off: the knowledge search's estimated cost crosses jit_above_cost once a second
      // tenant's chunks share the table, and compiling it took ~50 ms of a 10 ms search; nothing
      // this application runs is long enough to win the compile time back.
      // pg-pool awaits onConnect before it hands a new connection out. Sent from a 'connect' listener,
      // these overlapped the caller's first query on the same client, which pg deprecates.
      onConnect: async (client: PoolClient) => {
        await client.query(`select set_config('hnsw.iterative_scan', 'relaxed_order', false)`).catch(() => {});
        await client.query(`select set_config('jit', 'off', false)`).catch(() => {});
      },
    },
    debug: opts.debug ?? false,
    extensions: [Migrator],
    // Callers fork explicitly (tenantEm or em.fork()); the global EM is never shared by requests.
    allowGlobalContext: false,
    filters: {
      [TENANT_FILTER]: {
        name: TENANT_FILTER,
        entity: TENANT_SCOPED_ENTITIES,
        default: true,
        // Declaring the `args` parameter makes MikroORM throw when the param is missing.
        cond: (args: { tenantId?: string }) => {
          if (!args?.tenantId) throw new Error(`filter '${TENANT_FILTER}' needs {tenantId}: use tenantEm(orm, tenantId)`);
          return { tenant: args.tenantId };
        },
      },
    },
    migrations: {
      tableName: 'mikro_orm_migrations',
      path: 'db/migrations',
      pathTs: 'db/migrations',
      migrationsList: MIGRATIONS,
      snapshot: false,
      snapshotOnMigrate: false,
      emit: 'ts',
      silent: true,
    },
  };
}

export function createOrm(databaseUrl: string, opts: CreateOrmOptions = {}): Promise<MikroORM> {
  return MikroORM.init(ormConfig(databaseUrl, opts));
}

/** A fresh EntityManager whose every query on tenant-owned entities is scoped to `tenantId`. */
export function tenantEm(orm: MikroORM, tenantId: string): EntityManager {
  const em = orm.em.fork();
  em.setFilterParams(TENANT_FILTER, { tenantId });
  return em;
}

/**
 * An unscoped fork for the few cross-tenant lookups (API key → tenant, tenant by slug, the event
 * sink). Queries on tenant-owned entities must still pass `filters: {tenant: false}` explicitly.
 */
export function systemEm(orm: MikroORM): EntityManager {
  return orm.em.fork();
}
