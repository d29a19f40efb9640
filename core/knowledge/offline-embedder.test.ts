import { describe, expect, it } from 'vitest';
import { embedText, offlineEmbedder, tokenizeForEmbedding } from './offline-embedder';
import { EMBEDDING_DIMENSIONS } from './types';

const cosine = (a: number[], b: number[]) => a.reduce((sum, value, i) => sum + value * b[i], 0);
const norm = (v: number[]) => Math.sqrt(cosine(v, v));

describe('offlineEmbedder', () => {
  it('names itself and honours the dimension contract', async () => {
    expect(offlineEmbedder.id).toBe('offline:hashed-ngrams-v2');
    expect(offlineEmbedder.dimensions).toBe(EMBEDDING_DIMENSIONS);
    const vectors = await offlineEmbedder.embed(['one text', 'another text', '']);
    expect(vectors).toHaveLength(3);
    for (const vector of vectors) {
      expect(vector).toHaveLength(384);
      expect(norm(vector)).toBeCloseTo(1, 10);
    }
  });

  it('is deterministic', async () => {
    const [a] = await offlineEmbedder.embed(['Opening hours on Monday']);
    const [b] = await offlineEmbedder.embed(['Opening hours on Monday']);
    expect(a).toEqual(b);
  });

  it('puts lexically similar texts closer than unrelated ones', async () => {
    const [hours, open, refund] = await offlineEmbedder.embed([
      'opening hours on monday',
      'when are you open monday',
      'refund policy for damaged goods',
    ]);
    expect(cosine(hours, open)).toBeGreaterThan(cosine(hours, refund) + 0.2);
    expect(cosine(hours, open)).toBeGreaterThan(cosine(open, refund) + 0.2);
  });

  it('ignores case and accents', () => {
    expect(tokenizeForEmbedding('Café RÉSUMÉ, naïve!')).toEqual(['cafe', 'resume', 'naive']);
    expect(embedText('Café résumé')).toEqual(embedText('cafe RESUME'));
  });

  it('gives word-less text a fixed unit vector rather than zeros', () => {
    const empty = embedText('');
    expect(norm(empty)).toBeCloseTo(1, 10);
    expect(embedText(' … !! ')).toEqual(empty);
    expect(Math.abs(cosine(empty, embedText('opening hours')))).toBeLessThan(0.5);
  });
});
