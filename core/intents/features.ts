/**
 * Text features for the offline intent classifier: word unigrams and bigrams plus character
 * n-grams (2–4) inside word boundaries, weighted by sublinear TF-IDF and L2-normalised. The
 * character grams carry typos, plurals and inflections ("cards", "card's", "crd") that whole words
 * miss; the bigrams carry the order words alone lose ("card arrival" vs "arrival card").
 */

/** A sparse vector: feature indexes and their weights, same length. */
export interface SparseVector {
  idx: Uint32Array;
  val: Float32Array;
}

const WORD = /[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu;

export const tokenize = (text: string): string[] => text.normalize('NFKC').toLowerCase().match(WORD) ?? [];

/** Every feature string of a text, with its count. */
export function rawFeatures(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (f: string) => counts.set(f, (counts.get(f) ?? 0) + 1);
  const words = tokenize(text);
  for (let i = 0; i < words.length; i++) {
    add(`w:${words[i]}`);
    if (i > 0) add(`b:${words[i - 1]} ${words[i]}`);
    const padded = ` ${words[i]} `;
    for (let n = 2; n <= 4; n++) for (let s = 0; s + n <= padded.length; s++) add(`c:${padded.slice(s, s + n)}`);
  }
  return counts;
}

export interface Vectorizer {
  /** Number of features (the model's input width). */
  size: number;
  transform(text: string): SparseVector;
}

/** Learns the vocabulary and IDF from training texts; features seen in fewer than `minDf` texts are dropped. */
export function fitTfidf(texts: string[], opts: { minDf?: number } = {}): { vectorizer: Vectorizer; vectors: SparseVector[] } {
  const minDf = opts.minDf ?? (texts.length >= 2000 ? 2 : 1);
  const raws = texts.map(rawFeatures);
  const df = new Map<string, number>();
  for (const raw of raws) for (const f of raw.keys()) df.set(f, (df.get(f) ?? 0) + 1);
  const index = new Map<string, number>();
  const idf: number[] = [];
  for (const [f, n] of df) {
    if (n < minDf) continue;
    index.set(f, idf.length);
    idf.push(Math.log((1 + texts.length) / (1 + n)) + 1);
  }
  const vectorize = (raw: Map<string, number>): SparseVector => {
    const idx: number[] = [];
    const val: number[] = [];
    let norm = 0;
    for (const [f, count] of raw) {
      const i = index.get(f);
      if (i === undefined) continue;
      const w = (1 + Math.log(count)) * idf[i]!;
      idx.push(i);
      val.push(w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    return { idx: Uint32Array.from(idx), val: Float32Array.from(val, (v) => v / norm) };
  };
  const vectorizer: Vectorizer = { size: idf.length, transform: (text) => vectorize(rawFeatures(text)) };
  return { vectorizer, vectors: raws.map(vectorize) };
}
