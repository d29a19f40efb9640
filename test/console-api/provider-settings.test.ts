/**
 * The embedding and reranker settings (admin API) against the real API, worker, PostgreSQL and
 * the fake OpenAI-compatible server: keys stored encrypted and never returned, connection tests,
 * field errors, roles, and a change of embedder reindexing every document without ever comparing
 * vectors of two embedders.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offlineEmbedder } from '../../core/knowledge/offline-embedder';
import { LOCAL_MODEL, localModelInstalled } from '../../knowledge/embedders/local-model';
import { Chunk, Tenant } from '../../db/entities';
import { systemEm, tenantEm } from '../../db/orm';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { waitUntil } from '../support/wait';
import { signedIn } from './support';

let stack: Stack;
let fake: FakeOpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  stack = await startStack(sharedServers());
});

afterAll(async () => {
  await stack?.close();
  await fake?.close();
});

const storedSettings = async (tenantId: string) => JSON.stringify((await systemEm(stack.orm).findOneOrFail(Tenant, { id: tenantId })).settings);
const unreachable = 'http://127.0.0.1:9/v1';
/** What every embeddings view adds: the fallback and the offline model (knowledge/embedders/local-model.test.ts covers choosing it). */
const offline = () => {
  const { folder: _folder, ...model } = LOCAL_MODEL;
  const installed = localModelInstalled();
  return { fallbackEmbedderId: offlineEmbedder.id, localModel: { ...model, installed }, recommended: installed ? 'local' : 'endpoint' };
};

describe('embedding settings', () => {
  it('stores the key encrypted, never returns it, keeps it when omitted, and tests the endpoint', async () => {
    const { apiKey, tenantId } = await stack.createTenant();
    const admin = await signedIn(stack, apiKey, 'admin');
    expect((await admin.request('GET', '/v1/settings/embeddings')).body).toEqual({ configured: false, apiKeySet: false, embedderId: offlineEmbedder.id, ...offline() });

    const put = await admin.request('PUT', '/v1/settings/embeddings', { body: { baseURL: `${fake.url}/v1`, model: 'embed-a', apiKey: 'ek-secret-123' } });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ configured: true, kind: 'endpoint', baseURL: `${fake.url}/v1`, model: 'embed-a', apiKeySet: true, embedderId: 'openai:embed-a@384', reindexing: 0, ...offline() });
    expect(await storedSettings(tenantId)).not.toContain('ek-secret-123');
    const got = await admin.request('GET', '/v1/settings/embeddings');
    expect(got.body).toEqual({ configured: true, kind: 'endpoint', baseURL: `${fake.url}/v1`, model: 'embed-a', apiKeySet: true, embedderId: 'openai:embed-a@384', ...offline() });

    // Omitted key: kept, and the test call reaches the provider with it.
    expect((await admin.request('PUT', '/v1/settings/embeddings', { body: { baseURL: `${fake.url}/v1`, model: 'embed-b' } })).body.apiKeySet).toBe(true);
    const test = await admin.request('POST', '/v1/settings/embeddings/test');
    expect(test.status).toBe(200);
    expect(test.body).toMatchObject({ ok: true, detail: 'embed-b returned a 384-dimension vector' });
    expect(test.body.latencyMs).toBeGreaterThanOrEqual(0);
    const sent = fake.requests.filter((r) => r.path === '/v1/embeddings').at(-1)!;
    expect(sent.headers.authorization).toBe('Bearer ek-secret-123');
    expect(sent.body).toMatchObject({ model: 'embed-b', dimensions: 384 });
    expect(JSON.stringify(test.body)).not.toContain('ek-secret');

    const failed = await admin.request('POST', '/v1/settings/embeddings/test', { body: { baseURL: unreachable, apiKey: '' } });
    expect(failed.status).toBe(200);
    expect(failed.body.ok).toBe(false);
    expect(failed.body.detail).toMatch(/could not reach http:\/\/127\.0\.0\.1:9\/v1/);
    expect(failed.body.detail).not.toContain('ek-secret');

    const removed = await admin.request('DELETE', '/v1/settings/embeddings');
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ configured: false, apiKeySet: false, embedderId: offlineEmbedder.id, reindexing: 0, ...offline() });
    expect(await storedSettings(tenantId)).not.toContain('embeddings');
  });

  it('refuses bad input with 400 naming the field', async () => {
    const { apiKey } = await stack.createTenant();
    const put = (body: unknown) => stack.request('PUT', '/v1/settings/embeddings', { apiKey, body });
    const cases: [unknown, string][] = [
      [{ baseURL: 'not a url', model: 'm', apiKey: '' }, 'baseURL'],
      [{ baseURL: 'ftp://example.test/v1', model: 'm', apiKey: '' }, 'baseURL'],
      [{ baseURL: `${fake.url}/v1`, model: '  ', apiKey: '' }, 'model'],
      [{ baseURL: `${fake.url}/v1`, model: 'm', apiKey: 42 }, 'apiKey'],
      // A first endpoint must say whether it has a key.
      [{ baseURL: `${fake.url}/v1`, model: 'm' }, 'apiKey'],
    ];
    for (const [body, field] of cases) {
      const res = await put(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.field).toBe(field);
    }
    const noEndpoint = await stack.request('POST', '/v1/settings/embeddings/test', { apiKey, body: {} });
    expect(noEndpoint.status).toBe(400);
    expect(noEndpoint.body.error.field).toBe('baseURL');
  });
});

