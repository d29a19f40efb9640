/**
 * Words so common that ranking their rows would dominate a search: read from the planner's
 * statistics, used for ranking only, and all required when a query has nothing rarer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RETRIEVAL } from '../../core/knowledge/types';
import { tenantEm, type Orm } from '../../db/orm';
import { activateVersion, upsertChunks } from '../../db/repos';
import { commonLexemes } from '../../knowledge/common-lexemes';
import { TEXT_ROW_BUDGET, textOnlySearch } from '../../knowledge/search';
import { makeTenant, testOrm } from '../db/fixtures';
import { axis, chunk, makeDocument, AXES } from './fixtures';

// Made-up words, so other tests' chunks in the shared table cannot change the statistics for them.
const COMMON = 'zorblat';
const RARE = 'quixle';
const SECOND = 'vendrik';
const CHUNKS = TEXT_ROW_BUDGET + 300;

let orm: Orm;
let tenantId: string;
let kb: string;
const search = (text: string) => textOnlySearch(tenantEm(orm, tenantId), tenantId, [kb], { text }, { ...DEFAULT_RETRIEVAL, topK: 1000, candidates: 1000 });

beforeAll(async () => {
  orm = await testOrm();
  tenantId = (await makeTenant(orm)).tenantId;
  const em = tenantEm(orm, tenantId);
  const doc = await makeDocument(orm, tenantId, { name: 'manual.md' });
  kb = doc.knowledgeBaseId;
  const texts = Array.from({ length: CHUNKS }, (_, i) => {
    if (i < 2) return `Section ${i}: the ${COMMON} needs a ${RARE} filter.`;
    if (i < 5) return `Section ${i}: a ${COMMON} with a ${SECOND} handle.`;
    return `Section ${i}: how to clean the ${COMMON}, part ${i}.`;
  });
  await upsertChunks(em, tenantId, doc.documentId, 1, texts.map((t, i) => chunk(i, t, axis(i % 300))), AXES);
  await activateVersion(em, doc.documentId, 1);
  await em.getConnection().execute('analyze chunks');
});
afterAll(() => orm.close(true));

describe('common lexemes', () => {
  it('come from pg_stats once the table is analyzed', async () => {
    const common = await commonLexemes(tenantEm(orm, tenantId), TEXT_ROW_BUDGET, { refresh: true });
    expect(common).toContain(COMMON);
    expect(common).not.toContain(RARE);
  });

  it('rank but do not match: a query with a rarer word finds only the rows that have it', async () => {
    const hits = await search(`Which ${COMMON} has a ${RARE} filter or a ${SECOND} handle?`);
    expect(hits).toHaveLength(5);
    expect(hits.every((h) => h.text.includes(RARE) || h.text.includes(SECOND))).toBe(true);
  });

  it('are all required when the query has nothing rarer', async () => {
    const hits = await search(`clean ${COMMON}`);
    expect(hits).toHaveLength(CHUNKS - 5);
    expect(hits.every((h) => h.text.includes('clean'))).toBe(true);
  });
});
