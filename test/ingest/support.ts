/**
 * Ingestion test helpers: documents made through the repositories (as the API does), the
 * ingestion workflow started like the API starts it, and an embeddings server a test can pause.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { embedText } from '../../core/knowledge/offline-embedder';
import { DEFAULT_RETRIEVAL } from '../../core/knowledge/types';
import { ingestWorkflowId } from '../../core/ids';
import { Chunk, type Document, type TenantSettings } from '../../db/entities';
import { systemEm, tenantEm } from '../../db/orm';
import { createDocument, createKnowledgeBase, getDocument, updateTenantSettings, type KnowledgeBaseInput } from '../../db/repos';
import { secretBoxFromConfig } from '../../db/secrets';
import { hybridSearch } from '../../knowledge/search';
import { currentEmbedderId } from '../../knowledge/tenant-embedder';
import type { IngestDocumentResult } from '../../workflows/ingestDocument';
import { afterAll, beforeAll } from 'vitest';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { waitUntil } from '../support/wait';

export const token = () => randomBytes(4).toString('hex');

/** `sections` headings, each over `paragraphs` distinct paragraphs; `tag` keeps the text unique to a test. */
export function markdownGuide(tag: string, sections: number, paragraphs: number): string {
  const out: string[] = [`# Guide ${tag}`];
  for (let s = 1; s <= sections; s++) {
    out.push(`## Topic ${s} ${tag}`);
    for (let p = 1; p <= paragraphs; p++) out.push(`Paragraph ${p} of topic ${s} (${tag}) explains step ${s}.${p} of the procedure in plain words.`);
  }
  return out.join('\n\n');
}

export interface NewDoc {
  name: string;
  mimeType: string;
  content?: Buffer;
  sourceUrl?: string;
  kb?: KnowledgeBaseInput;
  knowledgeBaseId?: string;
}

export async function addDocument(stack: Stack, tenantId: string, doc: NewDoc) {
  const em = tenantEm(stack.orm, tenantId);
  const knowledgeBaseId = doc.knowledgeBaseId ?? (await createKnowledgeBase(em, tenantId, doc.kb ?? { name: 'Help centre' })).id;
  const { document } = await createDocument(em, tenantId, {
    knowledgeBaseId,
    name: doc.name,
    sourceType: doc.sourceUrl ? 'url' : 'upload',
    mimeType: doc.mimeType,
    sourceUrl: doc.sourceUrl ?? null,
    content: doc.content ?? Buffer.alloc(0),
  });
  return { knowledgeBaseId, documentId: document.id };
}

export function startIngest(stack: Stack, tenantId: string, ref: { documentId: string; knowledgeBaseId: string }, version = 1, sourceType: 'upload' | 'url' = 'upload') {
  return stack.temporal.workflow.start('ingestDocument', {
    taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
    workflowId: ingestWorkflowId(tenantId, ref.documentId, version),
    args: [{ tenantId, documentId: ref.documentId, knowledgeBaseId: ref.knowledgeBaseId, version, sourceType }],
  });
}

export async function ingest(stack: Stack, tenantId: string, ref: { documentId: string; knowledgeBaseId: string }, version = 1, sourceType: 'upload' | 'url' = 'upload') {
  const handle = await startIngest(stack, tenantId, ref, version, sourceType);
  return (await handle.result()) as IngestDocumentResult;
}

export const documentRow = async (stack: Stack, tenantId: string, documentId: string): Promise<Document> => (await getDocument(tenantEm(stack.orm, tenantId), documentId))!;

export async function chunkRows(stack: Stack, tenantId: string, documentId: string, version?: number) {
  const where = version === undefined ? { document: documentId } : { document: documentId, version };
  return tenantEm(stack.orm, tenantId).find(Chunk, where, { orderBy: { version: 'asc', ordinal: 'asc' } });
}

/**
 * Hybrid search with the query embedded offline (the tests' embedding server uses the same
 * vectors), compared with chunks of the embedder the tenant uses now.
 */
