/**
 * The intent classifiers measured against the chosen one (core/intents/classifier.ts) and not
 * kept: nearest centroid over the same TF-IDF features, and nearest centroid / kNN over the
 * offline sentence-embedding model. Confidences are a softmax over cosine similarities.
 */
import type { IntentModel, LabelledExample } from '../core/intents/classifier';
import { fitTfidf, type SparseVector } from '../core/intents/features';
import type { Embedder } from '../core/knowledge/types';

const TEMPERATURE = 0.05;

function ranked(intents: string[], similarities: number[], top: number) {
  const max = Math.max(...similarities);
  const exp = similarities.map((s) => Math.exp((s - max) / TEMPERATURE));
  const sum = exp.reduce((a, b) => a + b, 0);
  return intents
    .map((intent, c) => ({ intent, confidence: exp[c]! / sum }))
    .sort((a, b) => b.confidence - a.confidence)
    .slice(0, top);
}

const normalize = (v: Float64Array) => {
  const n = Math.hypot(...v) || 1;
  return v.map((x) => x / n);
};

export function centroidModel(examples: LabelledExample[]): IntentModel {
  const intents = [...new Set(examples.map((e) => e.intent))].sort();
  const classOf = new Map(intents.map((n, i) => [n, i]));
  const { vectorizer, vectors } = fitTfidf(examples.map((e) => e.text));
  const centroids = intents.map(() => new Float64Array(vectorizer.size));
  vectors.forEach((v, i) => v.idx.forEach((f, j) => (centroids[classOf.get(examples[i]!.intent)!]![f]! += v.val[j]!)));
  const unit = centroids.map(normalize);
  const dot = (x: SparseVector, c: Float64Array) => x.idx.reduce((s, f, j) => s + x.val[j]! * c[f]!, 0);
  return {
    intents,
    classify(text, top = 3) {
      const x = vectorizer.transform(text);
      return ranked(intents, unit.map((c) => dot(x, c)), top);
    },
  };
}

/**
 * Embedding classifiers embed every test utterance before classifying (the model is async), so
 * their classify latency is the embedding's time per utterance measured in bulk.
 */
export function embeddingModels(embedder: Embedder, sample: number) {
  const cosine = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);
  // One cache for both candidates: each training set is embedded once.
  const cached = new Map<string, number[]>();
  async function embedAll(examples: LabelledExample[]) {
    const missing = [...new Set(examples.map((e) => e.text).filter((t) => !cached.has(t)))];
    const vectors = await embedder.embed(missing);
    missing.forEach((t, i) => cached.set(t, vectors[i]!));
    return examples.map((e) => cached.get(e.text)!);
  }
  const embedOne = (text: string) => cached.get(text) ?? [];
  /** Embeds the test utterances the bench will ask about, ahead of the synchronous classify calls. */
  async function warm(texts: string[]) {
    const vectors = await embedder.embed(texts);
    texts.forEach((t, i) => cached.set(t, vectors[i]!));
  }
  return [
    {
      name: `${embedder.id} nearest centroid`,
      sample,
      async train(examples: LabelledExample[]): Promise<IntentModel> {
        const intents = [...new Set(examples.map((e) => e.intent))].sort();
        const vectors = await embedAll(examples);
        const dims = vectors[0]!.length;
        const sums = intents.map(() => new Float64Array(dims));
        vectors.forEach((v, i) => v.forEach((x, d) => (sums[intents.indexOf(examples[i]!.intent)]![d]! += x)));
        const centroids = sums.map((s) => [...normalize(s)]);
        return { intents, classify: (text, top = 3) => ranked(intents, centroids.map((c) => cosine(embedOne(text), c)), top) };
      },
    },
    {
      name: `${embedder.id} kNN (k=10)`,
      sample,
      async train(examples: LabelledExample[]): Promise<IntentModel> {
        const intents = [...new Set(examples.map((e) => e.intent))].sort();
        const vectors = await embedAll(examples);
        return {
          intents,
          classify(text, top = 3) {
            const q = embedOne(text);
            const nearest = vectors.map((v, i) => ({ i, s: cosine(q, v) })).sort((a, b) => b.s - a.s).slice(0, 10);
            const votes = intents.map(() => 0);
            for (const n of nearest) votes[intents.indexOf(examples[n.i]!.intent)]! += n.s;
            return ranked(intents, votes.map((v) => v / 10), top);
          },
        };
      },
    },
  ].map((c) => ({ ...c, warm }));
}
