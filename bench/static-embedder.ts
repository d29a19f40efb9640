/**
 * A static token-embedding model for the benchmarks (embed-offline-beir.ts `--embedder static
 * --static-dir <dir>`, embed-offline.ts `STATIC_MODEL_DIR=<dir>`):
 * WordLlama l2_supercat (256 dimensions, MIT), the one registry package found that ships static
 * embedding weights usable for English retrieval. A sentence vector is the mean of its tokens' rows
 * in one table, L2-normalized, zero-padded to the stored dimension (cosine is unchanged by the
 * padding): no transformer runs. It is measured, not offered as a tenant's embedder: on SciFact its
 * hybrid ranks below BM25 alone (README "Benchmarks").
 *
 * `--static-dir` holds `model.safetensors` and `tokenizer.json`, taken from the wordllama
 * 0.4.0.post1 wheel (`pip download --no-deps wordllama==0.4.0.post1`): its
 * `wordllama/weights/l2_supercat_256.safetensors` and `wordllama/tokenizers/l2_supercat_tokenizer_config.json`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tokenizer } from '@huggingface/tokenizers';
import { EMBEDDING_DIMENSIONS, type Embedder } from '../core/knowledge/types';
import { loadTokenizer } from '../knowledge/embedders/local-model';

export const STATIC_MODEL = {
  id: `local:wordllama-l2-supercat-256@${EMBEDDING_DIMENSIONS}`,
  model: 'WordLlama l2_supercat, 256-dimension static token embeddings (Llama 2 tokenizer)',
  source: 'PyPI wordllama 0.4.0.post1 (weights/l2_supercat_256.safetensors, tokenizers/l2_supercat_tokenizer_config.json)',
  licence: 'MIT',
  dimensions: EMBEDDING_DIMENSIONS,
} as const;

const FILES = ['model.safetensors', 'tokenizer.json'];
/** Tokens read per text: a cap for pathological input, far above any chunk's length. */
const MAX_TOKENS = 8192;

export const staticModelInstalled = (dir: string): boolean => FILES.every((f) => existsSync(join(dir, f)));

interface Table {
  tokenizer: Tokenizer;
  rows: number;
  width: number;
  /** rows × width, row-major. */
  weights: Float32Array;
}

/** The one 2-D float tensor of a safetensors file (8-byte header length, JSON header, raw little-endian data). */
export function readEmbeddingTable(buf: Buffer): { rows: number; width: number; weights: Float32Array } {
  const headerLength = Number(buf.readBigUInt64LE(0));
  const header = JSON.parse(buf.subarray(8, 8 + headerLength).toString('utf8')) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  const tensors = Object.entries(header).filter(([name]) => name !== '__metadata__');
  if (tensors.length !== 1) throw new Error(`expected one tensor in the static model, found ${tensors.length}`);
  const [name, { dtype, shape, data_offsets: [from, to] }] = tensors[0];
  if (shape.length !== 2) throw new Error(`tensor ${name} has shape [${shape}], not a token table`);
  const [rows, width] = shape;
  if (width > EMBEDDING_DIMENSIONS) throw new Error(`tensor ${name} is ${width} wide, above the stored ${EMBEDDING_DIMENSIONS} dimensions`);
  // Copied out: the data's offset in the file need not be aligned for a typed-array view.
  const data = buf.buffer.slice(buf.byteOffset + 8 + headerLength + from, buf.byteOffset + 8 + headerLength + to);
  const raw = dtype === 'F16' ? new Float16Array(data) : dtype === 'F32' ? new Float32Array(data) : null;
  if (!raw) throw new Error(`tensor ${name} is ${dtype}; F16 or F32 is supported`);
  if (raw.length !== rows * width) throw new Error(`tensor ${name} holds ${raw.length} values, not ${rows} × ${width}`);
  return { rows, width, weights: Float32Array.from(raw) };
}

function load(dir: string): Table {
  const missing = FILES.filter((f) => !existsSync(join(dir, f)));
  if (missing.length) throw new Error(`the static embedding model is not in ${dir} (missing ${missing.join(', ')}): see bench/static-embedder.ts`);
  return { tokenizer: loadTokenizer(join(dir, 'tokenizer.json')), ...readEmbeddingTable(readFileSync(join(dir, 'model.safetensors'))) };
}

/** Mean of the tokens' rows, normalized, zero-padded; a text without tokens is the zero vector. */
function embedOne({ tokenizer, rows, width, weights }: Table, text: string): number[] {
  const ids = tokenizer.encode(text, { add_special_tokens: false }).ids.slice(0, MAX_TOKENS);
  const sum = new Float64Array(width);
  for (const id of ids) {
    if (id < 0 || id >= rows) continue;
    const base = id * width;
    for (let d = 0; d < width; d++) sum[d] += weights[base + d];
  }
  const norm = Math.sqrt(sum.reduce((s, v) => s + v * v, 0)) || 1;
  const out = new Array<number>(EMBEDDING_DIMENSIONS).fill(0);
  for (let d = 0; d < width; d++) out[d] = sum[d] / norm;
  return out;
}

/** One table per directory and process (~35 MB resident). */
const loaded = new Map<string, Table>();

export function staticModelEmbedder({ dir }: { dir: string }): Embedder {
  const table = () => {
    let t = loaded.get(dir);
    if (!t) loaded.set(dir, (t = load(dir)));
    return t;
  };
  return {
    id: STATIC_MODEL.id,
    dimensions: STATIC_MODEL.dimensions,
    async embed(texts) {
      if (texts.length === 0) return [];
      const t = table();
      return texts.map((text) => embedOne(t, text));
    },
  };
}
