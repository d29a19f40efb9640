/** The optional reranking step through the search API, with a tenant reranker on the fake provider. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tenant } from '../../db/entities';
import { systemEm } from '../../db/orm';
import { secretBoxFromConfig } from '../../db/secrets';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server';
import { sharedServers } from '../support/shared-servers';
import { startStack, type Stack } from '../support/stack';
import { waitUntil } from '../support/wait';

let stack: Stack;
let fake: FakeOpenAI;
let apiKey: string;
let kbId: string;

const HOURS = 'We are open Monday to Friday from nine to six, and on Saturdays from ten to four.';
const PARKING = 'Visitors park in the underground garage. The front desk validates parking tickets.';

beforeAll(async () => {
  // This reranker believes every question is about parking: its order is unmistakable.
  fake = await startFakeOpenAI({ rerankScore: (_query, document) => (document.includes('garage') ? 10 : 1) });
  stack = await startStack(sharedServers());
  const tenant = await stack.createTenant();
  apiKey = tenant.apiKey;
  const em = systemEm(stack.orm);
  const row = await em.findOneOrFail(Tenant, { id: tenant.tenantId });
  row.settings = {
    ...row.settings,
    reranker: { kind: 'rerank-api', baseURL: `${fake.url}/v1`, model: 'rerank-test', apiKeyEncrypted: secretBoxFromConfig(stack.config).encrypt('rk-secret') },
  };
  await em.flush();

  kbId = (await stack.request('POST', '/v1/knowledge-bases', { apiKey, body: { name: 'Front desk' } })).body.id;
  for (const [name, text] of [['Hours', HOURS], ['Parking', PARKING]]) {
    const doc = await stack.request('POST', `/v1/knowledge-bases/${kbId}/documents`, { apiKey, body: { name, text } });
    await waitUntil(async () => (await stack.request('GET', `/v1/documents/${doc.body.id}`, { apiKey })).body.status === 'ready', 60_000, `${name} ready`);
  }
});

afterAll(async () => {
  await stack?.close();
  await fake?.close();
});

const search = (body: unknown) => stack.request('POST', `/v1/knowledge-bases/${kbId}/search`, { apiKey, body });

describe('reranking', () => {
  it('is off unless asked: the fused order stands and no rerank score is given', async () => {
    const res = await search({ query: 'When are you open on Saturdays?' });
    expect(res.body.hits[0].document.name).toBe('Hours');
    expect(res.body.hits[0].rerankScore).toBeUndefined();
  });

  it('reorders the fused candidates by the reranker and keeps topK', async () => {
    const before = fake.requests.filter((r) => r.path === '/v1/rerank').length;
    const res = await search({ query: 'When are you open on Saturdays?', rerank: true, topK: 1 });
    expect(res.status).toBe(200);
    expect(res.body.hits).toHaveLength(1);
    expect(res.body.hits[0]).toMatchObject({ document: { name: 'Parking' }, rerankScore: 10 });
    const sent = fake.requests.filter((r) => r.path === '/v1/rerank').slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0].headers.authorization).toBe('Bearer rk-secret');
    expect(sent[0].body.documents).toHaveLength(2);
  });

  it('is stored per knowledge base', async () => {
    const patched = await stack.request('PATCH', `/v1/knowledge-bases/${kbId}`, { apiKey, body: { retrieval: { rerank: true, rerankCandidates: 10 } } });
    expect(patched.status).toBe(200);
    expect(patched.body.retrieval).toMatchObject({ rerank: true, rerankCandidates: 10 });
    const res = await search({ query: 'When are you open on Saturdays?' });
    expect(res.body.hits[0].document.name).toBe('Parking');
  });
});
