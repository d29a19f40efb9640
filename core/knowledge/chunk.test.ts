import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chunkDocument, contentHash, countTokens, tailWithin } from './chunk';
import type { DocumentChunk, ExtractedDocument } from './types';

const sentence = (n: number) => `Sentence number ${n} talks about opening hours and refunds.`;
const paragraph = (from: number, count: number) => Array.from({ length: count }, (_, i) => sentence(from + i)).join(' ');
const LONG_WORD = 'x'.repeat(40) + 'Q7z'.repeat(60);

const doc: ExtractedDocument = {
  title: 'Handbook',
  pageCount: 3,
  sections: [
    { heading: 'Intro', page: 1, text: 'Short intro.' },
    { heading: 'Hours', page: 2, text: [paragraph(1, 6), paragraph(7, 3), `Lines one.\nLine two ${paragraph(10, 4)}`].join('\n\n') },
    { heading: null, page: 3, text: '   ' },
    { heading: 'Codes', page: 3, text: `Before ${LONG_WORD} after the code.` },
  ],
};
const OPTS = { maxTokens: 40, overlapTokens: 12 };

/** Longest prefix of `next` that is a suffix of `previous`. */
function sharedOverlap(previous: string, next: string): string {
  for (let k = Math.min(previous.length, next.length); k > 0; k--) if (previous.endsWith(next.slice(0, k))) return next.slice(0, k);
  return '';
}

function bySection(chunks: DocumentChunk[]): Map<string, DocumentChunk[]> {
  const groups = new Map<string, DocumentChunk[]>();
  for (const chunk of chunks) {
    const key = `${chunk.section}|${chunk.page}`;
    groups.set(key, [...(groups.get(key) ?? []), chunk]);
  }
  return groups;
}

describe('chunkDocument', () => {
  const chunks = chunkDocument(doc, OPTS);

  it('numbers chunks contiguously and never mixes sections', () => {
    expect(chunks.map((c) => c.ordinal)).toEqual(chunks.map((_, i) => i));
    expect([...bySection(chunks).keys()]).toEqual(['Intro|1', 'Hours|2', 'Codes|3']);
    for (const chunk of chunks) {
      const section = doc.sections.find((s) => s.heading === chunk.section && s.page === chunk.page)!;
      expect(section.text).toContain(chunk.text);
    }
  });

  it('keeps chunks within maxTokens unless a single word is longer', () => {
    for (const chunk of chunks) {
      expect(chunk.tokenCount).toBe(countTokens(chunk.text));
      if (chunk.tokenCount > OPTS.maxTokens) expect(chunk.text).toBe(LONG_WORD);
    }
    expect(chunks.some((c) => c.text === LONG_WORD)).toBe(true);
  });

  it('covers every sentence, and splits on paragraphs and sentences before words', () => {
    const hours = chunks.filter((c) => c.section === 'Hours');
    for (let n = 1; n <= 13; n++) expect(hours.some((c) => c.text.includes(sentence(n)))).toBe(true);
    const text = doc.sections[1].text;
    for (const chunk of hours) {
      // Every sentence fits maxTokens, so chunks end on a sentence; overlaps may start mid-sentence, on a word.
      expect(chunk.text.endsWith('.')).toBe(true);
      const at = text.indexOf(chunk.text);
      expect(at === 0 || /\s/.test(text[at - 1])).toBe(true);
    }
  });

  it('starts each later chunk of a section with the end of the previous one, within overlapTokens', () => {
    for (const group of bySection(chunks).values()) {
      for (let i = 1; i < group.length; i++) {
        const overlap = sharedOverlap(group[i - 1].text, group[i].text);
        if (group[i].text === LONG_WORD || group[i - 1].text === LONG_WORD) continue;
        expect(overlap.trim()).not.toBe('');
        expect(countTokens(overlap)).toBeLessThanOrEqual(OPTS.overlapTokens);
      }
      // The first chunk of a section starts at the section's start: no overlap across sections.
      const section = doc.sections.find((s) => s.heading === group[0].section)!;
      expect(section.text.trimStart().startsWith(group[0].text.split(/\s/)[0])).toBe(true);
    }
  });

  it('is deterministic and hashes the text with sha256', () => {
    expect(chunkDocument(doc, OPTS)).toEqual(chunks);
    for (const chunk of chunks) expect(chunk.contentHash).toBe(createHash('sha256').update(chunk.text).digest('hex'));
    expect(contentHash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('keeps a short section whole, with its heading and page', () => {
    expect(chunks[0]).toMatchObject({ ordinal: 0, text: 'Short intro.', section: 'Intro', page: 1, tokenCount: 3 });
  });

  it('returns no chunks for a document without text', () => {
    expect(chunkDocument({ title: null, pageCount: null, sections: [{ text: ' \n ', heading: null, page: null }] }, OPTS)).toEqual([]);
  });

  it('validates its options', () => {
    expect(() => chunkDocument(doc, { maxTokens: 40, overlapTokens: 40 })).toThrow(RangeError);
    expect(() => chunkDocument(doc, { maxTokens: 0, overlapTokens: 0 })).toThrow(/maxTokens/);
    expect(() => chunkDocument(doc, { maxTokens: 10, overlapTokens: -1 })).toThrow(/overlapTokens/);
    expect(() => chunkDocument(doc, { maxTokens: 10.5, overlapTokens: 1 })).toThrow(/maxTokens/);
  });

  it('works without overlap', () => {
    const plain = chunkDocument(doc, { maxTokens: 40, overlapTokens: 0 });
    const hours = plain.filter((c) => c.section === 'Hours').map((c) => c.text);
    expect(hours.join(' ').replace(/\n+/g, ' ')).toBe(doc.sections[1].text.replace(/\n+/g, ' '));
  });
});

describe('tailWithin', () => {
  it('takes whole sentences when they fit, else whole words', () => {
    expect(tailWithin('One. Two three. Four five six.', 5)).toBe('Four five six.');
    expect(tailWithin('One. Two three. Four five six.', 2)).toBe('six.');
    expect(tailWithin('anything', 0)).toBe('');
  });
});
