/** The reranking step against the fake provider: the `/rerank` API, a chat model, and failures. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchHit } from '../../core/knowledge/types';
import { createReranker, rerankHits } from '../../knowledge/rerank';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server';

/** The fake providers listen on loopback: allow-listed as an operator would a local server. */
const fakes = { allowedPrivate: ['127.0.0.1'] };

let fake: FakeOpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(async () => {
  await fake?.close();
});

const hit = (text: string, i: number): SearchHit => ({
  chunkId: `c${i}`,
  documentId: `d${i}`,
  documentName: `doc ${i}`,
  section: null,
  page: null,
  text,
  score: 1 / (60 + i),
  vectorRank: i,
  textRank: i,
});

// Fused order: the passage that answers the question comes last.
const fused = [
  hit('Parking is free for guests.', 1),
  hit('The spa opens at nine.', 2),
  hit('Late check-out until two in the afternoon costs 20 euros.', 3),
];
const query = 'how late is late check-out';

describe('rerank-api provider', () => {
  it('orders by relevance_score, keeps topK and sends the shared /rerank request shape', async () => {
    const reranker = createReranker({ kind: 'rerank-api', baseURL: `${fake.url}/v1`, apiKey: 'rk-1', model: 'rerank-english-v3.0', policy: fakes });
    const errors: unknown[] = [];
    const hits = await rerankHits(reranker, query, fused, 2, (e) => errors.push(e));
    expect(errors).toEqual([]);
    expect(hits.map((h) => h.chunkId)).toEqual(['c3', 'c1']);
    expect(hits[0].rerankScore).toBe(3); // "late", "check", "out"
    const sent = fake.requests.filter((r) => r.path === '/v1/rerank').at(-1)!;
    expect(sent.headers.authorization).toBe('Bearer rk-1');
    expect(sent.body).toEqual({ model: 'rerank-english-v3.0', query, documents: fused.map((h) => h.text), top_n: 3 });
  });

  it('keeps the fused order and reports when the endpoint fails', async () => {
    const reranker = createReranker({ kind: 'rerank-api', baseURL: `${fake.url}/missing`, apiKey: '', model: 'm', policy: fakes });
    const errors: unknown[] = [];
    const hits = await rerankHits(reranker, query, fused, 2, (e) => errors.push(e));
    expect(hits.map((h) => h.chunkId)).toEqual(['c1', 'c2']);
    expect(hits[0].rerankScore).toBeUndefined();
    expect(String(errors[0])).toMatch(/HTTP 404/);
  });
});

describe('llm provider', () => {
  it('asks the chat model for one score per passage and orders by them', async () => {
    fake.enqueue({ content: '{"scores": [1, 0, 9]}' });
    const reranker = createReranker({ kind: 'llm', baseURL: `${fake.url}/v1`, apiKey: 'sk-1', model: 'fake-gpt', policy: fakes });
    const hits = await rerankHits(reranker, query, fused, 3, () => {});
    expect(hits.map((h) => h.chunkId)).toEqual(['c3', 'c1', 'c2']);
    const sent = fake.requests.filter((r) => r.path === '/v1/chat/completions').at(-1)!;
    expect(sent.body.response_format).toEqual({ type: 'json_object' });
    expect(sent.body.messages[1].content).toContain('[2] Late check-out until two');
  });

  it('keeps the fused order when the model does not give one score per passage', async () => {
    fake.enqueue({ content: '{"scores": [3, 1]}' });
    const reranker = createReranker({ kind: 'llm', baseURL: `${fake.url}/v1`, apiKey: 'sk-1', model: 'fake-gpt', policy: fakes });
    const errors: unknown[] = [];
    const hits = await rerankHits(reranker, query, fused, 3, (e) => errors.push(e));
    expect(hits.map((h) => h.chunkId)).toEqual(['c1', 'c2', 'c3']);
    expect(String(errors[0])).toMatch(/not one score per passage/);
  });
});
