/**
 * The scale corpus for the latency measurement: `chunks` chunks stored directly (no workflow),
 * timed with hybrid searches. By default it is REAL text: the BEIR corpus's documents copied over
 * and over, each copy perturbed (a seeded tenth of its words dropped and a few neighbours swapped)
 * so every chunk is distinct and term statistics spread as a larger corpus of that field would,
 * searched with the dataset's own queries. `generated` uses bench/retrieval-synthetic.ts instead.
 * Copies are packed 250 to a document, one section each, so each copy chunks on its own.
 */
import { chunkDocument } from '../core/knowledge/chunk';
import { systemEm, type Orm } from '../db/orm';
import type { BeirDataset, BeirDoc } from './retrieval-eval';
import { CHUNK_OPTIONS, newScope, storeDocument } from './retrieval-store';
import { random, syntheticChunk, syntheticQuery } from './retrieval-synthetic';
import { mapConcurrent } from './stats';

export type ScaleText = 'corpus' | 'generated';
const SECTIONS_PER_DOCUMENT = 250;

/** Copy `replica` of a document: the same words, a tenth dropped and some neighbours swapped. */
export function perturb(doc: BeirDoc, replica: number): BeirDoc {
  if (replica === 0) return doc;
  const next = random(replica * 2_654_435_761 + doc.id.length * 97 + doc.text.length);
  const words = doc.text.split(/\s+/).filter((w) => next(10) !== 0);
  for (let i = 0; i + 1 < words.length; i++) if (next(12) === 0) [words[i], words[i + 1]] = [words[i + 1], words[i]];
  return { id: `${doc.id}~${replica}`, title: doc.title, text: words.join(' ') };
}

/** The `index`-th section of the scale corpus: a heading and its text. */
function section(text: ScaleText, corpus: BeirDoc[], index: number) {
  if (text === 'generated') return { heading: null, text: syntheticChunk(index + 1) };
  const doc = perturb(corpus[index % corpus.length], Math.floor(index / corpus.length));
  return { heading: doc.title || null, text: doc.text };
}

export async function storeScaleCorpus(orm: Orm, text: ScaleText, dataset: BeirDataset, chunks: number, concurrency: number, log: (l: string) => void) {
  const scope = await newScope(orm, 'Scale corpus');
  const corpus = dataset.corpus.filter((d) => d.text.trim());
  const started = performance.now();
  let stored = 0;
  let next = 0;
  // Documents are added until the chunk count is reached; a copy may make more than one chunk.
  await mapConcurrent(Array.from({ length: concurrency }), concurrency, async () => {
    while (stored < chunks) {
      const first = next;
      next += SECTIONS_PER_DOCUMENT;
      const sections = Array.from({ length: SECTIONS_PER_DOCUMENT }, (_, i) => ({ ...section(text, corpus, first + i), page: null }));
      const made = chunkDocument({ title: null, sections, pageCount: null }, CHUNK_OPTIONS).slice(0, Math.max(0, chunks - stored));
      if (made.length === 0) return;
      stored += made.length;
      await storeDocument(scope, `scale-${first / SECTIONS_PER_DOCUMENT}`, sections.map((s) => s.text).join('\n\n'), made);
      if ((first / SECTIONS_PER_DOCUMENT) % 40 === 0) log(`  scale corpus: ${stored} chunks stored`);
    }
  });
  const seconds = (performance.now() - started) / 1000;
  await systemEm(orm).execute('analyze');
  return { scope, stored, chunksPerSecond: Math.round(stored / seconds) };
}

/** Queries for the scale corpus: the dataset's own, or generated ones for generated text. */
export const scaleQueries = (text: ScaleText, dataset: BeirDataset, n: number) =>
  Array.from({ length: n }, (_, i) => (text === 'generated' ? syntheticQuery(i + 1) : dataset.queries[i % dataset.queries.length].text));
