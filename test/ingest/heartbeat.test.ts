/**
 * The index activity heartbeats while a slow embedding provider answers, so an attempt is not
 * timed out for waiting on it: run in an activity context with a short heartbeat timeout against
 * an embeddings server that holds its answer for several timeouts.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ActivityDeps } from '../../activities/deps';
import { ingestActivities, type IngestHeartbeat } from '../../activities/rag/ingest';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { waitUntil } from '../support/wait';
import { addDocument, markdownGuide, startEmbeddingServer, token, useEmbeddingServer, type EmbeddingServer } from './support';

let stack: Stack;
let embeddings: EmbeddingServer;

beforeAll(async () => {
  embeddings = await startEmbeddingServer();
  stack = await startStack({ ...sharedServers(), worker: false });
});
afterAll(async () => {
  embeddings?.release();
  await stack?.close();
  await embeddings?.close();
});

it('keeps heartbeating the resume point while the embedding provider is slow', async () => {
  const { tenantId } = await stack.createTenant();
  await useEmbeddingServer(stack, tenantId, embeddings);
  const ref = await addDocument(stack, tenantId, { name: 'guide.md', mimeType: 'text/markdown', content: Buffer.from(markdownGuide(token(), 2, 2)) });
  const heartbeatTimeoutMs = 400;
  const env = new MockActivityEnvironment({ heartbeatTimeoutMs });
  const beats: { at: number; details: IngestHeartbeat }[] = [];
  env.on('heartbeat', (details: IngestHeartbeat) => beats.push({ at: Date.now(), details }));

  embeddings.holdAfter(0);
  const acts = ingestActivities({ orm: stack.orm, config: stack.config } as ActivityDeps);
  const run = env.run(acts.indexDocumentVersion, { tenantId, documentId: ref.documentId, version: 1 });
  await waitUntil(() => embeddings.requests.length === 1, 10_000, 'the embedding request');
  const heldFrom = Date.now();
  await new Promise((resolve) => setTimeout(resolve, 5 * heartbeatTimeoutMs));
  embeddings.release();
  const result = await run;

  expect(result).toMatchObject({ chunkCount: expect.any(Number), embedded: result.chunkCount });
  const whileHeld = beats.filter((b) => b.at >= heldFrom && b.at <= heldFrom + 5 * heartbeatTimeoutMs);
  // Never a gap as long as the timeout while the provider was thinking, and still at batch 0.
  expect(whileHeld.length).toBeGreaterThanOrEqual(4);
  expect(whileHeld.every((b) => b.details.nextBatch === 0)).toBe(true);
  const gaps = whileHeld.slice(1).map((b, i) => b.at - whileHeld[i].at);
  expect(Math.max(...gaps)).toBeLessThan(heartbeatTimeoutMs);
  expect(beats.at(-1)!.details).toEqual({ nextBatch: 1 });
});
