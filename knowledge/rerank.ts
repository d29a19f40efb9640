/**
 * The optional reranking step: the fused candidates are scored again against the query by a model
 * that reads query and passage together, and the best `topK` are kept. Two providers:
 *  - `rerank-api`: a cross-encoder behind the `/rerank` API that Cohere, Jina, vLLM, Infinity and
 *    LocalAI share (`{model, query, documents, top_n}` → `{results: [{index, relevance_score}]}`);
 *  - `llm`: any OpenAI-compatible chat model asked for one relevance score per passage, as JSON.
 * A reranker that fails or answers nonsense leaves the fused order in place: retrieval degrades to
 * hybrid ranking instead of failing the contact's turn.
 */
import type { SearchHit } from '../core/knowledge/types';
import { openaiClient } from '../llm/openai-client';
import type { AddressPolicy } from '../net/address-policy';
import { guardedFetch } from '../net/guarded-fetch';

export interface RerankerProvider {
  kind: 'rerank-api' | 'llm';
  baseURL: string;
  apiKey: string;
  model: string;
  policy: AddressPolicy;
}

export interface Reranker {
  readonly id: string;
  /** One relevance score per passage, in order; higher is more relevant. */
  score(query: string, passages: string[]): Promise<number[]>;
}

const TIMEOUT_MS = 10_000;
/** Long passages are cut for the reranker only: the start of a chunk says what it is about. */
const MAX_PASSAGE_CHARS = 2000;

function rerankApi(provider: RerankerProvider, signal?: AbortSignal): Reranker {
  const url = `${provider.baseURL.replace(/\/+$/, '')}/rerank`;
  return {
    id: `rerank-api:${provider.model}`,
    async score(query, passages) {
      const res = await guardedFetch(
        url,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(provider.apiKey ? { authorization: `Bearer ${provider.apiKey}` } : {}) },
          body: JSON.stringify({ model: provider.model, query, documents: passages, top_n: passages.length }),
          signal,
        },
        { policy: provider.policy, timeoutMs: TIMEOUT_MS },
      );
      if (!res.ok) throw Object.assign(new Error(`rerank endpoint answered HTTP ${res.status}`), { status: res.status });
      const body = (await res.json()) as { results?: { index?: unknown; relevance_score?: unknown }[] };
      const scores: number[] = passages.map(() => Number.NEGATIVE_INFINITY);
      for (const r of body.results ?? []) {
        if (typeof r.index === 'number' && typeof r.relevance_score === 'number' && r.index >= 0 && r.index < passages.length) {
          scores[r.index] = r.relevance_score;
        }
      }
      if (scores.every((s) => s === Number.NEGATIVE_INFINITY)) throw new Error('rerank endpoint returned no usable results');
      return scores;
    },
  };
}

const LLM_INSTRUCTIONS =
  'You rate how well each numbered passage answers the question. Reply with JSON only: ' +
  '{"scores": [s0, s1, ...]} with one number from 0 (unrelated) to 10 (answers it fully) per passage, in order.';

function llmReranker(provider: RerankerProvider, signal?: AbortSignal): Reranker {
  const client = openaiClient(provider, { timeoutMs: TIMEOUT_MS });
  return {
    id: `llm:${provider.model}`,
    async score(query, passages) {
      const numbered = passages.map((p, i) => `[${i}] ${p}`).join('\n\n');
      const res = await client.chat.completions.create(
        {
          model: provider.model,
          temperature: 0,
          response_format: { type: 'json_object' },
          messages: [
            { role: 'system', content: LLM_INSTRUCTIONS },
            { role: 'user', content: `Question: ${query}\n\nPassages:\n${numbered}` },
          ],
        },
        { signal },
      );
      const content = res.choices[0]?.message?.content ?? '';
      const scores = (JSON.parse(content) as { scores?: unknown }).scores;
      if (!Array.isArray(scores) || scores.length !== passages.length || !scores.every((s) => typeof s === 'number')) {
        throw new Error(`reranking model returned ${JSON.stringify(content).slice(0, 120)}, not one score per passage`);
      }
      return scores as number[];
    },
  };
}

export function createReranker(provider: RerankerProvider, opts: { signal?: AbortSignal } = {}): Reranker {
  return provider.kind === 'llm' ? llmReranker(provider, opts.signal) : rerankApi(provider, opts.signal);
}

/**
 * Reorders `hits` by the reranker's scores and keeps `topK`; ties keep the fused order. On a
 * reranker failure `onError` is told and the fused order is kept.
 */
export async function rerankHits(
  reranker: Reranker,
  query: string,
  hits: SearchHit[],
  topK: number,
  onError: (err: unknown) => void,
): Promise<SearchHit[]> {
  if (hits.length === 0) return hits;
  let scores: number[];
  try {
    scores = await reranker.score(query, hits.map((h) => h.text.slice(0, MAX_PASSAGE_CHARS)));
  } catch (err) {
    onError(err);
    return hits.slice(0, topK);
  }
  return hits
    .map((hit, i) => ({ hit: { ...hit, rerankScore: scores[i] }, i }))
    .sort((a, b) => b.hit.rerankScore - a.hit.rerankScore || a.i - b.i)
    .slice(0, topK)
    .map(({ hit }) => hit);
}