describe('reranker settings', () => {
  it('stores either kind without returning the key and tests it through the reranking client', async () => {
    const { apiKey, tenantId } = await stack.createTenant();
    const admin = await signedIn(stack, apiKey, 'admin');
    expect((await admin.request('GET', '/v1/settings/reranker')).body).toEqual({ configured: false, apiKeySet: false });

    const put = await admin.request('PUT', '/v1/settings/reranker', { body: { kind: 'rerank-api', baseURL: `${fake.url}/v1`, model: 'rerank-x', apiKey: 'rk-secret-456' } });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ configured: true, kind: 'rerank-api', baseURL: `${fake.url}/v1`, model: 'rerank-x', apiKeySet: true });
    expect(await storedSettings(tenantId)).not.toContain('rk-secret-456');
    expect(JSON.stringify((await admin.request('GET', '/v1/settings/reranker')).body)).not.toContain('rk-');

    const test = await admin.request('POST', '/v1/settings/reranker/test');
    expect(test.body).toMatchObject({ ok: true });
    expect(test.body.detail).toMatch(/^rerank-x \(rerank-api\) scored a test passage/);
    const sent = fake.requests.filter((r) => r.path === '/v1/rerank').at(-1)!;
    expect(sent.headers.authorization).toBe('Bearer rk-secret-456');
    expect(sent.body).toMatchObject({ model: 'rerank-x', documents: [expect.any(String)] });

    // A chat model as reranker, key kept: it must answer one score per passage.
    const llm = await admin.request('PUT', '/v1/settings/reranker', { body: { kind: 'llm', baseURL: `${fake.url}/v1`, model: 'judge' } });
    expect(llm.body).toMatchObject({ kind: 'llm', apiKeySet: true });
    fake.enqueue({ content: '{"scores": [7]}' });
    expect((await admin.request('POST', '/v1/settings/reranker/test')).body).toMatchObject({ ok: true, detail: 'judge (llm) scored a test passage 7' });
    expect(fake.chatRequests.at(-1)!.headers.authorization).toBe('Bearer rk-secret-456');
    fake.enqueue({ content: 'I would rather not' });
    const nonsense = await admin.request('POST', '/v1/settings/reranker/test');
    expect(nonsense.body.ok).toBe(false);
    // An unsaved form is tested as sent (another baseURL must bring its own key).
    const failed = await admin.request('POST', '/v1/settings/reranker/test', { body: { kind: 'rerank-api', baseURL: unreachable, model: 'x', apiKey: '' } });
    expect(failed.body.ok).toBe(false);
    expect(failed.body.detail).toMatch(/could not reach/);

    const badKind = await admin.request('PUT', '/v1/settings/reranker', { body: { kind: 'cross-encoder', baseURL: `${fake.url}/v1`, model: 'm', apiKey: '' } });
    expect(badKind.status).toBe(400);
    expect(badKind.body.error.field).toBe('kind');

    expect((await admin.request('DELETE', '/v1/settings/reranker')).status).toBe(204);
    expect((await admin.request('GET', '/v1/settings/reranker')).body.configured).toBe(false);
  });
});

describe('OpenAPI', () => {
  it('documents the routes with their schemas', async () => {
    const doc = (await stack.request('GET', '/docs/json')).body;
    for (const key of ['embeddings', 'reranker']) {
      expect(Object.keys(doc.paths[`/v1/settings/${key}`])).toEqual(expect.arrayContaining(['get', 'put', 'delete']));
      expect(doc.paths[`/v1/settings/${key}/test`].post).toBeDefined();
    }
    const body = doc.paths['/v1/settings/reranker'].put.requestBody.content['application/json'].schema;
    expect(body.properties.kind.enum).toEqual(['rerank-api', 'llm']);
    expect(JSON.stringify(doc.paths['/v1/settings/embeddings'].put.responses['200'])).toContain('reindexing');
  });
});

