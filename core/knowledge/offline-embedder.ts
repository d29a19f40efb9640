/**
 * The offline embedder: feature hashing of words, word pairs and character 3-grams into
 * EMBEDDING_DIMENSIONS buckets. It measures LEXICAL similarity only: shared words and word
 * fragments ("open" ~ "opening", "refund" ~ "refunds"), not meaning ("hours" is not near "open",
 * and synonyms or other languages do not match). It needs no model download and no network, so
 * the knowledge base works out of the box; configure a provider embedder for semantic retrieval.
 *
 * Per text: lower-case, strip accents, take runs of letters/digits as words, drop English stop
 * words (the list PostgreSQL's full-text search drops) and reduce the rest to their Porter stems,
 * so "What are your opening hours?" is about "open" and "hour", not "what", "are" and "your".
 * Features are stem unigrams, adjacent stem bigrams and 3-grams of each stem padded with a space
 * on both sides.
 * Each distinct feature adds weight × (1 + ln count) to one bucket, with a sign from its hash so
 * collisions cancel out on average. The vector is L2-normalized. A text with no words gets the
 * vector of a reserved feature, so it is still unit length and cosine stays defined (it matches
 * other word-less texts and is near-orthogonal to everything else).
 */
import { stemmer } from 'stemmer';
import { ENGLISH_STOP_WORDS } from './stopwords';
import { EMBEDDING_DIMENSIONS, type Embedder } from './types';

const WEIGHTS = { word: 1, bigram: 0.7, trigram: 0.35 } as const;
// Different seeds keep the families apart: the word "the" and the trigram "the" are different features.
const SEEDS = { word: 0x811c9dc5, bigram: 0x050c5d1f, trigram: 0x2f3a5b7d, empty: 0x6b43a9b5 } as const;
const FNV_PRIME = 0x01000193;

function fnv1a(hash: number, text: string, from = 0, to = text.length): number {
  for (let i = from; i < to; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  return hash;
}

/** Murmur3's finalizer: FNV's low bits are weak, and both bucket and sign come from them. */
function mix(hash: number): number {
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}

const WORD = /[\p{L}\p{N}]+/gu;

export function tokenizeForEmbedding(text: string): string[] {
  return text.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '').match(WORD) ?? [];
}

interface FeatureCounts {
  word: Map<number, number>;
  bigram: Map<number, number>;
  trigram: Map<number, number>;
}

function countFeatures(words: string[]): FeatureCounts {
  const counts: FeatureCounts = { word: new Map(), bigram: new Map(), trigram: new Map() };
  const bump = (family: Map<number, number>, key: number) => family.set(key, (family.get(key) ?? 0) + 1);
  for (let i = 0; i < words.length; i++) {
    bump(counts.word, fnv1a(SEEDS.word, words[i]));
    if (i > 0) bump(counts.bigram, fnv1a(fnv1a(SEEDS.bigram, words[i - 1]) ^ 0x20, words[i]));
    const padded = ` ${words[i]} `;
    for (let j = 0; j + 3 <= padded.length; j++) bump(counts.trigram, fnv1a(SEEDS.trigram, padded, j, j + 3));
  }
  return counts;
}

function addFamily(vector: Float64Array, counts: Map<number, number>, weight: number): void {
  for (const [key, count] of counts) {
    const hash = mix(key);
    const sign = hash & 1 ? -1 : 1;
    vector[(hash >>> 1) % EMBEDDING_DIMENSIONS] += sign * weight * (1 + Math.log(count));
  }
}

function unit(vector: Float64Array): number[] | null {
  let norm = 0;
  for (const value of vector) norm += value * value;
  if (norm === 0) return null;
  norm = Math.sqrt(norm);
  return Array.from(vector, (value) => value / norm);
}

/** The vector of word-less text (and of the astronomically rare text whose features all cancel). */
const EMPTY_VECTOR = (() => {
  const vector = new Float64Array(EMBEDDING_DIMENSIONS);
  addFamily(vector, new Map([[SEEDS.empty, 1]]), 1);
  return unit(vector)!;
})();

// Stemming is most of the embedder's work, and a corpus repeats its words: remember them.
const STEM_CACHE_MAX = 50_000;
const stems = new Map<string, string>();

function stem(word: string): string {
  let s = stems.get(word);
  if (s === undefined) {
    if (stems.size >= STEM_CACHE_MAX) stems.clear();
    stems.set(word, (s = stemmer(word)));
  }
  return s;
}

/** Content words; a text made only of stop words ("Who are you?") keeps them, so it still has features. */
function contentWords(words: string[]): string[] {
  const content = words.filter((w) => !ENGLISH_STOP_WORDS.has(w));
  return (content.length > 0 ? content : words).map(stem);
}

export function embedText(text: string): number[] {
  const words = contentWords(tokenizeForEmbedding(text));
  if (words.length === 0) return [...EMPTY_VECTOR];
  const counts = countFeatures(words);
  const vector = new Float64Array(EMBEDDING_DIMENSIONS);
  addFamily(vector, counts.word, WEIGHTS.word);
  addFamily(vector, counts.bigram, WEIGHTS.bigram);
  addFamily(vector, counts.trigram, WEIGHTS.trigram);
  return unit(vector) ?? [...EMPTY_VECTOR];
}

export const offlineEmbedder: Embedder = {
  id: 'offline:hashed-ngrams-v2',
  dimensions: EMBEDDING_DIMENSIONS,
  embed: async (texts) => texts.map(embedText),
};
