/**
 * Embedders behind the one contract of core/knowledge/types.ts: an OpenAI-compatible `/embeddings`
 * endpoint through the `openai` SDK, and a cache in front of any embedder so unchanged chunks are
 * never embedded twice (keyed by embedder id + content hash).
 */
import { contentHash } from '../core/knowledge/chunk';
import { EMBEDDING_DIMENSIONS, type Embedder } from '../core/knowledge/types';
import { openaiClient } from '../llm/openai-client';
import type { AddressPolicy } from '../net/address-policy';

const BATCH = 96;
/** One `/embeddings` request: a stalled provider fails the attempt (and Temporal retries it) instead of holding it. */
export const EMBED_REQUEST_TIMEOUT_MS = 120_000;

export interface EmbeddingProvider {
  baseURL: string;
  apiKey: string;
  model: string;
  policy: AddressPolicy;
}

function normalize(v: number[]): number[] {
  const norm = Math.hypot(...v);
  return norm > 0 ? v.map((x) => x / norm) : v;
}

export const providerEmbedderId = (model: string) => `openai:${model}@${EMBEDDING_DIMENSIONS}`;

/** Vectors from an OpenAI-compatible server, asked for EMBEDDING_DIMENSIONS dimensions. */
export function providerEmbedder(provider: EmbeddingProvider, opts: { signal?: AbortSignal } = {}): Embedder {
  // Temporal owns retries (the calling activity is retried), so the SDK does not retry on its own.
  const client = openaiClient(provider, { timeoutMs: EMBED_REQUEST_TIMEOUT_MS });
  return {
    id: providerEmbedderId(provider.model),
    dimensions: EMBEDDING_DIMENSIONS,
    async embed(texts) {
      const out: number[][] = [];
      for (let i = 0; i < texts.length; i += BATCH) {
        const batch = texts.slice(i, i + BATCH);
        const res = await client.embeddings.create(
          { model: provider.model, input: batch, dimensions: EMBEDDING_DIMENSIONS, encoding_format: 'float' },
          { signal: opts.signal },
        );
        const byIndex = [...res.data].sort((a, b) => a.index - b.index);
        if (byIndex.length !== batch.length) throw new Error(`embedding provider returned ${byIndex.length} vectors for ${batch.length} texts`);
        for (const d of byIndex) {
          if (d.embedding.length !== EMBEDDING_DIMENSIONS) {
            throw new Error(`embedding model ${provider.model} returned ${d.embedding.length} dimensions, ${EMBEDDING_DIMENSIONS} are required`);
          }
          out.push(normalize(d.embedding));
        }
      }
      return out;
    },
  };
}

export interface EmbeddingCacheStore {
  /** Vectors already stored for these hashes (missing ones are absent from the map). */
  lookup(embedderId: string, hashes: string[]): Promise<Map<string, number[]>>;
  store(embedderId: string, entries: { contentHash: string; embedding: number[] }[]): Promise<void>;
}

/** Embeds only texts the cache has not seen with this embedder; `onMiss` counts real embeddings. */
export function cachedEmbedder(inner: Embedder, cache: EmbeddingCacheStore, onMiss?: (count: number) => void): Embedder {
  return {
    id: inner.id,
    dimensions: inner.dimensions,
    async embed(texts) {
      const hashes = texts.map(contentHash);
      const known = await cache.lookup(inner.id, [...new Set(hashes)]);
      const missing = [...new Set(hashes.filter((h) => !known.has(h)))];
      if (missing.length) {
        const firstText = new Map(hashes.map((h, i) => [h, texts[i]] as const).reverse());
        const vectors = await inner.embed(missing.map((h) => firstText.get(h)!));
        const entries = missing.map((contentHash, i) => ({ contentHash, embedding: vectors[i] }));
        await cache.store(inner.id, entries);
        for (const e of entries) known.set(e.contentHash, e.embedding);
        onMiss?.(missing.length);
      }
      return hashes.map((h) => known.get(h)!);
    },
  };
}
