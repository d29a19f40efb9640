/**
 * Offline intent classification on CLINC150 and BANKING77 (../shared/datasets, or DATASETS_DIR):
 * trains each candidate on the train split, reports test accuracy (CLINC150: in-scope accuracy and
 * out-of-scope recall with the confidence threshold chosen on the validation split), train time and
 * classify p50/p99 per utterance; then the sentiment lexicons (AFINN-165 and VADER) on the hand-labelled chat messages of
 * bench/sentiment-fixture.ts. Writes bench/results/intents.json.
 *
 *   npm run bench:intents [-- --embedder --embed-sample 3000]
 *
 * `--embedder` adds nearest-centroid and kNN over the offline sentence model (scripts/models.sh),
 * on a sample of each test split (embedding the whole of both datasets takes minutes on 2 cores).
 */
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import vader from 'vader-sentiment';
import { trainIntentModel, type IntentModel, type LabelledExample } from '../core/intents/classifier';
import { DEFAULT_INTENT_THRESHOLD } from '../core/intents/label';
import { messageSentiment, sentimentOf } from '../core/intents/sentiment';
import { localModelEmbedder, localModelInstalled } from '../knowledge/embedders/local-model';
import { centroidModel, embeddingModels } from './intent-alternatives';
import { datasetAvailable, loadBanking77, loadClinc150, OOS, type IntentDataset } from './intent-datasets';
import { SENTIMENT_FIXTURE } from './sentiment-fixture';
import { summarize, writeResult } from './stats';

const { values } = parseArgs({ options: { embedder: { type: 'boolean', default: false }, 'embed-sample': { type: 'string', default: '3000' } } });
const out = fileURLToPath(new URL('./results/intents.json', import.meta.url));
const pct = (n: number) => Math.round(n * 1000) / 10;

interface Candidate {
  name: string;
  train(train: LabelledExample[]): Promise<IntentModel>;
  /** Evaluate on at most this many test utterances (a seeded sample); all when absent. */
  sample?: number;
  /** Embedding candidates compute the utterances' vectors in bulk before the (synchronous) classify calls. */
  warm?: (texts: string[]) => Promise<void>;
}

/** Every n-th item, so a sample keeps the split's class balance (the splits are grouped by intent). */
const sampleOf = <T>(items: T[], n?: number) => (n && n < items.length ? items.filter((_, i) => i % Math.ceil(items.length / n) === 0) : items);

/** The threshold that maximises in-scope accuracy + out-of-scope recall on the validation split (CLINC150's oos-threshold scheme). */
function chooseThreshold(model: IntentModel, val: LabelledExample[]): number {
  const scored = val.map((e) => ({ e, top: model.classify(e.text, 1)[0]! }));
  let best = { threshold: 0, score: -1 };
  for (let t = 0; t <= 0.9; t += 0.02) {
    const { inScope, oosRecall } = scoreAt(scored, t);
    if (inScope + oosRecall > best.score) best = { threshold: Math.round(t * 100) / 100, score: inScope + oosRecall };
  }
  return best.threshold;
}

function scoreAt(scored: { e: LabelledExample; top: { intent: string; confidence: number } }[], threshold: number) {
  let inRight = 0,
    inTotal = 0,
    oosRight = 0,
    oosTotal = 0;
  for (const { e, top } of scored) {
    const predicted = top.confidence < threshold ? OOS : top.intent;
    if (e.intent === OOS) {
      oosTotal++;
      if (predicted === OOS) oosRight++;
    } else {
      inTotal++;
      if (predicted === e.intent) inRight++;
    }
  }
  return { inScope: inTotal ? inRight / inTotal : 0, oosRecall: oosTotal ? oosRight / oosTotal : 0 };
}

async function evaluate(candidate: Candidate, ds: IntentDataset) {
  const t0 = performance.now();
  const model = await candidate.train(ds.train);
  const trainSeconds = (performance.now() - t0) / 1000;
  const test = sampleOf(ds.test, candidate.sample);
  const val = sampleOf(ds.val, candidate.sample);
  const w0 = performance.now();
  await candidate.warm?.([...test, ...val].map((e) => e.text));
  // The bulk embedding's time, per utterance, is part of every classification.
  const embedMs = candidate.warm ? (performance.now() - w0) / (test.length + val.length) : 0;
  const latencies: number[] = [];
  const scored = test.map((e) => {
    const s = performance.now();
    const top = model.classify(e.text, 1)[0]!;
    latencies.push(performance.now() - s + embedMs);
    return { e, top };
  });
  const inScopeOnly = scored.filter((s) => s.e.intent !== OOS);
  const accuracy = inScopeOnly.filter((s) => s.top.intent === s.e.intent).length / inScopeOnly.length;
  const row: Record<string, unknown> = {
    dataset: ds.name,
    classifier: candidate.name,
    train: ds.train.length,
    test: test.length,
    accuracy: pct(accuracy),
    trainSeconds: Math.round(trainSeconds * 10) / 10,
    classifyMs: summarize(latencies),
  };
  if (ds.name === 'clinc150') {
    const threshold = chooseThreshold(model, val);
    const chosen = scoreAt(scored, threshold);
    const atDefault = scoreAt(scored, DEFAULT_INTENT_THRESHOLD);
    Object.assign(row, {
      threshold,
      inScopeAccuracy: pct(chosen.inScope),
      oosRecall: pct(chosen.oosRecall),
      atDefaultThreshold: { threshold: DEFAULT_INTENT_THRESHOLD, inScopeAccuracy: pct(atDefault.inScope), oosRecall: pct(atDefault.oosRecall) },
    });
  }
  console.log(JSON.stringify(row));
  return row;
}

function sentimentRows() {
  const lexicons = [
    { name: 'sentiment (AFINN-165, chosen)', label: (t: string) => messageSentiment(t).sentiment },
    // VADER's compound score on its own ±0.05 cut-offs.
    { name: 'vader-sentiment', label: (t: string) => sentimentOf(vader.SentimentIntensityAnalyzer.polarity_scores(t).compound) },
  ];
  return lexicons.map((l) => {
    const right = SENTIMENT_FIXTURE.filter((f) => l.label(f.text) === f.sentiment).length;
    const row = { lexicon: l.name, messages: SENTIMENT_FIXTURE.length, accuracy: pct(right / SENTIMENT_FIXTURE.length) };
    console.log(JSON.stringify(row));
    return row;
  });
}

const datasets = (['clinc150', 'banking77'] as const).filter((name) => datasetAvailable(name));
if (datasets.length === 0) throw new Error('no intent dataset found: set DATASETS_DIR to the folder holding clinc150/ and banking77/');
const candidates: Candidate[] = [
  { name: 'tf-idf + logistic regression (chosen)', train: async (t) => trainIntentModel(t) },
  { name: 'tf-idf nearest centroid', train: async (t) => centroidModel(t) },
];
if (values.embedder) {
  if (!localModelInstalled()) throw new Error('--embedder needs the offline model: bash scripts/models.sh');
  candidates.push(...embeddingModels(localModelEmbedder(), Number(values['embed-sample'])));
}
const intents = [];
for (const name of datasets) {
  const ds = name === 'clinc150' ? loadClinc150() : loadBanking77();
  for (const c of candidates) intents.push(await evaluate(c, ds));
}
// The machine is shared: train times depend on what else runs, so the load is recorded with them.
writeResult(out, { intents, sentiment: sentimentRows(), loadAverage: os.loadavg().map((l) => Math.round(l * 10) / 10), node: process.version, at: new Date().toISOString() });
console.log(`wrote ${out}`);
