import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RETRIEVAL, type RetrievalSettings } from '../../core/knowledge/types';
import { tenantEm, type Orm } from '../../db/orm';
import { activateVersion, upsertChunks } from '../../db/repos';
import { hybridSearch, textOnlySearch, vectorOnlySearch } from '../../knowledge/search';
import { makeTenant, testOrm } from '../db/fixtures';
import { axis, chunk, makeDocument, vec, AXES } from './fixtures';

/**
 * The query points along axis 0 and asks for "refund policy". BOTH is close to the query and
 * mentions it; VECTOR is the nearest but never says it; TEXT says it most but points elsewhere.
 * Fillers are far away and off topic. With 2 candidates per method, each method finds BOTH and
 * its own specialist only.
 */
const BOTH = 'Our refund policy: refunds within 30 days of delivery.';
const VECTOR = 'Returns are accepted at any store.';
const TEXT = 'Refund policy. The refund policy covers every refund.';
const query = { text: 'refund policy', embedding: axis(0), embedderId: AXES };
const settings: RetrievalSettings = { ...DEFAULT_RETRIEVAL, candidates: 2, topK: 10 };

let orm: Orm;
let tenantId: string;
let kb: string;
let otherKb: string;
const search = (s: Partial<RetrievalSettings>, q = query, kbs = [kb]) => hybridSearch(tenantEm(orm, tenantId), tenantId, kbs, q, { ...settings, ...s });
const texts = async (s: Partial<RetrievalSettings>, q = query) => (await search(s, q)).map((h) => h.text);

beforeAll(async () => {
  orm = await testOrm();
  tenantId = (await makeTenant(orm)).tenantId;
  const em = tenantEm(orm, tenantId);
  const one = await makeDocument(orm, tenantId, { name: 'policies.md' });
  kb = one.knowledgeBaseId;
  await upsertChunks(em, tenantId, one.documentId, 1, [
    chunk(0, BOTH, vec([0, 0.9], [1, 0.3]), 'Refunds'),
    chunk(1, VECTOR, axis(0)),
    chunk(2, TEXT, axis(5)),
    chunk(3, 'Opening hours are nine to five.', axis(7)),
    chunk(4, 'We ship worldwide.', axis(8)),
  ], AXES);
  // The same text in a second document of the knowledge base: collapsed into one hit.
  const copy = await makeDocument(orm, tenantId, { knowledgeBaseId: kb, name: 'copy.md' });
  await upsertChunks(em, tenantId, copy.documentId, 1, [chunk(0, BOTH, vec([0, 0.9], [1, 0.3]))], AXES);
  const other = await makeDocument(orm, tenantId, { name: 'other-kb.md' });
  otherKb = other.knowledgeBaseId;
  await upsertChunks(em, tenantId, other.documentId, 1, [chunk(0, 'Refund policy of the other knowledge base.', axis(0))], AXES);
  for (const d of [one, copy, other]) await activateVersion(em, d.documentId, 1);
});
afterAll(() => orm.close(true));

describe('hybridSearch', () => {
  it('runs on connections that scan HNSW iteratively, so filtered vector scans fill their candidates', async () => {
    const [row] = await tenantEm(orm, tenantId).execute<{ mode: string }[]>(`select current_setting('hnsw.iterative_scan') as mode`);
    expect(row.mode).toBe('relaxed_order');
  });

  it('runs with JIT off: compiling the search plan costs more than running it', async () => {
    const [row] = await tenantEm(orm, tenantId).execute<{ jit: string }[]>(`select current_setting('jit') as jit`);
    expect(row.jit).toBe('off');
  });

  it('ranks a chunk found by both methods above chunks found by one', async () => {
    const hits = await search({});
    expect(hits.map((h) => h.text)).toEqual([BOTH, expect.any(String), expect.any(String)]);
    expect(hits.slice(1).map((h) => h.text).sort()).toEqual([TEXT, VECTOR].sort());
    expect(hits[0]).toMatchObject({ vectorRank: 2, textRank: expect.any(Number), section: 'Refunds', documentName: expect.stringMatching(/policies|copy/) });
    expect(hits[0].score).toBeCloseTo(1 / 62 + 1 / (60 + hits[0].textRank!), 10);
    expect(hits.find((h) => h.text === VECTOR)).toMatchObject({ vectorRank: 1, textRank: null });
  });

  it('collapses chunks with the same content hash to one hit', async () => {
    const hits = await search({ candidates: 40 });
    expect(hits.filter((h) => h.text === BOTH)).toHaveLength(1);
    expect(new Set(hits.map((h) => h.chunkId)).size).toBe(hits.length);
  });

  it('lets the weights shift the order', async () => {
    const vectorHeavy = await texts({ vectorWeight: 1, textWeight: 0.2 });
    const textHeavy = await texts({ vectorWeight: 0.2, textWeight: 1 });
    expect(vectorHeavy.indexOf(VECTOR)).toBeLessThan(vectorHeavy.indexOf(TEXT));
    expect(textHeavy.indexOf(TEXT)).toBeLessThan(textHeavy.indexOf(VECTOR));
  });

  it('applies minScore and topK', async () => {
    expect(await texts({ minScore: 0.02 })).toEqual([BOTH]);
    expect(await texts({ topK: 1 })).toEqual([BOTH]);
    expect(await texts({ minScore: 1 })).toEqual([]);
  });

  it('searches only the knowledge bases asked for', async () => {
    expect((await search({}, query, [otherKb])).map((h) => h.documentName)).toEqual(['other-kb.md']);
    expect(await search({}, query, [])).toEqual([]);
    expect((await search({ candidates: 40 }, query, [kb, otherKb])).map((h) => h.documentName)).toContain('other-kb.md');
  });

  it('treats an empty or stop-word query text as vector-only', async () => {
    for (const text of ['', '   ', 'the of and', '"unbalanced -( or']) {
      const hits = await search({}, { text, embedding: axis(0), embedderId: AXES });
      expect(hits.map((h) => h.textRank)).toEqual(hits.map(() => null));
      expect(hits[0]?.text).toBe(VECTOR);
    }
  });
});

describe('single-method variants', () => {
  it('rank by one method with the same scoping and scores', async () => {
    const em = tenantEm(orm, tenantId);
    const byVector = await vectorOnlySearch(em, tenantId, [kb], query, settings);
    const byText = await textOnlySearch(em, tenantId, [kb], query, settings);
    expect(byVector.map((h) => h.text)).toEqual([VECTOR, BOTH]);
    expect(byVector.every((h) => h.textRank === null)).toBe(true);
    expect(byText.map((h) => h.text).sort()).toEqual([BOTH, TEXT].sort());
    expect(byText.every((h) => h.vectorRank === null)).toBe(true);
    expect(byText[0].score).toBeCloseTo(1 / 61, 10);
  });
});
