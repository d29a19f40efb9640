/**
 * A version is indexed as it began: the chunking and the embedder are pinned when the API starts
 * its ingestion, so a retried attempt after a settings change neither mixes two chunkings in one
 * version nor mixes two models' vectors. While embedding, the document shows its chunk count.
 * Through the real API, worker and Temporal; the embeddings server holds the second batch, the
 * settings change, then that request fails so the activity is retried.
 */
import { expect, it } from 'vitest';
import { extractDocument } from '../../knowledge/extract';
import { INGEST_BATCH } from '../../activities/knowledge/ingest';
import { chunkDocument } from '../../core/knowledge/chunk';
import { waitUntil } from '../support/wait';
import { chunkRows, markdownGuide, token, useEmbeddingServer, stackWithEmbeddings } from './support';

const servers = stackWithEmbeddings();

async function tenantWithKb(chunkSize: number) {
  const tenant = await servers.stack.createTenant();
  await useEmbeddingServer(servers.stack, tenant.tenantId, servers.embeddings);
  const kb = await servers.stack.request('POST', '/v1/knowledge-bases', { apiKey: tenant.apiKey, body: { name: 'Manuals', chunkSize, chunkOverlap: 5 } });
  return { ...tenant, kbId: kb.body.id as string };
}

async function expectedChunks(text: string, maxTokens: number) {
  const extracted = await extractDocument(Buffer.from(text), { mimeType: 'text/plain; charset=utf-8' });
  return chunkDocument(extracted, { maxTokens, overlapTokens: 5 });
}

const documentOf = async (apiKey: string, id: string) => (await servers.stack.request('GET', `/v1/documents/${id}`, { apiKey })).body;
const settled = async (apiKey: string, id: string, until: (d: any) => boolean) => {
  let doc: any;
  await waitUntil(async () => until((doc = await documentOf(apiKey, id))), 60_000, `document ${id} to settle`);
  return doc;
};

/** Holds the next ingestion's second embedding request, runs `change` meanwhile, then fails that request. */
async function changeDuringSecondBatch(start: () => Promise<string>, change: (documentId: string) => Promise<void>) {
  const before = servers.embeddings.requests.length;
  servers.embeddings.holdAfter(before + 1);
  const documentId = await start();
  await waitUntil(() => servers.embeddings.requests.length >= before + 2, 30_000, 'the second batch');
  await change(documentId);
  servers.embeddings.release(503);
  return documentId;
}

it('keeps the chunking a version started with, and shows the chunk count while embedding', async () => {
  const { apiKey, tenantId, kbId } = await tenantWithKb(50);
  const text = markdownGuide(token(), 20, 10);
  const expected = await expectedChunks(text, 50);
  expect(expected.length).toBeGreaterThan(INGEST_BATCH);

  const documentId = await changeDuringSecondBatch(
    async () => (await servers.stack.request('POST', `/v1/knowledge-bases/${kbId}/documents`, { apiKey, body: { text, name: 'Manual' } })).body.id,
    async (id) => {
      expect(await documentOf(apiKey, id)).toMatchObject({ status: 'processing', stage: 'embedding', chunkCount: expected.length, activeVersion: null });
      const patched = await servers.stack.request('PATCH', `/v1/knowledge-bases/${kbId}`, { apiKey, body: { chunkSize: 400, chunkOverlap: 0 } });
      expect(patched.status).toBe(200);
    },
  );

  const doc = await settled(apiKey, documentId, (d) => d.status === 'ready' || d.status === 'failed');
  expect(doc).toMatchObject({ status: 'ready', activeVersion: 1, chunkCount: expected.length });
  const rows = await chunkRows(servers.stack, tenantId, documentId, 1);
  expect(rows.map((r) => r.text)).toEqual(expected.map((c) => c.text));
});

it('ends a version whose embedding model changed mid-way, and the document keeps its searchable version and count', async () => {
  const { apiKey, tenantId, kbId } = await tenantWithKb(50);
  const text = markdownGuide(token(), 20, 10);
  const documentId = (await servers.stack.request('POST', `/v1/knowledge-bases/${kbId}/documents`, { apiKey, body: { text, name: 'Manual' } })).body.id;
  const first = await settled(apiKey, documentId, (d) => d.status === 'ready');
  // A new chunk size makes every chunk new text, so the reindex has embedding requests to hold.
  await servers.stack.request('PATCH', `/v1/knowledge-bases/${kbId}`, { apiKey, body: { chunkSize: 60 } });
  const reindexed = await expectedChunks(text, 60);
  expect(reindexed.length).not.toBe(first.chunkCount);

  await changeDuringSecondBatch(
    async () => {
      expect((await servers.stack.request('POST', `/v1/documents/${documentId}/reindex`, { apiKey })).status).toBe(202);
      return documentId;
    },
    async () => {
      expect(await documentOf(apiKey, documentId)).toMatchObject({ status: 'processing', chunkCount: reindexed.length, activeVersion: 1 });
      await useEmbeddingServer(servers.stack, tenantId, servers.embeddings);
    },
  );

  const doc = await settled(apiKey, documentId, (d) => d.stage === 'reindex_failed' || d.activeVersion === 2);
  expect(doc).toMatchObject({ status: 'ready', stage: 'reindex_failed', activeVersion: 1, latestVersion: 2, chunkCount: first.chunkCount });
  expect(doc.error).toMatch(/embedding model changed .* Reindex the document/);
  expect(await chunkRows(servers.stack, tenantId, documentId, 2)).toEqual([]);
  expect(await chunkRows(servers.stack, tenantId, documentId, 1)).toHaveLength(first.chunkCount);
});
