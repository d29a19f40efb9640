/**
 * Reindex atomicity: while version 2 is half written (its embedding requests held after the first
 * batch), searches still see version 1 only; once it is activated they see version 2 only.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sharedServers } from '../support/shared-servers';
import { addSourceVersion } from '../../db/repos';
import { tenantEm } from '../../db/orm';
import { startStack, type Stack } from '../support/stack';
import { waitUntil } from '../support/wait';
import { addDocument, chunkRows, documentRow, ingest, markdownGuide, search, startEmbeddingServer, startIngest, token, useEmbeddingServer, type EmbeddingServer } from './support';

let stack: Stack;
let embeddings: EmbeddingServer;

beforeAll(async () => {
  embeddings = await startEmbeddingServer();
  stack = await startStack(sharedServers());
});
afterAll(async () => {
  embeddings?.release();
  await stack?.close();
  await embeddings?.close();
});

it('serves only version 1 while version 2 is being indexed, then only version 2', async () => {
  const { tenantId } = await stack.createTenant();
  await useEmbeddingServer(stack, tenantId, embeddings);
  const [v1, v2] = [`old${token()}`, `new${token()}`];
  // Small chunks: version 2 needs several batches, so it can be caught between two of them.
  const kb = { name: 'Guides', chunkSize: 40, chunkOverlap: 5 };
  const ref = await addDocument(stack, tenantId, { name: 'guide.md', mimeType: 'text/markdown', content: Buffer.from(markdownGuide(v1, 3, 3)), kb });
  expect(await ingest(stack, tenantId, ref)).toMatchObject({ status: 'ready' });

  await addSourceVersion(tenantEm(stack.orm, tenantId), ref.documentId, Buffer.from(markdownGuide(v2, 10, 10)));
  embeddings.holdAfter(embeddings.requests.length + 1);
  const run = await startIngest(stack, tenantId, ref, 2);
  await waitUntil(async () => (await chunkRows(stack, tenantId, ref.documentId, 2)).length > 0 && embeddings.requests.length > 0, 20_000, 'the first batch of version 2');

  const versions = async (text: string) => {
    const hits = await search(stack, tenantId, ref.knowledgeBaseId, text);
    const rows = await chunkRows(stack, tenantId, ref.documentId);
    return new Set(hits.map((h) => rows.find((r) => r.id === h.chunkId)!.version));
  };
  expect(await versions(`topic 1 ${v2}`)).toEqual(new Set([1]));
  expect(await versions(`topic 1 ${v1}`)).toEqual(new Set([1]));
  expect(await documentRow(stack, tenantId, ref.documentId)).toMatchObject({ activeVersion: 1, status: 'processing', stage: 'embedding' });

  embeddings.release();
  expect(await run.result()).toMatchObject({ status: 'ready' });
  expect(await versions(`topic 1 ${v2}`)).toEqual(new Set([2]));
  expect(await chunkRows(stack, tenantId, ref.documentId, 1)).toEqual([]);
}, 60_000);
