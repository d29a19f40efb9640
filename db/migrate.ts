/** Applies pending migrations (never schema:update). Safe to run on every start. */
import pg from 'pg';
import { createOrm } from './orm';

export async function runMigrations(databaseUrl: string): Promise<{ applied: string[] }> {
  // The knowledge base needs pgvector; the extension must exist before any migration refers to it.
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS vector');
  } finally {
    await client.end();
  }
  const orm = await createOrm(databaseUrl, { poolSize: 2 });
  try {
    const done = await orm.migrator.up();
    return { applied: done.map((m) => m.name) };
  } finally {
    await orm.close(true);
  }
}
