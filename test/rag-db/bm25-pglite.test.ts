/** BM25 search on the embedded database: the migration's SQL and PL/pgSQL run on PGlite as on PostgreSQL 15. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_RETRIEVAL } from '../../core/knowledge/types';
import { runMigrations } from '../../db/migrate';
import { createOrm, systemEm, tenantEm, type Orm } from '../../db/orm';
import { startPgliteServer, type PgliteServer } from '../../db/pglite-server';
import { activateVersion, createKnowledgeBase, ensureTenant, upsertChunks } from '../../db/repos';
import { textOnlySearch } from '../../knowledge/search';
import { uniqueSlug } from '../db/fixtures';
import { axis, chunk, makeDocument, AXES } from './fixtures';

const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-pglite-bm25-'));
let server: PgliteServer;
let orm: Orm;

beforeAll(async () => {
  server = await startPgliteServer({ dataDir, port: 0, password: 'pglite bm25 test' });
  await runMigrations(server.url);
  orm = await createOrm(server.url, { poolSize: 2 });
}, 120_000);
afterAll(async () => {
  await orm?.close(true);
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it('ranks by BM25 in the knowledge base language and keeps the statistics', async () => {
  const tenantId = (await ensureTenant(systemEm(orm), uniqueSlug(), 'PGlite tenant')).id;
  const em = tenantEm(orm, tenantId);
  const kb = (await createKnowledgeBase(em, tenantId, { name: 'Cabinet', language: 'french' })).id;
  const { documentId } = await makeDocument(orm, tenantId, { knowledgeBaseId: kb });
  await upsertChunks(em, tenantId, documentId, 1, [
    chunk(0, 'Les enfants sont soignés le mercredi.', axis(0)),
    chunk(1, 'Le cabinet est fermé le dimanche.', axis(1)),
  ], AXES);
  await activateVersion(em, documentId, 1);
  const hits = await textOnlySearch(em, tenantId, [kb], { text: 'Soignez-vous les enfants ?' }, { ...DEFAULT_RETRIEVAL, topK: 5 });
  expect(hits.map((h) => h.text)).toEqual(['Les enfants sont soignés le mercredi.']);
  const [stats] = await em.execute<{ chunk_count: string }[]>('select chunk_count from bm25_kb_stats where knowledge_base_id = ?', [kb]);
  expect(Number(stats.chunk_count)).toBe(2);
}, 120_000);