export const search = async (stack: Stack, tenantId: string, knowledgeBaseId: string, text: string) =>
  hybridSearch(tenantEm(stack.orm, tenantId), tenantId, [knowledgeBaseId], { text, embedding: embedText(text), embedderId: await currentEmbedderId(stack.orm, tenantId) }, { ...DEFAULT_RETRIEVAL, topK: 10 });

/**
 * A tenant on `embeddings` with a guide of more than one batch, its ingestion started and held in
 * the second batch's embedding request, after the first batch was stored and its heartbeat
 * reached the server: where a crash test kills the worker.
 */
export async function ingestHeldInSecondBatch(stack: Stack, embeddings: EmbeddingServer) {
  const { tenantId } = await stack.createTenant();
  await useEmbeddingServer(stack, tenantId, embeddings);
  const ref = await addDocument(stack, tenantId, {
    name: 'manual.md',
    mimeType: 'text/markdown',
    content: Buffer.from(markdownGuide(token(), 12, 10)),
    kb: { name: 'Manuals', chunkSize: 40, chunkOverlap: 5 },
  });
  embeddings.holdAfter(1);
  const run = await startIngest(stack, tenantId, ref);
  await waitUntil(() => embeddings.requests.length >= 2, 60_000, 'the second batch to start');
  const heartbeat = async () => (await run.describe()).raw.pendingActivities?.[0]?.heartbeatDetails?.payloads?.length ?? 0;
  await waitUntil(async () => (await heartbeat()) > 0, 15_000, 'the first heartbeat to reach the server');
  return { tenantId, ref, run };
}

/** An OpenAI-compatible `/v1/embeddings` that answers with offline vectors, and can hold requests. */
export interface EmbeddingServer {
  url: string;
  /** Texts of every request received, in order (held ones included). */
  requests: string[][];
  /** Requests after the first `n` are held until `release()` (or until the client goes away). */
  holdAfter(n: number): void;
  /** Answers the held requests, with HTTP `status` (an error body unless 200). */
  release(status?: number): void;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<{ input: string[] }> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return JSON.parse(Buffer.concat(parts).toString('utf8'));
}

export async function startEmbeddingServer(): Promise<EmbeddingServer> {
  const requests: string[][] = [];
  let limit = Infinity;
  let waiting: ((status: number) => void)[] = [];
  const server: Server = createServer(async (req, res) => {
    const { input } = await readJson(req);
    requests.push(input);
    const status = requests.length > limit ? await new Promise<number>((resume) => {
      waiting.push(resume);
      res.once('close', () => resume(0));
    }) : 200;
    if (res.destroyed) return;
    if (status !== 200) {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'embedding backend unavailable' } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ object: 'list', model: 'test', data: input.map((text, index) => ({ object: 'embedding', index, embedding: embedText(text) })), usage: { prompt_tokens: 0, total_tokens: 0 } }));
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests,
    holdAfter: (n) => (limit = n),
    release(status = 200) {
      limit = Infinity;
      waiting.forEach((resume) => resume(status));
      waiting = [];
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((done) => server.close(() => done()));
    },
  };
}

/** Points the tenant's knowledge bases at `server`, with a model name no other test shares (the cache is global). */
export async function useEmbeddingServer(stack: Stack, tenantId: string, server: EmbeddingServer, extra: TenantSettings = {}) {
  const embeddings = { baseURL: server.url, model: `test-${token()}`, apiKeyEncrypted: secretBoxFromConfig(stack.config).encrypt('sk-test') };
  await updateTenantSettings(systemEm(stack.orm), tenantId, { ...extra, embeddings });
}

/** The file's stack (on the shared servers) and an embeddings server, started before its tests and closed after. */
export function stackWithEmbeddings(opts: { worker?: boolean } = {}): { stack: Stack; embeddings: EmbeddingServer } {
  const env = {} as { stack: Stack; embeddings: EmbeddingServer };
  beforeAll(async () => {
    env.embeddings = await startEmbeddingServer();
    env.stack = await startStack({ ...sharedServers(), ...opts });
  });
  afterAll(async () => {
    env.embeddings?.release();
    await env.stack?.close();
    await env.embeddings?.close();
  });
  return env;
}
