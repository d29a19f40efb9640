/** searchKnowledge against PostgreSQL: chunks made by the real chunker and offline embedder. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knowledgeActivities } from '../../activities/knowledge/search';
import { chunkDocument } from '../../core/knowledge/chunk';
import { offlineEmbedder } from '../../core/knowledge/offline-embedder';
import type { ExtractedSection } from '../../core/knowledge/types';
import { tenantEm, type Orm } from '../../db/orm';
import { activateVersion, createKnowledgeBase, upsertChunks } from '../../db/repos';
import { makeTenant, testConfig, testOrm } from '../db/fixtures';
import { makeDocument } from '../rag-db/fixtures';

let orm: Orm;
let tenantId: string;
let otherTenantId: string;
let menuKb: string;
let policyKb: string;
let search: ReturnType<typeof knowledgeActivities>['searchKnowledge'];

/** Chunks, embeds and activates version 1 of a new document in the knowledge base. */
async function indexDocument(kb: string, name: string, sections: ExtractedSection[]) {
  const em = tenantEm(orm, tenantId);
  const { documentId } = await makeDocument(orm, tenantId, { knowledgeBaseId: kb, name });
  const chunks = chunkDocument({ title: name, sections, pageCount: null }, { maxTokens: 200, overlapTokens: 20 });
  const vectors = await offlineEmbedder.embed(chunks.map((c) => c.text));
  await upsertChunks(em, tenantId, documentId, 1, chunks.map((c, i) => ({ ...c, embedding: vectors[i] })), offlineEmbedder.id);
  await activateVersion(em, documentId, 1);
  return documentId;
}

beforeAll(async () => {
  orm = await testOrm();
  tenantId = (await makeTenant(orm)).tenantId;
  otherTenantId = (await makeTenant(orm)).tenantId;
  search = knowledgeActivities({ orm, config: testConfig() }).searchKnowledge;
  const em = tenantEm(orm, tenantId);
  menuKb = (await createKnowledgeBase(em, tenantId, { name: 'Menu', retrieval: { topK: 2 } })).id;
  policyKb = (await createKnowledgeBase(em, tenantId, { name: 'Policies' })).id;
  await indexDocument(menuKb, 'Menu', [
    { heading: 'Desserts', page: 2, text: 'Tiramisu costs 7 euros. The cheese board costs 11 euros and comes with grapes.' },
    { heading: 'Mains', page: 1, text: 'The grilled sea bass costs 24 euros and is served with fennel.' },
    { heading: 'Drinks', page: 3, text: 'House wine costs 6 euros a glass. Espresso costs 2 euros.' },
  ]);
  await indexDocument(policyKb, 'Booking policy', [
    { heading: 'Cancellations', page: null, text: 'Cancel a booking up to 24 hours ahead at no charge; later cancellations cost 10 euros per guest.' },
  ]);
});
afterAll(() => orm.close(true));

describe('searchKnowledge', () => {
  it('finds passages with their citations, using the first knowledge base’s topK', async () => {
    const { passages } = await search({ tenantId, knowledgeBaseIds: [menuKb, policyKb], query: 'How much is the tiramisu?' });
    expect(passages).toHaveLength(2);
    expect(passages[0]).toMatchObject({
      text: expect.stringContaining('Tiramisu costs 7 euros'),
      citation: { document: 'Menu', documentId: expect.any(String), section: 'Desserts', page: 2 },
    });
    expect(passages[0].score).toBeGreaterThan(passages[1].score);
  });

  it('searches every given knowledge base, with the node’s topK override', async () => {
    const { passages } = await search({ tenantId, knowledgeBaseIds: [menuKb, policyKb], query: 'cancel my booking', topK: 1 });
    expect(passages).toEqual([
      expect.objectContaining({ citation: expect.objectContaining({ document: 'Booking policy', section: 'Cancellations' }) }),
    ]);
    expect(passages[0].citation).not.toHaveProperty('page');
  });

  it('finds nothing in another tenant’s knowledge bases, nor for unknown ids or empty queries', async () => {
    expect(await search({ tenantId: otherTenantId, knowledgeBaseIds: [menuKb, policyKb], query: 'tiramisu' })).toEqual({ passages: [] });
    expect(await search({ tenantId, knowledgeBaseIds: ['not-a-uuid', '00000000-0000-4000-8000-000000000000'], query: 'tiramisu' })).toEqual({ passages: [] });
    expect(await search({ tenantId, knowledgeBaseIds: [menuKb], query: '   ' })).toEqual({ passages: [] });
  });
});
