/**
 * Throughput of the offline embedders: chunks of ~300 tokens per second, on all the cores the
 * process gets. `tsx bench/embed-offline.ts` measures the hashed n-gram embedder and, when
 * scripts/models.sh installed it, the local model at several batch sizes with the resident memory
 * it adds, and with `STATIC_MODEL_DIR` the static model of bench/static-embedder.ts; it prints the
 * figures and writes bench/results/embed-offline.json.
 */
import { loadavg } from 'node:os';
import { countTokens } from '../core/knowledge/chunk';
import { offlineEmbedder } from '../core/knowledge/offline-embedder';
import type { Embedder } from '../core/knowledge/types';
import { LOCAL_MODEL, localModelEmbedder, localModelInstalled } from '../knowledge/embedders/local-model';
import { STATIC_MODEL, staticModelEmbedder } from './static-embedder';
import { writeResult } from './stats';

const VOCABULARY = (
  'the clinic is open monday to friday from nine until six appointments can be booked online or by phone ' +
  'cancellations less than twenty four hours ahead are charged refunds are issued within fourteen days to the ' +
  'original payment method parking is free behind the building wheelchair access via the side entrance ' +
  'prescriptions renewal insurance invoice receipt emergency weekend holiday closed café naïve résumé 2026'
).split(' ');

/** A fixed pseudo-random text, so runs compare like with like. */
function makeText(seed: number, words: number): string {
  let state = seed;
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out.push(VOCABULARY[state % VOCABULARY.length] + (state % 13 === 0 ? '.' : ''));
  }
  return out.join(' ');
}

/** Median and minimum chunks/s over `rounds` embeddings of `texts`, after a warm-up. */
async function measure(embedder: Embedder, texts: string[], rounds: number) {
  await embedder.embed(texts.slice(0, 8));
  const rates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    await embedder.embed(texts);
    rates.push(texts.length / ((performance.now() - started) / 1000));
  }
  rates.sort((a, b) => a - b);
  const round1 = (x: number) => Math.round(x * 10) / 10;
  return { chunks: texts.length, rounds, chunksPerSecondMedian: round1(rates[Math.floor(rounds / 2)]), chunksPerSecondMin: round1(rates[0]) };
}

const texts = Array.from({ length: 2_000 }, (_, i) => makeText(i + 1, 250));
const meanTokens = Math.round(texts.reduce((sum, text) => sum + countTokens(text), 0) / texts.length);
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
const LOCAL_CHUNKS = Number(process.env.LOCAL_CHUNKS ?? 32);
const LOCAL_ROUNDS = Number(process.env.LOCAL_ROUNDS ?? 1);

const hashed = { embedder: offlineEmbedder.id, ...(await measure(offlineEmbedder, texts, 5)) };
console.log(`${hashed.embedder}: ${hashed.chunksPerSecondMedian} chunks/s (median of 5, min ${hashed.chunksPerSecondMin}), ${meanTokens} tokens/chunk`);

let staticModel: object | null = null;
if (process.env.STATIC_MODEL_DIR) {
  const result = await measure(staticModelEmbedder({ dir: process.env.STATIC_MODEL_DIR }), texts, 5);
  staticModel = { embedder: STATIC_MODEL.id, ...result };
  console.log(`${STATIC_MODEL.id}: ${result.chunksPerSecondMedian} chunks/s (median of 5, min ${result.chunksPerSecondMin})`);
}

let local: object | null = null;
if (localModelInstalled()) {
  const rssBefore = process.memoryUsage().rss;
  const batches: Record<number, object> = {};
  let rssAfter = rssBefore;
  // A transformer is ~1000 times slower than the hashing: a few dozen chunks per batch size is enough.
  for (const batch of [1, 8, 16, 32]) {
    const result = await measure(localModelEmbedder({ batch }), texts.slice(0, LOCAL_CHUNKS), LOCAL_ROUNDS);
    rssAfter = Math.max(rssAfter, process.memoryUsage().rss);
    batches[batch] = result;
    console.log(`${LOCAL_MODEL.id} batch ${batch}: ${result.chunksPerSecondMedian} chunks/s (median of ${LOCAL_ROUNDS}, min ${result.chunksPerSecondMin})`);
  }
  local = { ...LOCAL_MODEL, batches, rssAddedMb: mb(rssAfter - rssBefore) };
  console.log(`${LOCAL_MODEL.id}: RSS +${mb(rssAfter - rssBefore)} MB with the model loaded and running`);
} else {
  console.log(`${LOCAL_MODEL.id}: not installed (scripts/models.sh), skipped`);
}
// The machine's load goes with the figures: on shared cores the model's speed follows it closely.
writeResult('bench/results/embed-offline.json', { hashed, static: staticModel, local, meanTokensPerChunk: meanTokens, loadAverage: loadavg().map((l) => Math.round(l * 10) / 10), node: process.version });
