/**
 * Choosing the offline embedding model in the settings API, against the real API, worker and
 * PostgreSQL: the view proposes it where it is installed, choosing it reindexes every document with
 * it (its id on every chunk) and semantic questions then match by vector; where it is not
 * installed, the hashed embedder stays and choosing the model is a 400 naming the field.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offlineEmbedder } from '../../core/knowledge/offline-embedder';
import { Chunk, Tenant } from '../../db/entities';
import { systemEm, tenantEm } from '../../db/orm';
import { LOCAL_MODEL, localModelInstalled } from '../../knowledge/embedders/local-model';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { waitUntil } from '../support/wait';
import { signedIn } from './support';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack(sharedServers());
});

afterAll(async () => {
  await stack?.close();
});

describe.skipIf(!localModelInstalled())('the offline embedding model in the settings', () => {
  it('is proposed, chosen, reindexes with its id on every chunk, answers the connection test and matches by meaning', async () => {
    const { apiKey, tenantId } = await stack.createTenant();
    const admin = await signedIn(stack, apiKey, 'admin');
    const view = (await admin.request('GET', '/v1/settings/embeddings')).body;
    expect(view).toMatchObject({ configured: false, embedderId: offlineEmbedder.id, recommended: 'local', localModel: { id: LOCAL_MODEL.id, installed: true, licence: 'Apache-2.0', dimensions: 384 } });

    const kb = (await admin.request('POST', '/v1/knowledge-bases', { body: { name: 'Front desk' } })).body.id as string;
    const doc = (await admin.request('POST', `/v1/knowledge-bases/${kb}/documents`, { body: { name: 'Pets', text: 'Animals are welcome inside provided they stay on a leash.' } })).body.id as string;
    const indexed = (version: number) => async () => (await admin.request('GET', `/v1/documents/${doc}`)).body.activeVersion === version;
    await waitUntil(indexed(1), 60_000, 'the document indexed');

    const put = await admin.request('PUT', '/v1/settings/embeddings/local');
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ configured: true, kind: 'local', apiKeySet: false, embedderId: LOCAL_MODEL.id, reindexing: 1 });
    expect((await systemEm(stack.orm).findOneOrFail(Tenant, { id: tenantId })).settings.embeddings).toEqual({ kind: 'local' });
    await waitUntil(indexed(2), 60_000, 'the document reindexed with the model');
    const chunks = await tenantEm(stack.orm, tenantId).find(Chunk, { document: doc, version: 2 });
    expect(new Set(chunks.map((c) => c.embedderId))).toEqual(new Set([LOCAL_MODEL.id]));

    // Choosing it again changes nothing.
    expect((await admin.request('PUT', '/v1/settings/embeddings/local')).body.reindexing).toBe(0);
    const test = await admin.request('POST', '/v1/settings/embeddings/test');
    expect(test.body).toMatchObject({ ok: true, detail: `${LOCAL_MODEL.model} returned a 384-dimension vector` });

    // No word in common with the document: found by its vector once queries use the model (the tenant cache turns over in 5 s).
    await waitUntil(async () => {
      const hits = (await admin.request('POST', `/v1/knowledge-bases/${kb}/search`, { body: { query: 'Can I bring my dog?', topK: 3 } })).body.hits as { vectorRank: number | null }[];
      return hits.some((h) => h.vectorRank !== null);
    }, 20_000, 'a vector match for a paraphrase');

    const removed = await admin.request('DELETE', '/v1/settings/embeddings');
    expect(removed.body).toMatchObject({ configured: false, embedderId: offlineEmbedder.id, reindexing: 1 });
  }, 120_000);
});

describe('without the model files', () => {
  it('keeps the hashed embedder, proposes an endpoint and refuses the model with 400 naming the field', async () => {
    const { apiKey } = await stack.createTenant();
    const saved = process.env.MODELS_DIR;
    process.env.MODELS_DIR = mkdtempSync(join(tmpdir(), 'no-models-'));
    try {
      const view = (await stack.request('GET', '/v1/settings/embeddings', { apiKey })).body;
      expect(view).toMatchObject({ configured: false, embedderId: offlineEmbedder.id, fallbackEmbedderId: offlineEmbedder.id, recommended: 'endpoint', localModel: { installed: false } });
      const put = await stack.request('PUT', '/v1/settings/embeddings/local', { apiKey });
      expect(put.status).toBe(400);
      expect(put.body.error).toMatchObject({ field: 'kind' });
      expect(put.body.error.message).toContain('scripts/models.sh');
    } finally {
      if (saved === undefined) delete process.env.MODELS_DIR;
      else process.env.MODELS_DIR = saved;
    }
  });
});
