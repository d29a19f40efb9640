/**
 * Structure-aware chunking. A chunk never spans two sections (so its heading and page are true
 * for all of its text). Inside a section the text is split on the coarsest boundary that yields
 * pieces of at most `maxTokens` (paragraphs, then lines, then sentences, then words), and pieces
 * are packed greedily. Each chunk after the first in a section starts with the last sentences (or
 * words) of the previous one, up to `overlapTokens`, so a passage cut in two is still findable.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as Cl100k from 'gpt-tokenizer/encoding/cl100k_base';
import type { ChunkOptions, DocumentChunk, ExtractedDocument, ExtractedSection } from './types';

/** The tokenizer's tables (about 8 MB of heap) load at the first count, not in every API and worker at start. */
let encode: typeof Cl100k.encode | undefined;
export const countTokens = (text: string): number => {
  encode ??= (createRequire(import.meta.url)('gpt-tokenizer/encoding/cl100k_base') as typeof Cl100k).encode;
  return encode(text).length;
};

interface Level {
  split: RegExp;
  join: string;
}

const LEVELS: Level[] = [
  { split: /\n{2,}/, join: '\n\n' },
  { split: /\n/, join: '\n' },
  // After terminal punctuation (and any closing quote or bracket) followed by a space.
  { split: /(?<=[.!?…。！？]["'”’)\]]*)\s+/u, join: ' ' },
  { split: /\s+/, join: ' ' },
];
const SENTENCE = LEVELS[2];
const WORD = LEVELS[3];

interface Piece {
  text: string;
  tokens: number;
  /** What joins this piece to the one before it. */
  join: string;
}

/** Splits `text` into pieces of at most `max` tokens, each on the coarsest boundary possible. */
function splitPieces(text: string, max: number, level: number, join: string): Piece[] {
  const tokens = countTokens(text);
  if (tokens <= max || level >= LEVELS.length) return [{ text, tokens, join }];
  const parts = text.split(LEVELS[level].split).filter((part) => part.trim() !== '');
  if (parts.length === 1) return splitPieces(text, max, level + 1, join);
  return parts.flatMap((part, i) => splitPieces(part, max, level + 1, i === 0 ? join : LEVELS[level].join));
}

/** The longest verbatim suffix of `text` that starts on a sentence (else word) boundary and fits `budget` tokens. */
export function tailWithin(text: string, budget: number): string {
  if (budget <= 0) return '';
  for (const level of [SENTENCE, WORD]) {
    const starts = [...text.matchAll(new RegExp(level.split.source, 'gu'))].map((m) => m.index + m[0].length);
    let tail = '';
    for (let i = starts.length - 1; i >= 0; i--) {
      const candidate = text.slice(starts[i]);
      if (countTokens(candidate) > budget) break;
      tail = candidate;
    }
    if (tail !== '') return tail;
  }
  return '';
}

function chunkSection(section: ExtractedSection, opts: ChunkOptions): string[] {
  const pieces = splitPieces(section.text.trim(), opts.maxTokens, 0, '');
  const chunks: string[] = [];
  let current = '';
  for (const piece of pieces) {
    if (current === '') {
      current = piece.text;
      continue;
    }
    const joined = current + piece.join + piece.text;
    if (countTokens(joined) <= opts.maxTokens) {
      current = joined;
      continue;
    }
    chunks.push(current);
    // The overlap shrinks when the next piece leaves less room than overlapTokens.
    const overlap = tailWithin(current, Math.min(opts.overlapTokens, opts.maxTokens - piece.tokens - 1));
    current = overlap === '' ? piece.text : overlap + piece.join + piece.text;
    // Tokens can merge across the join: drop the overlap rather than exceed the limit.
    if (overlap !== '' && countTokens(current) > opts.maxTokens) current = piece.text;
  }
  if (current !== '') chunks.push(current);
  return chunks;
}

export function validateChunkOptions(opts: ChunkOptions): void {
  if (!Number.isInteger(opts.maxTokens) || opts.maxTokens < 1) throw new RangeError(`maxTokens must be a positive integer, got ${opts.maxTokens}`);
  if (!Number.isInteger(opts.overlapTokens) || opts.overlapTokens < 0) {
    throw new RangeError(`overlapTokens must be a non-negative integer, got ${opts.overlapTokens}`);
  }
  if (opts.overlapTokens >= opts.maxTokens) {
    throw new RangeError(`overlapTokens (${opts.overlapTokens}) must be smaller than maxTokens (${opts.maxTokens})`);
  }
}

export const contentHash = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export function chunkDocument(doc: ExtractedDocument, opts: ChunkOptions): DocumentChunk[] {
  validateChunkOptions(opts);
  const chunks: DocumentChunk[] = [];
  for (const section of doc.sections) {
    for (const text of chunkSection(section, opts)) {
      chunks.push({
        ordinal: chunks.length,
        text,
        section: section.heading,
        page: section.page,
        tokenCount: countTokens(text),
        contentHash: contentHash(text),
      });
    }
  }
  return chunks;
}

/** What a chunk is embedded as: its section heading says what the passage is about. */
export function embeddingInput(chunk: Pick<DocumentChunk, 'section' | 'text'>): string {
  return chunk.section ? `${chunk.section}\n${chunk.text}` : chunk.text;
}
