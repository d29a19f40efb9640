import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { runMigrations } from '../../db/migrate';
import { getFlowVersion, publishFlowVersion } from '../../db/repos';
import { tenantEm, type Orm } from '../../db/orm';
import { makeTenant, testOrm } from './fixtures';

let orm: Orm;
let client: pg.Client;
beforeAll(async () => {
  orm = await testOrm();
  client = new pg.Client({ connectionString: inject('databaseUrl') });
  await client.connect();
});
afterAll(async () => {
  await client.end();
  await orm.close(true);
});

describe('migrations', () => {
  it('create every table, pgvector and the migration record', async () => {
    const { rows } = await client.query(`select table_name from information_schema.tables where table_schema = 'public' order by 1`);
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['api_keys', 'contacts', 'conversations', 'events', 'flow_versions', 'flows', 'llm_calls', 'messages', 'tenants', 'mikro_orm_migrations']),
    );
    const ext = await client.query(`select 1 from pg_extension where extname = 'vector'`);
    expect(ext.rowCount).toBe(1);
  });

  it('are idempotent: a second run applies nothing', async () => {
    expect(await runMigrations(inject('databaseUrl'))).toEqual({ applied: [] });
  });
});

describe('flow versions', () => {
  it('number versions consecutively and reject updates in the database', async () => {
    const t = await makeTenant(orm);
    const em = tenantEm(orm, t.tenantId);
    const graph = { nodes: [{ id: 'start', type: 'start' as const, data: {} }], edges: [], settings: { handoffKeywords: [], idleTimeoutMinutes: 30, contextWindow: 20, variables: {}, errorMessage: 'Sorry.' } };
    const [a, b] = await Promise.all([publishFlowVersion(em.fork(), t.flowId, graph), publishFlowVersion(em.fork(), t.flowId, graph, 'second')]);
    expect([a.version, b.version].sort()).toEqual([1, 2]);
    expect((await getFlowVersion(em.fork(), t.flowId))?.version).toBe(2);

    await expect(client.query(`update flow_versions set note = 'changed' where id = $1`, [a.id])).rejects.toThrow(/immutable/);
    const em2 = tenantEm(orm, t.tenantId);
    const loaded = await getFlowVersion(em2, t.flowId, 1);
    loaded!.note = 'changed through the ORM';
    await expect(em2.flush()).rejects.toThrow(/immutable/);
  });
});
