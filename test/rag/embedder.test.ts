/** The provider embedder against the fake OpenAI-compatible server, and the cache in front of it. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMBEDDING_DIMENSIONS } from '../../core/knowledge/types';
import { cachedEmbedder, providerEmbedder, type EmbeddingCacheStore } from '../../knowledge/embedder';
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

const embeddingRequests = () => fake.requests.filter((r) => r.path === '/v1/embeddings');

describe('providerEmbedder', () => {
  it('asks for the contract dimensions, batches, keeps order and returns unit vectors', async () => {
    const embedder = providerEmbedder({ baseURL: `${fake.url}/v1`, apiKey: 'sk-emb', model: 'text-embedding-3-small', policy: fakes });
    expect(embedder.id).toBe(`openai:text-embedding-3-small@${EMBEDDING_DIMENSIONS}`);
    const texts = Array.from({ length: 130 }, (_, i) => `chunk number ${i}`);
    const before = embeddingRequests().length;
    const vectors = await embedder.embed(texts);
    const sent = embeddingRequests().slice(before);
    expect(sent.map((r) => r.body.input.length)).toEqual([96, 34]);
    expect(sent[0].body).toMatchObject({ model: 'text-embedding-3-small', dimensions: EMBEDDING_DIMENSIONS });
    expect(sent[0].headers.authorization).toBe('Bearer sk-emb');
    expect(vectors).toHaveLength(130);
    for (const v of vectors) {
      expect(v).toHaveLength(EMBEDDING_DIMENSIONS);
      expect(Math.hypot(...v)).toBeCloseTo(1, 6);
    }
    // Same text, same vector; order preserved.
    const [again] = await embedder.embed(['chunk number 7']);
    expect(again).toEqual(vectors[7]);
  });

  it('refuses a model that answers with another dimension', async () => {
    // A server that ignores the requested dimensions, as some OpenAI-compatible servers do.
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', model: 'm', data: [{ object: 'embedding', index: 0, embedding: [0.6, 0.8, 0] }], usage: { prompt_tokens: 1, total_tokens: 1 } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const embedder = providerEmbedder({ baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, apiKey: 'k', model: 'small-model', policy: fakes });
      await expect(embedder.embed(['x'])).rejects.toThrow(`small-model returned 3 dimensions, ${EMBEDDING_DIMENSIONS} are required`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('cachedEmbedder', () => {
  it('embeds each distinct text once per embedder and serves repeats from the cache', async () => {
    const stored = new Map<string, number[]>();
    const cache: EmbeddingCacheStore = {
      async lookup(id, hashes) {
        return new Map(hashes.filter((h) => stored.has(`${id}:${h}`)).map((h) => [h, stored.get(`${id}:${h}`)!]));
      },
      async store(id, entries) {
        for (const e of entries) stored.set(`${id}:${e.contentHash}`, e.embedding);
      },
    };
    let misses = 0;
    const inner = providerEmbedder({ baseURL: `${fake.url}/v1`, apiKey: 'k', model: 'm', policy: fakes });
    const embedder = cachedEmbedder(inner, cache, (n) => (misses += n));
    const before = embeddingRequests().length;
    const first = await embedder.embed(['a', 'b', 'a']);
    expect(misses).toBe(2);
    expect(first[0]).toEqual(first[2]);
    const second = await embedder.embed(['b', 'c']);
    expect(misses).toBe(3);
    expect(second[0]).toEqual(first[1]);
    expect(embeddingRequests().length - before).toBe(2);
    expect(embeddingRequests().at(-1)!.body.input).toEqual(['c']);
  });
});
