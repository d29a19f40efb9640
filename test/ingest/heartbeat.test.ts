/**
 * The index activity heartbeats while a slow embedding provider answers, so an attempt is not
 * timed out for waiting on it: run in an activity context with a short heartbeat timeout against
 * an embeddings server that holds its answer for several timeouts.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { expect, it } from 'vitest';
import type { ActivityDeps } from '../../activities/deps';
import { ingestActivities, type IngestHeartbeat } from '../../activities/knowledge/ingest';
import { waitUntil } from '../support/wait';
import { addDocument, markdownGuide, token, useEmbeddingServer, stackWithEmbeddings } from './support';

const servers = stackWithEmbeddings({ worker: false });

it('keeps heartbeating the resume point while the embedding provider is slow', async () => {
  const { tenantId } = await servers.stack.createTenant();
  await useEmbeddingServer(servers.stack, tenantId, servers.embeddings);
  const ref = await addDocument(servers.stack, tenantId, { name: 'guide.md', mimeType: 'text/markdown', content: Buffer.from(markdownGuide(token(), 2, 2)) });
  const heartbeatTimeoutMs = 400;
  const env = new MockActivityEnvironment({ heartbeatTimeoutMs });
  const beats: { at: number; details: IngestHeartbeat }[] = [];
  env.on('heartbeat', (details: IngestHeartbeat) => beats.push({ at: Date.now(), details }));

  servers.embeddings.holdAfter(0);
  const acts = ingestActivities({ orm: servers.stack.orm, config: servers.stack.config } as ActivityDeps);
  const run = env.run(acts.indexDocumentVersion, { tenantId, documentId: ref.documentId, version: 1 });
  await waitUntil(() => servers.embeddings.requests.length === 1, 10_000, 'the embedding request');
  const heldFrom = Date.now();
  await new Promise((resolve) => setTimeout(resolve, 5 * heartbeatTimeoutMs));
  servers.embeddings.release();
  const result = (await run) as Awaited<ReturnType<typeof acts.indexDocumentVersion>>;

  expect(result).toMatchObject({ chunkCount: expect.any(Number), embedded: result.chunkCount });
  const whileHeld = beats.filter((b) => b.at >= heldFrom && b.at <= heldFrom + 5 * heartbeatTimeoutMs);
  // Never a gap as long as the timeout while the provider was thinking, and still at batch 0.
  expect(whileHeld.length).toBeGreaterThanOrEqual(4);
  expect(whileHeld.every((b) => b.details.nextBatch === 0)).toBe(true);
  const gaps = whileHeld.slice(1).map((b, i) => b.at - whileHeld[i].at);
  expect(Math.max(...gaps)).toBeLessThan(heartbeatTimeoutMs);
  expect(beats.at(-1)!.details).toEqual({ nextBatch: 1 });
});
