import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RETRIEVAL, type RetrievalSettings } from '../../core/knowledge/types';
import { tenantEm, type Orm } from '../../db/orm';
import { activateVersion, createKnowledgeBase, deleteDocument, updateKnowledgeBase, upsertChunks } from '../../db/repos';
import { textOnlySearch } from '../../knowledge/search';
import { makeTenant, testOrm } from '../db/fixtures';
import { axis, chunk, makeDocument, AXES } from './fixtures';

let orm: Orm;
let tenantId: string;
const settings: RetrievalSettings = { ...DEFAULT_RETRIEVAL, topK: 10, candidates: 10 };

beforeAll(async () => {
  orm = await testOrm();
  tenantId = (await makeTenant(orm)).tenantId;
});
afterAll(() => orm.close(true));

const em = () => tenantEm(orm, tenantId);

/** A document of the given chunk texts, stored as `version` and activated. */
async function addDocument(knowledgeBaseId: string | undefined, texts: string[], version = 1, documentId?: string) {
  const doc = documentId ? { knowledgeBaseId: knowledgeBaseId!, documentId } : await makeDocument(orm, tenantId, { knowledgeBaseId });
  await upsertChunks(em(), tenantId, doc.documentId, version, texts.map((t, i) => chunk(i, t, axis(i))), AXES);
  await activateVersion(em(), doc.documentId, version);
  return doc;
}

async function stats(kb: string) {
  const [row] = await em().execute<{ chunks: string; total: string }[]>(`select chunk_count as chunks, total_terms as total from bm25_kb_stats where knowledge_base_id = ?`, [kb]);
  const terms = await em().execute<{ term: string; df: number }[]>(`select term, df from bm25_term_stats where knowledge_base_id = ? order by term`, [kb]);
  return { chunks: Number(row?.chunks ?? 0), total: Number(row?.total ?? 0), df: Object.fromEntries(terms.map((t) => [t.term, t.df])) };
}

const texts = async (kb: string, query: string, s: Partial<RetrievalSettings> = {}) =>
  (await textOnlySearch(em(), tenantId, [kb], { text: query }, { ...settings, ...s })).map((h) => h.text);

describe('BM25 statistics', () => {
  it('count the active version of each document, per knowledge base, through reindex and delete', async () => {
    const doc = await addDocument(undefined, ['Parking is free.', 'Parking costs five euros at night.']);
    const kb = doc.knowledgeBaseId;
    expect(await stats(kb)).toEqual({ chunks: 2, total: 2 + 5, df: { cost: 1, euro: 1, five: 1, free: 1, night: 1, park: 2 } });

    // A second version replaces the first one's counts when it becomes active, not before.
    await upsertChunks(em(), tenantId, doc.documentId, 2, [chunk(0, 'Parking is closed.', axis(0))], AXES);
    expect((await stats(kb)).chunks).toBe(2);
    await activateVersion(em(), doc.documentId, 2);
    expect(await stats(kb)).toEqual({ chunks: 1, total: 2, df: { close: 1, park: 1 } });

    // Another knowledge base's documents count there only.
    const other = await addDocument(undefined, ['Parking is free.']);
    expect((await stats(other.knowledgeBaseId)).df).toEqual({ free: 1, park: 1 });
    expect((await stats(kb)).df).toEqual({ close: 1, park: 1 });

    expect(await deleteDocument(em(), doc.documentId)).toBe(true);
    expect(await stats(kb)).toEqual({ chunks: 0, total: 0, df: {} });
  });

  it('apply many documents activated at once exactly once each', async () => {
    const kb = (await createKnowledgeBase(em(), tenantId, { name: 'Concurrent' })).id;
    await Promise.all(Array.from({ length: 12 }, (_, i) => addDocument(kb, [`Shared words everywhere, and unique${'x'.repeat(i)} word.`])));
    const { chunks, df } = await stats(kb);
    expect(chunks).toBe(12);
    expect([df.share, df.word, df.everywher]).toEqual([12, 12, 12]);
  });

  it('move once per statement: documents of two knowledge bases activated, then re-versioned, in one UPDATE each count as rebuilt from scratch', async () => {
    const [a, b] = [(await createKnowledgeBase(em(), tenantId, { name: 'Bulk A' })).id, (await createKnowledgeBase(em(), tenantId, { name: 'Bulk B' })).id];
    const sources: [string, string][] = [[a, 'Parking is free.'], [a, 'Parking costs five euros.'], [a, 'Parking at night.'], [b, 'Opening hours daily.'], [b, 'Parking at the back.']];
    const docs: string[] = [];
    for (const [kb, text] of sources) {
      const doc = await makeDocument(orm, tenantId, { knowledgeBaseId: kb });
      await upsertChunks(em(), tenantId, doc.documentId, 1, [chunk(0, text, axis(0))], AXES);
      docs.push(doc.documentId);
    }
    const activate = (version: number, ids: string[]) => em().execute(`update documents set active_version = ? where id in (${ids.map(() => '?').join(', ')})`, [version, ...ids], 'run');
    await activate(1, docs);
    expect(await stats(a)).toEqual({ chunks: 3, total: 2 + 4 + 2, df: { cost: 1, euro: 1, five: 1, free: 1, night: 1, park: 3 } });
    expect(await stats(b)).toEqual({ chunks: 2, total: 3 + 2, df: { back: 1, daili: 1, hour: 1, open: 1, park: 1 } });

    // Two of A's documents get a second version, swapped in by one statement: "free", "five",
    // "euro", "cost" leave, "gate" arrives, "park" loses one.
    await upsertChunks(em(), tenantId, docs[0], 2, [chunk(0, 'Gate code.', axis(0))], AXES);
    await upsertChunks(em(), tenantId, docs[1], 2, [chunk(0, 'Parking gate.', axis(0))], AXES);
    await activate(2, docs.slice(0, 2));
    const incremental = await stats(a);
    expect(incremental).toEqual({ chunks: 3, total: 2 + 2 + 2, df: { code: 1, gate: 2, night: 1, park: 2 } });
    await em().execute('select bm25_rebuild(?)', [a]);
    expect(await stats(a)).toEqual(incremental);
    // An update that moves no version (a status change) leaves the statistics alone.
    await em().execute(`update documents set status = 'ready' where id in (?, ?)`, docs.slice(3), 'run');
    expect((await stats(b)).chunks).toBe(2);
  });
});

