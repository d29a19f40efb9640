/**
 * The offline intent classifier: multinomial logistic regression over TF-IDF word + character
 * n-grams (features.ts), trained by SGD with L2 regularisation. Chosen over nearest centroids and
 * the sentence-embedding model by the measurements in ARCHITECTURE.md ("Intents and sentiment"):
 * the best accuracy of the candidates, seconds to train on 15,000 examples, well under a millisecond
 * to classify, and softmax confidences an out-of-scope threshold can be set on. Deterministic: the
 * same examples give the same model (a seeded shuffle).
 */
import { fitTfidf, type SparseVector, type Vectorizer } from './features';

export interface LabelledExample {
  text: string;
  intent: string;
}

export interface IntentScore {
  intent: string;
  confidence: number;
}

export interface IntentModel {
  intents: string[];
  /** Intents by descending confidence (softmax probabilities, summing to 1 over all intents). */
  classify(text: string, top?: number): IntentScore[];
}

export interface TrainOptions {
  /** L2 strength per example (λ of SGD); smaller fits the examples more closely. */
  lambda?: number;
  epochs?: number;
  seed?: number;
}

/** A small seeded generator (mulberry32): the shuffle, and so the model, is reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle(order: number[], random: () => number) {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
}

function softmaxInPlace(scores: Float64Array) {
  let max = -Infinity;
  for (const s of scores) max = Math.max(max, s);
  let sum = 0;
  for (let c = 0; c < scores.length; c++) sum += scores[c] = Math.exp(scores[c]! - max);
  for (let c = 0; c < scores.length; c++) scores[c]! /= sum;
}

/** Weights are stored as `scale * w` so the L2 shrink of every step is one multiplication. */
class SoftmaxRegression {
  readonly w: Float32Array;
  readonly b: Float64Array;
  scale = 1;
  constructor(
    readonly features: number,
    readonly classes: number,
  ) {
    this.w = new Float32Array(features * classes);
    this.b = new Float64Array(classes);
  }

  probabilities(x: SparseVector, out = new Float64Array(this.classes)): Float64Array {
    const C = this.classes;
    out.set(this.b);
    for (let j = 0; j < x.idx.length; j++) {
      const row = x.idx[j]! * C;
      const v = x.val[j]! * this.scale;
      for (let c = 0; c < C; c++) out[c]! += v * this.w[row + c]!;
    }
    softmaxInPlace(out);
    return out;
  }

  train(vectors: SparseVector[], labels: number[], opts: Required<TrainOptions>) {
    const C = this.classes;
    const random = seededRandom(opts.seed);
    const order = vectors.map((_, i) => i);
    const p = new Float64Array(C);
    // Bottou's schedule for L2-regularised SGD: η_t = η0 / (1 + η0·λ·t).
    const eta0 = 0.5;
    let t = 0;
    for (let epoch = 0; epoch < opts.epochs; epoch++) {
      shuffle(order, random);
      for (const i of order) {
        const eta = eta0 / (1 + eta0 * opts.lambda * t++);
        const x = vectors[i]!;
        this.probabilities(x, p);
        p[labels[i]!]! -= 1; // the gradient of the log loss: p − one-hot
        this.scale *= 1 - eta * opts.lambda;
        if (this.scale < 1e-6) this.rescale();
        const step = eta / this.scale;
        for (let j = 0; j < x.idx.length; j++) {
          const row = x.idx[j]! * C;
          const v = x.val[j]! * step;
          for (let c = 0; c < C; c++) this.w[row + c]! -= v * p[c]!;
        }
        for (let c = 0; c < C; c++) this.b[c]! -= eta * p[c]! * 0.1;
      }
    }
  }

  private rescale() {
    for (let k = 0; k < this.w.length; k++) this.w[k]! *= this.scale;
    this.scale = 1;
  }
}

/** Trains on the examples; throws when fewer than two intents have examples (nothing to tell apart). */
export function trainIntentModel(examples: LabelledExample[], opts: TrainOptions = {}): IntentModel {
  const intents = [...new Set(examples.map((e) => e.intent))].sort();
  if (intents.length < 2) throw new Error('an intent model needs examples of at least two intents');
  const classOf = new Map(intents.map((name, i) => [name, i]));
  const { vectorizer, vectors } = fitTfidf(examples.map((e) => e.text));
  const model = new SoftmaxRegression(vectorizer.size, intents.length);
  // Small sets get more passes so every example is seen often enough; large ones converge in a few.
  const epochs = opts.epochs ?? Math.min(60, Math.max(8, Math.ceil(20_000 / examples.length)));
  model.train(
    vectors,
    examples.map((e) => classOf.get(e.intent)!),
    { lambda: opts.lambda ?? 2e-6, epochs, seed: opts.seed ?? 1 },
  );
  return wrap(intents, vectorizer, model);
}

function wrap(intents: string[], vectorizer: Vectorizer, model: SoftmaxRegression): IntentModel {
  return {
    intents,
    classify(text, top = 3) {
      const p = model.probabilities(vectorizer.transform(text));
      return intents
        .map((intent, c) => ({ intent, confidence: p[c]! }))
        .sort((a, b) => b.confidence - a.confidence)
        .slice(0, top);
    },
  };
}

export interface CrossValidation {
  /** Share of held-out examples whose top intent was right; null when nothing could be held out. */
  accuracy: number | null;
  evaluated: number;
  folds: number;
}

/**
 * Stratified k-fold accuracy: each intent's examples are dealt round-robin into k folds, so every
 * fold sees every intent that has at least two examples; intents with one example only train.
 */
export function crossValidate(examples: LabelledExample[], opts: TrainOptions & { folds?: number } = {}): CrossValidation {
  const k = opts.folds ?? 5;
  const byIntent = new Map<string, number>();
  const fold = examples.map((e) => {
    const n = byIntent.get(e.intent) ?? 0;
    byIntent.set(e.intent, n + 1);
    return n % k;
  });
  const single = new Set([...byIntent].filter(([, n]) => n < 2).map(([intent]) => intent));
  let right = 0;
  let evaluated = 0;
  let folds = 0;
  for (let f = 0; f < k; f++) {
    const test = examples.filter((e, i) => fold[i] === f && !single.has(e.intent));
    const train = examples.filter((e, i) => fold[i] !== f || single.has(e.intent));
    if (test.length === 0 || new Set(train.map((e) => e.intent)).size < 2) continue;
    const model = trainIntentModel(train, opts);
    folds++;
    for (const e of test) {
      evaluated++;
      if (model.classify(e.text, 1)[0]?.intent === e.intent) right++;
    }
  }
  return { accuracy: evaluated ? right / evaluated : null, evaluated, folds };
}
