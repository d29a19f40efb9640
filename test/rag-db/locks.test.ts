/**
 * The document lock taken by a reindex, an activation and a failed version must not also lock the
 * knowledge-base row its tenant filter joins: a chunk insert's foreign-key checks take KEY SHARE on
 * the knowledge base first and then on the document, so a lock on both rows in the other order
 * deadlocked reindexing against the worker's inserts.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { tenantEm, type Orm } from '../../db/orm';
import { activateVersion, addSourceVersion, failVersion } from '../../db/repos';
import { makeTenant, testOrm } from '../db/fixtures';
import { makeDocument } from './fixtures';

let orm: Orm;
let tenantId: string;
beforeAll(async () => {
  orm = await testOrm();
  ({ tenantId } = await makeTenant(orm));
});
afterAll(() => orm.close(true));

/** What a chunk insert's foreign-key checks do, one step at a time, in a transaction of its own. */
async function foreignKeyChecks(knowledgeBaseId: string, documentId: string, meanwhile: () => Promise<unknown>) {
  const client = new pg.Client({ connectionString: inject('databaseUrl') });
  await client.connect();
  try {
    await client.query('begin');
    await client.query('select 1 from knowledge_bases where id = $1 for key share', [knowledgeBaseId]);
    const other = meanwhile();
    // Let the other transaction reach its lock before this one asks for the document's.
    await new Promise((r) => setTimeout(r, 300));
    await client.query('select 1 from documents where id = $1 for key share', [documentId]);
    await client.query('commit');
    return await other;
  } finally {
    await client.end();
  }
}

describe('document locks', () => {
  it.each([
    ['addSourceVersion', (documentId: string) => addSourceVersion(tenantEm(orm, tenantId), documentId, Buffer.from('# FAQ again'))],
    ['activateVersion', (documentId: string) => activateVersion(tenantEm(orm, tenantId), documentId, 1)],
    ['failVersion', (documentId: string) => failVersion(tenantEm(orm, tenantId), documentId, 1, 'fetch failed')],
  ])('%s does not deadlock against a chunk insert of the same document', async (_name, lockingCall) => {
    const { knowledgeBaseId, documentId } = await makeDocument(orm, tenantId);
    await expect(foreignKeyChecks(knowledgeBaseId, documentId, () => lockingCall(documentId))).resolves.not.toThrow();
  });
});