describe('roles', () => {
  it('lets only admins read, change or test the provider settings', async () => {
    const { apiKey } = await stack.createTenant();
    const builder = await signedIn(stack, apiKey, 'builder');
    const viewer = await signedIn(stack, apiKey, 'viewer');
    const body = { baseURL: `${fake.url}/v1`, model: 'm', apiKey: 'k' };
    for (const path of ['/v1/settings/embeddings', '/v1/settings/reranker']) {
      for (const c of [builder, viewer]) {
        expect((await c.request('GET', path)).status).toBe(403);
        expect((await c.request('PUT', path, { body: { ...body, kind: 'rerank-api' } })).status).toBe(403);
        expect((await c.request('DELETE', path)).status).toBe(403);
        expect((await c.request('POST', `${path}/test`, { body: {} })).status).toBe(403);
      }
    }
    const forbidden = await builder.request('GET', '/v1/settings/embeddings');
    expect(forbidden.body.error).toMatchObject({ code: 'forbidden', field: 'role' });
  });
});

describe('changing the embedder', () => {
  const HOURS = 'Opening hours: Monday to Friday from nine to six, Saturdays from ten to four.';
  const PARKING = 'Parking: visitors use the underground garage; the front desk validates tickets.';
  const QUERY = 'opening hours on saturdays';

  it('reindexes every document; until then the vector side matches nothing, afterwards the new vectors', async () => {
    const { apiKey, tenantId } = await stack.createTenant();
    const kb = (await stack.request('POST', '/v1/knowledge-bases', { apiKey, body: { name: 'Front desk' } })).body.id as string;
    const ids: string[] = [];
    for (const [name, text] of [['Hours', HOURS], ['Parking', PARKING]]) {
      ids.push((await stack.request('POST', `/v1/knowledge-bases/${kb}/documents`, { apiKey, body: { name, text } })).body.id);
    }
    const documents = async () => Promise.all(ids.map(async (id) => (await stack.request('GET', `/v1/documents/${id}`, { apiKey })).body));
    const settled = (version: number) => async () => (await documents()).every((d) => d.status === 'ready' && d.activeVersion === version);
    await waitUntil(settled(1), 60_000, 'both documents indexed');
    const search = async () => (await stack.request('POST', `/v1/knowledge-bases/${kb}/search`, { apiKey, body: { query: QUERY, topK: 5 } })).body.hits as { vectorRank: number | null; textRank: number | null }[];
    const embedders = async () => new Set((await tenantEm(stack.orm, tenantId).find(Chunk, { document: { $in: ids } })).map((c) => c.embedderId));
    expect((await search()).some((h) => h.vectorRank !== null)).toBe(true);
    expect(await embedders()).toEqual(new Set([offlineEmbedder.id]));

    // The new embedder's ingestion is held, so the old chunks stay the active ones for a while.
    const release = fake.holdEmbeddings((texts) => texts.some((t) => t.includes(HOURS) || t.includes(PARKING)));
    try {
      const put = await stack.request('PUT', '/v1/settings/embeddings', { apiKey, body: { baseURL: `${fake.url}/v1`, model: 'embed-switch', apiKey: '' } });
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({ embedderId: 'openai:embed-switch@384', reindexing: 2 });
      // Queries are embedded by the new model once the tenant cache turns over (5 s): then
      // old chunks are found by their words only, never compared with the new model's vector.
      await waitUntil(async () => {
        const hits = await search();
        return hits.length > 0 && hits.every((h) => h.vectorRank === null && h.textRank !== null);
      }, 20_000, 'the vector side to stop matching old chunks');
      expect((await documents()).map((d) => d.activeVersion)).toEqual([1, 1]);
    } finally {
      release();
    }
    await waitUntil(settled(2), 60_000, 'both documents reindexed');
    expect(await embedders()).toEqual(new Set(['openai:embed-switch@384']));
    expect((await search()).some((h) => h.vectorRank !== null)).toBe(true);

    // Same model elsewhere (a key or host change) is the same embedder: nothing to reindex.
    const same = await stack.request('PUT', '/v1/settings/embeddings', { apiKey, body: { baseURL: `${fake.url}/v1/`, model: 'embed-switch', apiKey: 'other' } });
    expect(same.body.reindexing).toBe(0);
    // Back to the offline embedder: everything again.
    expect((await stack.request('DELETE', '/v1/settings/embeddings', { apiKey })).body).toMatchObject({ embedderId: offlineEmbedder.id, reindexing: 2 });
    await waitUntil(settled(3), 60_000, 'both documents indexed offline again');
    expect(await embedders()).toEqual(new Set([offlineEmbedder.id]));
  }, 120_000);
});
