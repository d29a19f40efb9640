import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RETRIEVAL } from '../../core/knowledge/types';
import { Chunk } from '../../db/entities';
import { tenantEm, type Orm } from '../../db/orm';
import { activateVersion, addSourceVersion, getDocument, getKnowledgeBase, listDocuments, setDocumentProgress, upsertChunks } from '../../db/repos';
import { hybridSearch, textOnlySearch, vectorOnlySearch } from '../../knowledge/search';
import { makeTenant, testOrm } from '../db/fixtures';
import { axis, chunk, makeDocument, AXES } from './fixtures';

let orm: Orm;
let a: string;
let b: string;
beforeAll(async () => {
  orm = await testOrm();
  [a, b] = (await Promise.all([makeTenant(orm), makeTenant(orm)])).map((t) => t.tenantId);
});
afterAll(() => orm.close(true));

const query = { text: 'refund policy', embedding: axis(0), embedderId: AXES };

describe('tenant isolation', () => {
  it("hides tenant A's knowledge base from tenant B, in searches and through the ORM filter", async () => {
    const { knowledgeBaseId, documentId } = await makeDocument(orm, a);
    await upsertChunks(tenantEm(orm, a), a, documentId, 1, [chunk(0, 'Our refund policy: 30 days.', axis(0))], AXES);
    await activateVersion(tenantEm(orm, a), documentId, 1);
    expect(await hybridSearch(tenantEm(orm, a), a, [knowledgeBaseId], query, DEFAULT_RETRIEVAL)).toHaveLength(1);

    const emB = tenantEm(orm, b);
    expect(await hybridSearch(emB, b, [knowledgeBaseId], query, DEFAULT_RETRIEVAL)).toEqual([]);
    expect(await vectorOnlySearch(emB, b, [knowledgeBaseId], query, DEFAULT_RETRIEVAL)).toEqual([]);
    expect(await textOnlySearch(emB, b, [knowledgeBaseId], query, DEFAULT_RETRIEVAL)).toEqual([]);
    expect(await getKnowledgeBase(emB, knowledgeBaseId)).toBeNull();
    expect(await getDocument(emB, documentId)).toBeNull();
    expect(await listDocuments(emB, knowledgeBaseId)).toEqual([]);
    expect(await emB.count(Chunk, { document: documentId })).toBe(0);
    expect(await setDocumentProgress(emB, documentId, { status: 'failed' })).toBe(false);
    await expect(upsertChunks(emB, b, documentId, 2, [chunk(0, 'injected', axis(0))], AXES)).rejects.toThrow(/not found/);
    await expect(activateVersion(emB, documentId, 2)).rejects.toThrow(/not found/);
  });
});

describe('chunk versions', () => {
  it('upsertChunks is idempotent across batches', async () => {
    const em = tenantEm(orm, a);
    const { documentId } = await makeDocument(orm, a);
    const chunks = Array.from({ length: 450 }, (_, i) => chunk(i, `chunk number ${i}`, axis(i % 300)));
    expect(await upsertChunks(em, a, documentId, 1, chunks, AXES)).toBe(450);
    expect(await upsertChunks(em, a, documentId, 1, chunks, AXES)).toBe(0);
    expect(await upsertChunks(em, a, documentId, 1, chunks.slice(0, 10), AXES)).toBe(0);
    expect(await em.count(Chunk, { document: documentId })).toBe(450);
  });

  it('searches see only the active version until the next one is activated, then old chunks are gone', async () => {
    const em = tenantEm(orm, a);
    const { knowledgeBaseId, documentId } = await makeDocument(orm, a);
    await upsertChunks(em, a, documentId, 1, [chunk(0, 'Refund policy, version one.', axis(0)), chunk(1, 'Old opening hours.', axis(1))], AXES);
    expect(await hybridSearch(em, a, [knowledgeBaseId], query, DEFAULT_RETRIEVAL)).toEqual([]); // nothing active yet
    expect(await activateVersion(em, documentId, 1)).toBe(true);

    await addSourceVersion(em, documentId, Buffer.from('# FAQ v2'));
    await setDocumentProgress(em, documentId, { status: 'processing', stage: 'embedding', percent: 50 });
    await upsertChunks(em, a, documentId, 2, [chunk(0, 'Refund policy, version two.', axis(0)), chunk(1, 'New refund policy details.', axis(2))], AXES);

    const texts = async (search: typeof hybridSearch) => (await search(tenantEm(orm, a), a, [knowledgeBaseId], query, DEFAULT_RETRIEVAL)).map((h) => h.text).sort();
    for (const search of [hybridSearch, vectorOnlySearch, textOnlySearch]) expect((await texts(search)).every((t) => /one|Old/.test(t))).toBe(true);
    expect(await texts(hybridSearch)).toEqual(['Old opening hours.', 'Refund policy, version one.']);
    expect(await getDocument(tenantEm(orm, a), documentId)).toMatchObject({ activeVersion: 1, latestVersion: 2, status: 'processing', stage: 'embedding', percent: 50 });

    expect(await activateVersion(em, documentId, 2)).toBe(true);
    expect(await texts(hybridSearch)).toEqual(['New refund policy details.', 'Refund policy, version two.']);
    expect(await tenantEm(orm, a).count(Chunk, { document: documentId, version: 1 })).toBe(0);
    expect(await getDocument(tenantEm(orm, a), documentId)).toMatchObject({ activeVersion: 2, chunkCount: 2, status: 'ready', stage: null, percent: 100 });
    // A late retry of the old activation must not roll the document back.
    expect(await activateVersion(em, documentId, 1)).toBe(false);
    expect((await getDocument(tenantEm(orm, a), documentId))?.activeVersion).toBe(2);
  });
});
