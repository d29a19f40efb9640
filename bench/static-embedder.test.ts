/**
 * The benchmarks' static token-embedding model: its safetensors reader on tables built here, then
 * the WordLlama files when STATIC_MODEL_DIR names a folder holding them (see static-embedder.ts).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMBEDDING_DIMENSIONS } from '../core/knowledge/types';
import { readEmbeddingTable, STATIC_MODEL, staticModelEmbedder, staticModelInstalled } from './static-embedder';

const cosine = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * b[i], 0);

/** A safetensors file holding `tensors` (name → dtype, shape, values). */
function safetensors(tensors: Record<string, { dtype: 'F16' | 'F32' | 'I8'; shape: number[]; values: number[] }>): Buffer {
  const parts: Buffer[] = [];
  const header: Record<string, object> = {};
  let offset = 0;
  for (const [name, { dtype, shape, values }] of Object.entries(tensors)) {
    const data = Buffer.from((dtype === 'F16' ? new Float16Array(values) : dtype === 'F32' ? new Float32Array(values) : new Int8Array(values)).buffer);
    header[name] = { dtype, shape, data_offsets: [offset, offset + data.length] };
    offset += data.length;
    parts.push(data);
  }
  // An odd header length leaves the data unaligned, as real files may.
  const json = Buffer.from(JSON.stringify({ __metadata__: { format: 'pt' }, ...header }) + ' ');
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([length, json, ...parts]);
}

describe('static model table reader', () => {
  it('reads an F16 or F32 token table row-major, wherever its data starts', () => {
    for (const dtype of ['F16', 'F32'] as const) {
      const table = readEmbeddingTable(safetensors({ 'embedding.weight': { dtype, shape: [3, 2], values: [1, 2, 3, 4, 0.5, -6] } }));
      expect(table).toMatchObject({ rows: 3, width: 2 });
      expect([...table.weights]).toEqual([1, 2, 3, 4, 0.5, -6]);
    }
  });

  it('refuses files that are not one float table no wider than the stored dimension', () => {
    expect(() => readEmbeddingTable(safetensors({ a: { dtype: 'F32', shape: [1, 1], values: [1] }, b: { dtype: 'F32', shape: [1, 1], values: [1] } }))).toThrow(/one tensor/);
    expect(() => readEmbeddingTable(safetensors({ t: { dtype: 'F32', shape: [4], values: [1, 2, 3, 4] } }))).toThrow(/not a token table/);
    expect(() => readEmbeddingTable(safetensors({ t: { dtype: 'I8', shape: [2, 2], values: [1, 2, 3, 4] } }))).toThrow(/F16 or F32/);
    expect(() => readEmbeddingTable(safetensors({ t: { dtype: 'F32', shape: [1, EMBEDDING_DIMENSIONS + 1], values: new Array(EMBEDDING_DIMENSIONS + 1).fill(0) } }))).toThrow(/wide/);
    expect(() => readEmbeddingTable(safetensors({ t: { dtype: 'F32', shape: [3, 2], values: [1, 2] } }))).toThrow(/holds 2 values/);
  });
});

const dir = process.env.STATIC_MODEL_DIR ?? '';

describe.skipIf(!dir || !staticModelInstalled(dir))('static embedding model', () => {
  const embedder = staticModelEmbedder({ dir });

  it('embeds into unit vectors of the stored dimension, zero past its own width, recording where they come from', async () => {
    expect(embedder.id).toBe(STATIC_MODEL.id);
    expect(STATIC_MODEL).toMatchObject({ licence: 'MIT', dimensions: EMBEDDING_DIMENSIONS });
    const [short, long, empty] = await embedder.embed(['one text', 'another, longer text '.repeat(500), '']);
    for (const v of [short, long]) {
      expect(v).toHaveLength(EMBEDDING_DIMENSIONS);
      expect(Math.hypot(...v)).toBeCloseTo(1, 5);
      expect(v.slice(256).every((x) => x === 0)).toBe(true);
    }
    expect(empty.every((x) => x === 0)).toBe(true);
  });

  it('ranks a passage on the question’s topic above unrelated ones', async () => {
    const [q, relevant, ...unrelated] = await embedder.embed([
      'Does smoking cause lung cancer?',
      'Tobacco use is the leading risk factor for carcinoma of the lung.',
      'The garage behind the building has forty spaces.',
      'Invoices are sent by email after each payment.',
    ]);
    for (const u of unrelated) expect(cosine(q, relevant)).toBeGreaterThan(cosine(q, u) + 0.1);
  });

});

it('never fetches: a directory without the files is an error naming where they come from', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'no-static-model-'));
  await expect(staticModelEmbedder({ dir: empty }).embed(['x'])).rejects.toThrow(/missing model\.safetensors, tokenizer\.json.*static-embedder\.ts/);
});