describe('BM25 ranking', () => {
  it('weighs rare words above common ones (IDF)', async () => {
    const kb = (await createKnowledgeBase(em(), tenantId, { name: 'Idf' })).id;
    await addDocument(kb, ['Opening hours of the clinic.', 'The clinic accepts insurance.', 'The clinic is in the centre.', 'Dentist hours on Sunday.']);
    // "clinic" and "hours" each appear once in two chunks; "clinic" is in three chunks, "hours" in two.
    expect((await texts(kb, 'clinic hours'))[0]).toBe('Opening hours of the clinic.');
    expect((await texts(kb, 'clinic sunday'))[0]).toBe('Dentist hours on Sunday.');
  });

  it('normalises by length with b, and saturates term frequency with k1', async () => {
    const kb = (await createKnowledgeBase(em(), tenantId, { name: 'Length' })).id;
    const short = 'Refunds take five days.';
    const long = 'Refunds take five days, refunds are paid to the card used, and refunds of vouchers go to a new voucher with the same value and expiry.';
    await addDocument(kb, [short, long, 'Nothing about money here.']);
    // b = 1: the long chunk's three mentions are discounted by its length; b = 0: they win.
    expect(await texts(kb, 'refund', { bm25B: 1, bm25K1: 1.2 })).toEqual([short, long]);
    expect(await texts(kb, 'refund', { bm25B: 0, bm25K1: 1.2 })).toEqual([long, short]);
    // k1 = 0: any number of mentions counts as one, so length (b = 1) puts the short chunk first again.
    expect(await texts(kb, 'refund', { bm25B: 1, bm25K1: 0 })).toEqual([short, long]);
  });

  it('lets the rarest words of a long query pick the candidates; common words still score', async () => {
    const kb = (await createKnowledgeBase(em(), tenantId, { name: 'Budget' })).id;
    await addDocument(kb, [
      ...Array.from({ length: 60 }, (_, i) => `Appointment number ${i} for the practice.`),
      'An appointment for a root canal at the practice.',
      'Root canal treatment.',
    ]);
    const query = 'Can I book an appointment at the practice for a root canal treatment?';
    // With 50 rows allowed, "appointment" and "practice" (61 chunks each) cannot add candidates.
    const narrow = await texts(kb, query, { bm25MatchRows: 50 });
    expect(narrow.sort()).toEqual(['An appointment for a root canal at the practice.', 'Root canal treatment.']);
    expect((await texts(kb, query, { bm25MatchRows: 1000 })).length).toBe(10);
  });
});

describe('knowledge base language', () => {
  it('stems chunks and queries in the knowledge base language, and re-parses when it changes', async () => {
    const kb = (await createKnowledgeBase(em(), tenantId, { name: 'Clínica', language: 'spanish' })).id;
    const doc = await addDocument(kb, ['Los niños necesitan una cita previa.', 'Horario de apertura.']);
    expect(await texts(kb, '¿Atienden a niño sin citas?')).toEqual(['Los niños necesitan una cita previa.']);
    expect((await stats(kb)).df).toMatchObject({ niñ: 1, cit: 1 });
    expect((await stats(kb)).df).not.toHaveProperty('los');
    // "los" is a Spanish stop word: it matches nothing until the knowledge base is English.
    expect(await texts(kb, 'los')).toEqual([]);

    await updateKnowledgeBase(em(), kb, { language: 'english' });
    expect((await stats(kb)).df).toMatchObject({ los: 1, una: 1 });
    expect((await stats(kb)).df).not.toHaveProperty('niñ');
    expect(await texts(kb, 'los')).toEqual(['Los niños necesitan una cita previa.']);
    expect(await deleteDocument(em(), doc.documentId)).toBe(true);
  });
});
