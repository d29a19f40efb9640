/**
 * Throughput of the offline embedder on one core: chunks of ~300 tokens per second.
 * `tsx bench/embed-offline.ts` prints the figures and writes bench/results/embed-offline.json.
 */
import { countTokens } from '../core/knowledge/chunk';
import { offlineEmbedder } from '../core/knowledge/offline-embedder';
import { writeResult } from './stats';

const CHUNKS = 2_000;
const ROUNDS = 5;
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

const texts = Array.from({ length: CHUNKS }, (_, i) => makeText(i + 1, 250));
const meanTokens = Math.round(texts.reduce((sum, text) => sum + countTokens(text), 0) / texts.length);

await offlineEmbedder.embed(texts.slice(0, 200)); // warm-up: JIT and regex compilation
const rates: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const started = performance.now();
  await offlineEmbedder.embed(texts);
  rates.push(CHUNKS / ((performance.now() - started) / 1000));
}
rates.sort((a, b) => a - b);
const result = {
  embedder: offlineEmbedder.id,
  dimensions: offlineEmbedder.dimensions,
  chunks: CHUNKS,
  rounds: ROUNDS,
  meanTokensPerChunk: meanTokens,
  chunksPerSecondMedian: Math.round(rates[Math.floor(ROUNDS / 2)]),
  chunksPerSecondMin: Math.round(rates[0]),
  node: process.version,
};
console.log(`${result.embedder}: ${result.chunksPerSecondMedian} chunks/s (median of ${ROUNDS}, min ${result.chunksPerSecondMin}), ${meanTokens} tokens/chunk`);
writeResult('bench/results/embed-offline.json', result);
