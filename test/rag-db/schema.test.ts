import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { tenantEm, type Orm } from '../../db/orm';
import {
  activateVersion, addSourceVersion, deleteDocument, deleteKnowledgeBase, getCachedEmbeddings, getDocumentSource, putCachedEmbeddings, upsertChunks,
} from '../../db/repos';
import { makeTenant, testOrm } from '../db/fixtures';
import { axis, chunk, makeDocument, sha256, vec, AXES } from './fixtures';

let orm: Orm;
let client: pg.Client;
let tenantId: string;
beforeAll(async () => {
  orm = await testOrm();
  client = new pg.Client({ connectionString: inject('databaseUrl') });
  await client.connect();
  tenantId = (await makeTenant(orm)).tenantId;
});
afterAll(async () => {
  await client.end();
  await orm.close(true);
});

const count = async (table: string, documentId: string) =>
  Number((await client.query(`select count(*) from ${table} where document_id = $1`, [documentId])).rows[0].count);

describe('knowledge migration', () => {
  it('creates the hnsw, gin and lookup indexes on chunks', async () => {
    const { rows } = await client.query<{ indexdef: string }>(`select indexdef from pg_indexes where tablename = 'chunks'`);
    const defs = rows.map((r) => r.indexdef);
    expect(defs).toEqual(expect.arrayContaining([
      expect.stringMatching(/USING hnsw \(embedding vector_cosine_ops\)/),
      expect.stringMatching(/USING gin \(tsv\)/),
      expect.stringMatching(/UNIQUE INDEX .* \(document_id, version, ordinal\)/),
      expect.stringMatching(/USING btree \(knowledge_base_id\)/),
    ]));
  });

  it('keeps vectors inside the row, not in TOAST', async () => {
    const { rows } = await client.query<{ attstorage: string }>(
      `select attstorage from pg_attribute where attrelid = 'chunks'::regclass and attname = 'embedding'`,
    );
    expect(rows[0].attstorage).toBe('p');
  });

  it('maintains tsv from the section and the text', async () => {
    const { documentId } = await makeDocument(orm, tenantId);
    await upsertChunks(tenantEm(orm, tenantId), tenantId, documentId, 1, [chunk(0, 'We ship worldwide.', axis(0), 'Delivery')], AXES);
    const { rows } = await client.query(`select tsv::text from chunks where document_id = $1`, [documentId]);
    expect(rows[0].tsv).toMatch(/'deliveri'.*'ship'.*'worldwid'/);
  });
});

describe('documents', () => {
  it('keep every source version and hand ingestion the bytes', async () => {
    const em = tenantEm(orm, tenantId);
    const { documentId } = await makeDocument(orm, tenantId);
    const v2 = await addSourceVersion(em, documentId, Buffer.from('# FAQ v2'));
    expect(v2.version).toBe(2);
    expect(v2.contentHash).toBe(sha256('# FAQ v2'));
    expect((await getDocumentSource(tenantEm(orm, tenantId), documentId))?.content.toString()).toBe('# FAQ v2');
    expect((await getDocumentSource(tenantEm(orm, tenantId), documentId, 1))?.content.toString()).toBe('# FAQ');
  });

  it('cascade: deleting a document removes its chunks and sources; deleting a knowledge base its documents', async () => {
    const em = tenantEm(orm, tenantId);
    const { knowledgeBaseId, documentId } = await makeDocument(orm, tenantId);
    await upsertChunks(em, tenantId, documentId, 1, [chunk(0, 'a', axis(0)), chunk(1, 'b', axis(1))], AXES);
    await activateVersion(em, documentId, 1);
    expect([await count('chunks', documentId), await count('document_sources', documentId)]).toEqual([2, 1]);
    expect(await deleteDocument(em, documentId)).toBe(true);
    expect([await count('chunks', documentId), await count('document_sources', documentId)]).toEqual([0, 0]);

    const other = await makeDocument(orm, tenantId, { knowledgeBaseId });
    await upsertChunks(em, tenantId, other.documentId, 1, [chunk(0, 'c', axis(2))], AXES);
    expect(await deleteKnowledgeBase(em, knowledgeBaseId)).toBe(true);
    const left = await client.query(`select (select count(*) from documents where knowledge_base_id = $1) + (select count(*) from chunks where knowledge_base_id = $1) as n`, [knowledgeBaseId]);
    expect(Number(left.rows[0].n)).toBe(0);
  });
});

describe('embedding cache', () => {
  it('round-trips vectors by (embedder, hash) and keeps the first writer', async () => {
    const em = orm.em.fork();
    const first = vec([0, 1], [1, 1]);
    expect(await putCachedEmbeddings(em, 'test:axes', [{ contentHash: sha256('x'), embedding: first }, { contentHash: sha256('y'), embedding: axis(3) }])).toBe(2);
    expect(await putCachedEmbeddings(em, 'test:axes', [{ contentHash: sha256('x'), embedding: axis(9) }])).toBe(0);

    const hits = await getCachedEmbeddings(orm.em.fork(), 'test:axes', [sha256('x'), sha256('y'), sha256('z')]);
    expect([...hits.keys()].sort()).toEqual([sha256('x'), sha256('y')].sort());
    hits.get(sha256('x'))!.forEach((x, i) => expect(x).toBeCloseTo(first[i], 6));
    expect(hits.get(sha256('y'))).toEqual(axis(3));
    expect((await getCachedEmbeddings(orm.em.fork(), 'other:embedder', [sha256('x')])).size).toBe(0);
  });
});
